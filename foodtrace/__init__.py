"""foodtrace: the shared standards core used by every part of the system.

``foodtrace.gs1``     GS1 identifiers: check digits, application identifiers, EPC Tag Data
                      Standard codec, GS1 Digital Link.
``foodtrace.epcis``   EPCIS 2.0 / CBV 2.0: event model, JSON-LD I/O, validation, event hash ID.
``foodtrace.cli``     the one ``foodtrace`` command.

The station side (``edge_agent``, ``firmware_sim``) and the central side (``trace_api``,
``analytics``) import this package; it imports neither of them.
"""

__version__ = "0.1.0"
