"""Replayed event: an event whose content is identical to one stored before (place, step,
EPCs, sensor data …) under another eventID, at the same time or later — the same capture sent
again as new. Other detectors leave replays out of the journeys."""

from __future__ import annotations

from analytics.detectors.base import Finding, Scope, evidence, items_of

DETECTOR = ("replayed_event", "rules.replayed_event", "1")
THRESHOLD = 1.0


def detect(scope: Scope) -> list[Finding]:
    threshold = scope.threshold(DETECTOR[1], THRESHOLD)
    js = scope.journeys
    pool = scope.new_events if scope.new_events is not None else range(len(js.events))
    found: list[Finding] = []
    for i in pool:
        replay = js.events[i]
        if replay.replay_of is None:
            continue
        original = js.events[replay.replay_of]
        if replay.event_id == original.event_id:
            continue
        delay = (replay.time - original.time) / 3600
        items = items_of(replay)
        lots = [lot for o in items if (lot := scope.lot(o))] + list(replay.classes)
        when = "at the same time" if delay == 0 else f"{delay:+.1f} h later"
        found.append(
            evidence(
                DETECTOR,
                1.0,
                threshold,
                replay.event_id,
                f"event {replay.event_id} repeats the content of {original.event_id} "
                f"({original.biz_step} at {original.location}) under a new eventID, {when}",
                ("delay", round(delay, 2), "h"),
                [replay],
                epcs=items or [o for o in replay.objects if o not in replay.classes],
                lots=lots,
            )
        )
    return found
