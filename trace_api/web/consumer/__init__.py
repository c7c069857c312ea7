"""The consumer side: a GS1 Digital Link resolver and the page a shopper sees after scanning
the code on a pack (product, origin, journey and map, cold chain, certifications, expiry and a
recall banner; English and Chinese). Routes at the root (``/01/…``, ``/00/…``) in
:mod:`~trace_api.web.consumer.routes`; static files under ``/static/consumer/``."""

from trace_api.web.consumer.routes import router

__all__ = ["router"]
