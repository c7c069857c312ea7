"""Transition likelihood per product over (step, kind of place): trained on the history's
journeys; a journey with a transition rarer than ``min_probability`` (Laplace-smoothed) is an
outlier — an ``inserted_event`` when a token was never seen, else ``out_of_order``."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from itertools import pairwise

from analytics.context import Context
from analytics.detectors.base import Finding, Scope, collapse, evidence, path_events, tokens
from analytics.identifiers import gtin_of
from analytics.journeys import JourneySet

__all__ = ["TransitionModel"]

Token = tuple[str | None, str | None]
START: Token = ("^", None)


class TransitionModel:
    """Counts of token → token transitions per GTIN."""

    name = "learned.transitions"
    version = "1"

    def __init__(self, min_probability: float = 0.002) -> None:
        self.min_probability = min_probability
        self.counts: dict[str, Counter[tuple[Token, Token]]] = defaultdict(Counter)
        self.totals: dict[str, Counter[Token]] = defaultdict(Counter)
        self.vocab: dict[str, set[Token]] = defaultdict(set)

    def fit(self, journeys: JourneySet, context: Context) -> TransitionModel:
        scope = Scope(journeys, context, items=journeys.items())
        for item in scope.items:
            gtin = gtin_of(item) or ""
            seq = [START, *tokens(scope, collapse(path_events(scope.effective(item))))]
            self.vocab[gtin].update(seq)
            for a, b in pairwise(seq):
                self.counts[gtin][(a, b)] += 1
                self.totals[gtin][a] += 1
        return self

    def probability(self, gtin: str, a: Token, b: Token) -> float:
        size = max(1, len(self.vocab.get(gtin, ())))
        return (self.counts[gtin][(a, b)] + 0.1) / (self.totals[gtin][a] + 0.1 * size)

    def detect(self, scope: Scope) -> list[Finding]:
        threshold = -math.log10(self.min_probability)
        found: list[Finding] = []
        for item in scope.items:
            gtin = gtin_of(item) or ""
            if gtin not in self.vocab:
                continue
            journey = collapse(path_events(scope.effective(item)))
            seq = [START, *tokens(scope, journey)]
            worst = (0.0, 0, False)
            for n, (a, b) in enumerate(pairwise(seq)):
                surprise = -math.log10(self.probability(gtin, a, b))
                if surprise > worst[0]:
                    worst = (surprise, n, b not in self.vocab[gtin])
            surprise, n, unseen = worst
            if surprise < threshold / 2:
                continue
            kind = "inserted_event" if unseen else "out_of_order"
            event = journey[n]
            lot = scope.journeys.lot(item)
            found.append(
                evidence(
                    (kind, self.name, self.version),
                    surprise,
                    threshold,
                    item,
                    f"{item}: {event.biz_step} at {event.location} follows a step it "
                    f"practically never follows for this product (p = {10**-surprise:.2g})",
                    ("transition_surprise", round(surprise, 2), "log10"),
                    [event],
                    epcs=[item],
                    lots=[lot] if lot else [],
                )
            )
        return found
