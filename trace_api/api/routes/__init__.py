"""Route modules; :mod:`trace_api.api.main` includes their routers."""
