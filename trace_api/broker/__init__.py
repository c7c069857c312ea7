"""The central MQTT broker's configuration: Mosquitto config, per-station ACL, credentials.

``foodtrace broker init DIR`` writes a ready-to-run Mosquitto configuration (TLS listener for
stations, loopback listener for the service's own workers, persistence, no message limits that
could drop QoS 1 events) with generated passwords for the service accounts;
``foodtrace broker add-station DIR STATION`` adds a station account. ``deploy/mosquitto/`` holds
the rendering of the same templates for the standard ``/etc/mosquitto/foodtrace`` layout.
"""
