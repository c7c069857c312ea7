"""Server-rendered web pages of the traceability service (Jinja2, no external resources):
``consumer`` behind the GS1 Digital Link resolver and ``console`` for regulators."""
