"""``foodtrace demo``: the whole system on one machine with one command.

Embedded defaults: SQLite in a per-user data directory, Mosquitto on a free loopback port with
generated passwords and the per-station ACL of :mod:`trace_api.broker` (or an in-process amqtt
broker with passwords and the same publish rule), the REST interface
(uvicorn), the MQTT ingest, and simulated reader stations (both reader protocols, over ptys),
each with its edge agent, feeding the story of :mod:`trace_api.demo.story`.

Modules: ``story`` (master data, stations, lots), ``state`` (the data directory), ``broker``
(Mosquitto), ``embedded_broker`` (amqtt, when Mosquitto is missing), ``stations`` (simulated
reader + edge agent), ``services`` (API server and ingest worker threads), ``runner`` (start,
report, stop), ``cli`` (the command).
"""
