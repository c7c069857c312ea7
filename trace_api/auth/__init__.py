"""Bearer tokens of the REST interface (:mod:`trace_api.auth.tokens`) and ``foodtrace auth``.

Kept empty so that importing the CLI group (:mod:`trace_api.auth.cli`) stays cheap.
"""
