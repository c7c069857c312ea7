"""Early warnings: the warning store (dedup, workflow), trace-back/forward enrichment and the
MQTT publication of new warnings (contract B)."""
