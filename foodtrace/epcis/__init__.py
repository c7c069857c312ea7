"""EPCIS 2.0 and CBV 2.0: event model, JSON-LD I/O, validation, vocabularies, event hash ID."""
