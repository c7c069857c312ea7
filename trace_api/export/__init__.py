"""Exports for regulators: the FSMA 204 sortable spreadsheet (CSV, XLSX), the EU 178/2002
Art. 18 one-step-back / one-step-forward report (CSV, XLSX, JSON) and an EPCIS 2.0 document of
the selection. One module per format; :mod:`trace_api.export.rows` builds the records they
share from the stored events."""

from trace_api.export.rows import Collected, CteRow, Place, collect
from trace_api.export.selection import Selection, make_selection

__all__ = ["Collected", "CteRow", "Place", "Selection", "collect", "make_selection"]
