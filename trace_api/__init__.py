"""Central traceability service: MQTT ingest, traceability database, EPCIS 2.0 REST
interface, trace and recall, Digital Link resolver."""
