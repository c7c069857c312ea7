"""EPCIS 2.0 query subscriptions delivered by webhook.

A subscription (:mod:`.store`) to a named query is streamed or scheduled
(:mod:`.schedule`); new matching events become deliveries in a durable outbox
(:mod:`.collect`), which a worker (:mod:`.worker`) POSTs to the subscriber, signed with
HMAC-SHA256 (:mod:`.signing`), retried with backoff until delivered or dead (:mod:`.outbox`),
only to destinations that pass the forgery guard (:mod:`.destinations`).
"""

from trace_api.subscriptions.signing import sign, signature_headers, verify
from trace_api.subscriptions.worker import DeliveryConfig, DeliveryWorker, PassResult

__all__ = [
    "DeliveryConfig",
    "DeliveryWorker",
    "PassResult",
    "sign",
    "signature_headers",
    "verify",
]
