"""EPCIS 2.0 queries over the traceability database.

:func:`parse_query` reads the query parameters into SQL conditions, :func:`run_query` returns
one page (keyset pagination, signed page tokens) and :func:`query_document` turns it into the
``EPCISQueryDocument`` with the stored events verbatim.
"""

from trace_api.query.document import query_document
from trace_api.query.pages import page_secret
from trace_api.query.params import EventQuery, parse_query, query_pairs
from trace_api.query.run import Page, StoredEvent, run_query

__all__ = [
    "EventQuery",
    "Page",
    "StoredEvent",
    "page_secret",
    "parse_query",
    "query_document",
    "query_pairs",
    "run_query",
]
