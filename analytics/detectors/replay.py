"""Replayed event: an event whose content is identical to one stored before (same time,
place, step, EPCs …) under another eventID — the same capture sent again as new."""

from __future__ import annotations

from analytics.detectors.base import Finding, Scope, evidence, items_of

DETECTOR = ("replayed_event", "rules.replayed_event", "1")
THRESHOLD = 1.0


def detect(scope: Scope) -> list[Finding]:
    threshold = scope.threshold(DETECTOR[1], THRESHOLD)
    js = scope.journeys
    candidates = (
        {js.events[i].content_key for i in scope.new_events}
        if scope.new_events is not None
        else set(js.by_content)
    )
    found: list[Finding] = []
    for key in candidates:
        copies = js.by_content[key]
        if len(copies) < 2:
            continue
        original = js.events[copies[0]]
        ids = {original.event_id}
        for i in copies[1:]:
            replay = js.events[i]
            if replay.event_id in ids:
                continue
            ids.add(replay.event_id)
            items = items_of(replay)
            lots = [lot for o in items if (lot := js.lot(o))] + list(replay.classes)
            subject = replay.event_id
            found.append(
                evidence(
                    DETECTOR,
                    1.0,
                    threshold,
                    subject,
                    f"event {replay.event_id} repeats the content of {original.event_id} "
                    f"({original.biz_step} at {original.location}) under a new eventID",
                    ("copies", float(len(copies)), "count"),
                    [replay],
                    epcs=items or [o for o in replay.objects if o not in replay.classes],
                    lots=lots,
                )
            )
    return found
