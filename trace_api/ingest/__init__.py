"""MQTT ingest: station documents from the broker into the traceability database.

``foodtrace ingest run`` (:mod:`trace_api.ingest.cli`) runs an :class:`~trace_api.ingest.worker.
IngestWorker`: a shared subscription on every station's ``…/events`` topic, a persistent
session, QoS 1 acknowledged only after the database commit, batched idempotent inserts through
:mod:`trace_api.capture`, refusals to the dead-letter table.
"""
