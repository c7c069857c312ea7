"""The regulator console under ``/console/``: sign-in with generated credentials, search, the
trace graph drawn as SVG, the journey timeline, the recall workflow and the exports.

Server-rendered (Jinja2), no JavaScript, every asset served by the app (``/static/console/``),
Chinese and English. :func:`trace_api.web.console.routes.include` registers it on the app."""
