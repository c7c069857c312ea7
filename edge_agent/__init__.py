"""Edge agent: drives a UHF RFID reader on a serial port, turns tag reads into EPCIS 2.0
events, keeps them in a durable outbox and publishes them over MQTT."""
