"""``/epcis/events``: query events, read one event, capture one event synchronously."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool

from trace_api.api.access import capture_guard
from trace_api.api.body import read_json_body
from trace_api.api.capturing import check, problem_errors
from trace_api.api.deps import CapturerDep, EngineDep, LimitsDep, PageSecretDep, QuerierDep
from trace_api.api.headers import VERSION_HEADERS, discovery_headers
from trace_api.api.problems import ProblemError
from trace_api.api.querying import answer_query
from trace_api.api.responses import no_content, problems, query_document
from trace_api.capture import store_checked
from trace_api.exceptions import AccessDeniedError, ApiError, DuplicateEventError, NotFoundError
from trace_api.query.document import EPCIS_CONTEXT

__all__ = ["router"]

router = APIRouter(tags=["Events"])
_LIST = "/epcisBody/eventList/0"


@router.options(
    "/events",
    status_code=204,
    summary="Events discovery",
    responses=no_content("allowed methods and versions"),
)
def events_options() -> Response:
    """Discover the methods and versions of ``/events``."""
    return Response(status_code=204, headers=discovery_headers("OPTIONS, GET, POST"))


@router.get(
    "/events",
    summary="Query events (EPCIS 2.0 query parameters)",
    responses={**query_document("the page of events"), **problems(400, 401, 403, 413)},
)
def query_events(
    request: Request, principal: QuerierDep, engine: EngineDep, secret: PageSecretDep
) -> Response:
    """Query events with the EPCIS 2.0 query parameters; several values of one parameter are
    separated by `|` (any matches), different parameters must all match.

    * what: `eventType`, `EQ_action`, `EQ_bizStep`, `EQ_disposition`,
      `EQ_persistentDisposition_set/unset`, `EQ_transformationID`, `EQ_eventID`,
      `MATCH_epc|parentID|inputEPC|outputEPC|anyEPC|epcClass|inputEPCClass|outputEPCClass|anyEPCClass`
      (pure identities, Digital Links or `urn:epc:idpat:` patterns),
      `EQ|GT|GE|LT|LE_quantity[_<uom>]`
    * when: `GE|LT_eventTime`, `GE|LT_recordTime`
    * where: `EQ|WD_readPoint`, `EQ|WD_bizLocation`, `EQ_ATTR_<readPoint|bizLocation>_<name|
      address|country|kind|party>`, `HASATTR_<readPoint|bizLocation>`
    * why: `EQ_bizTransaction_<type>`, `EQ_source_<type>`, `EQ_destination_<type>`
    * sensors: `EQ_type`, `EQ_deviceID`, … `EQ_booleanValue`, `EXISTS_sensorElementList`,
      `GE|LT_time|startTime|endTime`, `EQ|GT|GE|LT|LE_<value|minValue|maxValue|meanValue|sDev|
      percValue>[_<uom>]`, `GT|GE|LT|LE_percRank`
    * corrections: `EXISTS_errorDeclaration`, `GE|LT_errorDeclarationTime`, `EQ_errorReason`,
      `EQ_correctiveEventID`
    * extension fields: `EQ|GT|GE|LT|LE|EXISTS_[INNER_][ILMD_|ERROR_DECLARATION_|SENSORELEMENT_|
      SENSORMETADATA_|SENSORREPORT_|readPoint_|bizLocation_]<prefix>:<name>`
    * order and size: `orderBy` (eventTime, recordTime), `orderDirection`, `eventCountLimit`,
      `maxEventCount`, `perPage` (≤ 1000) and `nextPageToken` (from the `Link` header)
    """
    return answer_query(request, engine, principal, secret, request.query_params.multi_items())


@router.get(
    "/events/{event_id:path}",
    summary="Read one event",
    responses={**query_document("the event"), **problems(401, 403, 404)},
)
def get_event(
    event_id: str, request: Request, principal: QuerierDep, engine: EngineDep, secret: PageSecretDep
) -> Response:
    """One event by its eventID, as an ``EPCISQueryDocument`` of one event (404 if unknown)."""
    response = answer_query(request, engine, principal, secret, [("EQ_eventID", event_id)])
    if b'"eventList":[]' in bytes(response.body):
        raise NotFoundError(f"no event {event_id[:200]!r}")
    return response


def _as_document(event: object) -> dict[str, object]:
    if not isinstance(event, dict):
        raise ApiError("the body must be one EPCIS event (a JSON object)")
    body = dict(event)
    context = body.pop("@context", [EPCIS_CONTEXT])
    return {
        "@context": context,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "epcisBody": {"eventList": [body]},
    }


@router.post(
    "/events",
    status_code=201,
    summary="Capture one event",
    responses={
        **no_content("stored: `Location` names the event", 201),
        **problems(400, 401, 403, 409, 413, 415),
    },
)
async def capture_event(
    request: Request, principal: CapturerDep, engine: EngineDep, limits: LimitsDep
) -> Response:
    """Capture one event synchronously: 201 and its ``Location``; 409 if already captured."""
    doc = _as_document(await read_json_body(request, limits.max_bytes))
    guard = await run_in_threadpool(capture_guard, engine, principal)
    checked = await run_in_threadpool(check, doc, guard)
    if checked.refusals:
        if all(r.reason_code == "forbidden" for r in checked.refusals):
            raise AccessDeniedError(checked.refusals[0].message)
        errors = problem_errors(checked.refusals, strip=_LIST)
        first = errors[0]
        raise ProblemError(
            f"invalid event at {first['pointer'] or '/'}: {first['message']}", errors
        )
    outcome = (await run_in_threadpool(store_checked, engine, [checked]))[0]
    event_id = outcome.events[0].event_id or ""
    if outcome.duplicates:
        raise DuplicateEventError(f"event {event_id} was already captured")
    headers = {"Location": f"/epcis/events/{quote(event_id, safe='')}", **VERSION_HEADERS}
    return Response(status_code=201, headers=headers)
