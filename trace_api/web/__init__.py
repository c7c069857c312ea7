"""Server-rendered web pages: the consumer page (``consumer``) and the regulator console
(``console``), Jinja2 templates served by the service's FastAPI app."""
