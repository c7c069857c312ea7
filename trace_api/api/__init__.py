"""The REST interface: EPCIS 2.0 binding under ``/epcis``, foodtrace's own API under ``/api/v1``."""
