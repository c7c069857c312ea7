"""The delivery worker: collect new events into deliveries, POST them, record the outcome.

One pass (:meth:`DeliveryWorker.run_once`) collects every due subscription
(:func:`~trace_api.subscriptions.collect.collect`), then claims due deliveries
(:func:`~trace_api.subscriptions.outbox.claim`) and sends them concurrently (a thread pool of
``concurrency``) with httpx: ``POST dest`` with the stored ``EPCISQueryDocument``, the
signature headers of :mod:`trace_api.subscriptions.signing`, no redirects followed, no proxy
from the environment, a timeout. The destination is checked again before each attempt
(:func:`check_destination`). A 2xx answer delivers; anything else, a timeout or a refused
destination is a failed attempt, retried with backoff until the delivery is dead.

:meth:`DeliveryWorker.run` repeats passes until stopped, sleeping ``poll_interval_s`` when a
pass found nothing to do. ``foodtrace api serve`` runs it in a background thread (setting
``deliver_in_api``), ``foodtrace api deliver`` in the foreground; both may run at once, also
several of each (the outbox hands each delivery to one worker).
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
from prometheus_client import CollectorRegistry, Counter, Histogram
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from foodtrace.exceptions import FoodtraceError
from trace_api.core.config import Settings
from trace_api.subscriptions.collect import CollectPolicy, collect
from trace_api.subscriptions.destinations import DestinationPolicy, check_destination
from trace_api.subscriptions.outbox import Attempt, Claimed, RetryPolicy, claim, record_attempts
from trace_api.subscriptions.signing import signature_headers

__all__ = ["DeliveryConfig", "DeliveryWorker", "PassResult"]

log = logging.getLogger(__name__)
_USER_AGENT = "foodtrace-webhooks/1"
_MAX_ROUNDS = 100


@dataclass(frozen=True, slots=True)
class DeliveryConfig:
    """Everything the worker needs to know, usually from :class:`Settings`."""

    poll_interval_s: float = 0.5
    timeout_s: float = 10.0
    concurrency: int = 8
    collect: CollectPolicy = field(default_factory=CollectPolicy)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    destinations: DestinationPolicy = field(default_factory=DestinationPolicy)

    @classmethod
    def from_settings(cls, settings: Settings) -> DeliveryConfig:
        return cls(
            poll_interval_s=settings.webhook_poll_interval_s,
            timeout_s=settings.webhook_timeout_s,
            concurrency=settings.webhook_concurrency,
            collect=CollectPolicy(
                max_events=settings.webhook_max_events, grace_s=settings.webhook_grace_s
            ),
            retry=RetryPolicy(
                max_attempts=settings.webhook_max_attempts,
                backoff_base_s=settings.webhook_backoff_base_s,
                backoff_max_s=settings.webhook_backoff_max_s,
            ),
            destinations=DestinationPolicy(
                allow_link_local=settings.webhook_allow_link_local,
                block_private=settings.webhook_block_private,
            ),
        )


@dataclass(slots=True)
class PassResult:
    """What one pass did."""

    collected: int = 0
    delivered: int = 0
    failed: int = 0
    dead: int = 0

    @property
    def idle(self) -> bool:
        return not (self.collected or self.delivered or self.failed)


class _Metrics:
    def __init__(self, registry: CollectorRegistry | None) -> None:
        self.attempts = Counter(
            "foodtrace_webhook_attempts",
            "Webhook delivery attempts, by outcome (delivered, failed, dead).",
            ["outcome"],
            registry=registry,
        )
        self.latency = Histogram(
            "foodtrace_webhook_latency_seconds",
            "From the recordTime of a delivery's first event to its acknowledged delivery.",
            buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600),
            registry=registry,
        )


class DeliveryWorker:
    """Collects and delivers for every subscription of one database."""

    def __init__(
        self,
        engine: Engine,
        config: DeliveryConfig,
        *,
        registry: CollectorRegistry | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._engine = engine
        self._config = config
        self._metrics = _Metrics(registry if registry is not None else CollectorRegistry())
        self._client = httpx.Client(
            timeout=httpx.Timeout(config.timeout_s),
            follow_redirects=False,
            trust_env=False,
            transport=transport,
            headers={"User-Agent": _USER_AGENT},
            limits=httpx.Limits(max_connections=config.concurrency * 2),
        )
        self._pool = ThreadPoolExecutor(config.concurrency, thread_name_prefix="webhook")
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- one pass ---------------------------------------------------------------------------

    def run_once(self) -> PassResult:
        """Collect, then send every delivery that is due now."""
        result = PassResult()
        result.collected = collect(self._engine, self._config.collect)
        lease = self._config.timeout_s * 2 + 30
        # Round after round: a subscription's next document becomes due once the one before
        # it is delivered; a failed one waits for its backoff, so the rounds end.
        for _ in range(_MAX_ROUNDS):
            claimed = claim(self._engine, self._config.concurrency * 4, lease)
            if not claimed:
                break
            attempts = list(self._pool.map(self._send, claimed))
            dead = {
                a.claimed.pk for a in record_attempts(self._engine, attempts, self._config.retry)
            }
            now = datetime.now(UTC)
            for attempt in attempts:
                self._observe(attempt, attempt.claimed.pk in dead, now)
                if attempt.error is None:
                    result.delivered += 1
                else:
                    result.failed += 1
            result.dead += len(dead)
        return result

    def _send(self, claimed: Claimed) -> Attempt:
        """POST one delivery; what happened."""
        status: int | None = None
        try:
            check_destination(claimed.dest, self._config.destinations)
            headers = {
                "Content-Type": "application/json",
                **signature_headers(claimed.signature_token, claimed.uid, claimed.body),
            }
            response = self._client.post(claimed.dest, content=claimed.body, headers=headers)
            status = response.status_code
            if 200 <= status < 300:
                return Attempt(claimed, status, None)
            error = f"HTTP {status} from the receiver"
        except FoodtraceError as exc:
            error = str(exc)
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"
        return Attempt(claimed, status, error)

    def _observe(self, attempt: Attempt, dead: bool, now: datetime) -> None:
        claimed = attempt.claimed
        if attempt.error is None:
            self._metrics.attempts.labels("delivered").inc()
            if claimed.first_recorded_at is not None:
                latency = (now - claimed.first_recorded_at).total_seconds()
                self._metrics.latency.observe(max(latency, 0.0))
            return
        self._metrics.attempts.labels("dead" if dead else "failed").inc()
        log.warning(
            "webhooks: delivery %s to %s failed (attempt %d%s): %s",
            claimed.uid,
            claimed.dest,
            claimed.attempts,
            ", now dead" if dead else "",
            attempt.error,
        )

    # -- until stopped ------------------------------------------------------------------------

    def run(self) -> None:
        """Pass after pass until :meth:`stop`; database outages are waited out."""
        while not self._stop.is_set():
            try:
                result = self.run_once()
            except (SQLAlchemyError, FoodtraceError) as exc:
                log.warning("webhooks: pass failed, retrying: %s", exc)
                result = PassResult()
            if result.idle:
                self._stop.wait(self._config.poll_interval_s)

    def start(self) -> None:
        """Run in a background thread."""
        self._thread = threading.Thread(target=self.run, name="webhook-worker", daemon=True)
        self._thread.start()

    def request_stop(self) -> None:
        """Make :meth:`run` return after the current pass (safe from a signal handler)."""
        self._stop.set()

    def stop(self) -> None:
        """Stop the background thread after its current pass; release the client and threads."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self._config.timeout_s + 30)
        self.close()

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        self._client.close()
