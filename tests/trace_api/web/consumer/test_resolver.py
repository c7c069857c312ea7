"""GS1 Digital Link resolver semantics: default link, linkset, link types, headers, aliases."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from sqlalchemy.engine import Engine

from tests.trace_api.api.client import TestClient
from tests.trace_api.web.consumer.story import (
    CONTEXT,
    DC,
    GTIN,
    LOT_OK,
    LOT_OTHER,
    LOT_RECALLED,
    PACKHOUSE,
    RAW_GTIN,
    REASON,
    SERIAL,
    lgtin,
    sgtin,
)
from trace_api.auth.tokens import create_token
from trace_api.capture import capture_document
from trace_api.recall import declare_recall

GS1 = "https://gs1.org/voc/"
OK = f"/01/{GTIN}/10/{LOT_OK}"
RECALLED = f"/01/{GTIN}/10/{LOT_RECALLED}"
HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
JSON = {"Accept": "application/json"}


def test_a_browser_gets_the_consumer_page_with_links_and_caching_headers(client: TestClient):
    response = client.get(OK, headers=HTML)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "Baby spinach, washed, 200 g" in response.text
    assert "Green Valley Farm, field 3" in response.text
    link = response.headers["link"]
    assert f'<http://testserver{OK}?linkType=all>; rel="linkset"' in link
    assert f'rel="{GS1}pip"' in link and f'rel="{GS1}recallStatus"' in link
    assert f'<https://id.gs1.org/01/{GTIN}/10/{LOT_OK}>; rel="owl:sameAs"' in link
    assert response.headers["vary"] == "Accept, Accept-Language, Cookie"
    assert response.headers["cache-control"] == "public, max-age=60"
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert response.headers["content-language"] == "en"


def test_no_accept_header_and_any_type_get_the_page_too(client: TestClient):
    for headers in ({"Accept": "*/*"}, {"Accept": ""}):
        response = client.get(OK, headers=headers)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/html")


def test_link_type_all_and_the_linkset_media_type_get_the_rfc_9264_linkset(client: TestClient):
    by_query = client.get(f"{OK}?linkType=all")
    by_accept = client.get(OK, headers={"Accept": "application/linkset+json"})
    for response in (by_query, by_accept):
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/linkset+json"
        assert response.headers["cache-control"] == "public, max-age=300"
    assert by_query.json() == by_accept.json()
    (entry,) = by_query.json()["linkset"]
    assert entry["anchor"] == f"http://testserver{OK}"
    assert entry[f"{GS1}defaultLink"] == entry[f"{GS1}pip"]
    assert entry[f"{GS1}pip"][0]["type"] == "text/html"
    assert entry[f"{GS1}pip"][0]["hreflang"] == ["en", "zh"]
    assert entry[f"{GS1}traceability"][0]["href"] == (
        f"http://testserver{OK}?linkType=gs1:traceability"
    )
    assert entry[f"{GS1}recallStatus"][0]["href"].endswith("?linkType=gs1:recallStatus")
    assert entry["owl:sameAs"] == [{"href": f"https://id.gs1.org/01/{GTIN}/10/{LOT_OK}"}]


def test_an_api_client_asking_for_json_gets_the_linkset_as_json(client: TestClient):
    response = client.get(OK, headers=JSON)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert "linkset" in response.json()


def test_a_product_level_code_offers_only_the_product_page(client: TestClient):
    (entry,) = client.get(f"/01/{GTIN}?linkType=all").json()["linkset"]
    relations = {key for key in entry if key.startswith(GS1)}
    assert relations == {f"{GS1}pip", f"{GS1}defaultLink"}
    page = client.get(f"/01/{GTIN}", headers=HTML)
    assert page.status_code == 200
    assert "Baby spinach" in page.text and "Green Valley Farm" not in page.text


def test_gs1_epcis_redirects_307_to_the_events_of_the_lot(client: TestClient, story_db: Engine):
    response = client.get(f"{OK}?linkType=gs1:epcis", follow_redirects=False)
    assert response.status_code == 307
    location = urlsplit(response.headers["location"])
    assert location.path == "/epcis/events"
    lot = f"https://id.gs1.org/01/{GTIN}/10/{LOT_OK}"
    assert parse_qs(location.query) == {"MATCH_anyEPCClass": [lot]}
    token = create_token(story_db, "regulator")
    events = client.get(
        f"{location.path}?{location.query}", headers={"Authorization": f"Bearer {token}"}
    ).json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    assert len(events) == 5  # packed, shipped, received, shipped, received: all of this lot
    assert all(LOT_OK in str(event) for event in events)


def test_gs1_recall_status_answers_for_the_lot(client: TestClient):
    recalled = client.get(f"{RECALLED}?linkType=gs1:recallStatus")
    assert recalled.status_code == 200
    assert recalled.headers["cache-control"] == "no-cache"
    body = recalled.json()
    assert body["recalled"] is True
    assert body["lot"] == LOT_RECALLED
    assert [(r["lot"], r["reason"], r["scope"]) for r in body["recalls"]] == [
        (LOT_RECALLED, REASON, "this lot")
    ]
    fine = client.get(f"{OK}?linkType=gs1:recallStatus").json()
    assert fine["recalled"] is False and fine["recalls"] == []


def test_an_item_is_recalled_with_its_lot_named_in_the_path_or_in_its_ilmd(client: TestClient):
    item = f"{LOT_RECALLED}{SERIAL}"
    with_lot = client.get(f"{RECALLED}/21/{item}?linkType=gs1:recallStatus").json()
    without_lot = client.get(f"/01/{GTIN}/21/{item}?linkType=gs1:recallStatus").json()
    assert with_lot["recalled"] is True and without_lot["recalled"] is True
    other = client.get(f"/01/{GTIN}/21/{LOT_OK}{SERIAL}?linkType=gs1:recallStatus").json()
    assert other["recalled"] is False


def test_gs1_traceability_is_the_public_journey(client: TestClient):
    body = client.get(f"{OK}?linkType=gs1:traceability").json()
    places = [stop["place"]["name"]["en"] for stop in body["journey"]]
    assert places == [
        "Green Valley Farm, field 3",
        "Fresh Pack packhouse",
        "East China cold store",
        "City Fresh, Wulin store",
    ]
    assert body["origin"]["place"]["kind"] == "farm"
    assert body["origin"]["from"] == "2026-11-20T06:00:00+08:00"  # as the farm recorded it
    assert body["packed"]["place"]["company"]["en"] == "Fresh Pack Produce Co., Ltd."
    assert body["coldChain"]["status"] == "ok"
    assert body["coldChain"]["readings"] == 3
    assert (body["expiry"], body["expirySource"]) == ("2026-11-27", "ilmd")
    recalled = client.get(f"{RECALLED}?linkType=gs1:traceability").json()
    assert recalled["coldChain"]["status"] == "excursion"
    assert recalled["coldChain"]["highestC"] == 8.5


def test_an_unknown_or_unoffered_link_type_falls_back_to_the_default_link(client: TestClient):
    for link_type in ("gs1:certificationInfo", "nonsense", "gs1:epcis"):
        response = client.get(f"/01/{GTIN}?linkType={link_type}", headers=HTML)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/html")


def test_key_qualifiers_in_any_gs1_valid_form_resolve_alike(client: TestClient):
    expected = client.get(f"{OK}?linkType=gs1:traceability").json()
    for path in (
        f"/gtin/{GTIN}/lot/{LOT_OK}",
        f"/01/{GTIN[1:]}/10/{LOT_OK}",  # GTIN-13
        f"/01/{GTIN}/10/{LOT_OK}/",
        f"/01/{GTIN}/10/SP2611%41",  # percent-encoded 'A'
    ):
        response = client.get(f"{path}?linkType=gs1:traceability&17=261130&99=x&utm=y")
        assert response.status_code == 200, path
        assert response.json() == expected, path


def test_query_string_data_attributes_are_tolerated_even_when_malformed(client: TestClient):
    for query in ("17=999999", "17=", "10=OTHER", "01=123", "%ZZ=1", "linkType"):
        response = client.get(f"{OK}?{query}", headers=HTML)
        assert response.status_code == 200, query


def test_an_expiry_date_in_the_query_string_is_used_when_no_event_records_one(
    client: TestClient,
):
    body = client.get(f"/01/{GTIN}/10/NOEVENTS?linkType=gs1:traceability&17=261200").json()
    assert (body["expiry"], body["expirySource"]) == ("2026-12-31", "barcode")


def test_head_answers_like_get_without_a_body(client: TestClient):
    response = client.head(OK, headers=HTML)
    assert response.status_code == 200
    assert response.content == b""
    assert "linkset" in response.headers["link"]


def test_the_resolver_description_file(client: TestClient):
    body = client.get("/.well-known/gs1resolver").json()
    assert body["resolverRoot"] == "http://testserver"
    assert body["supportedPrimaryKeys"] == ["01", "00"]
    assert {t["profile"] for t in body["supportedLinkType"]} >= {"pip", "recallStatus"}


def test_static_files_are_served_and_nothing_else(client: TestClient):
    css = client.get("/static/consumer/consumer.css")
    assert css.status_code == 200
    assert css.headers["content-type"] == "text/css; charset=utf-8"
    assert client.get("/static/consumer/warning.svg").headers["content-type"] == "image/svg+xml"
    for name in ("missing.css", "..%2Fpages.py", "%2E%2E%2Froutes.py", "pages.py", ".css"):
        assert client.get(f"/static/consumer/{name}").status_code == 404, name


def test_a_recall_of_a_lot_it_was_made_from_recalls_the_pack_too(
    client: TestClient, story_db: Engine
):
    declare_recall(story_db, [lgtin(RAW_GTIN, "H2611A")], "pesticide residue above the limit")
    body = client.get(f"{OK}?linkType=gs1:recallStatus").json()
    assert body["recalled"] is True
    assert [(r["lot"], r["scope"]) for r in body["recalls"]] == [("H2611A", "an ingredient lot")]
    page = client.get(OK, headers=HTML).text
    assert 'role="alert"' in page and "pesticide residue above the limit" in page
    other = client.get(f"/01/{GTIN}/10/{LOT_OTHER}?linkType=gs1:recallStatus").json()
    assert other["recalled"] is False  # made from another harvest lot


def test_a_pallet_sscc_resolves_to_its_own_journey(client: TestClient, story_db: Engine):
    pallet = "urn:epc:id:sscc:6901234.0000000001"
    pack = sgtin(GTIN, f"{LOT_OK}{SERIAL}")
    at = {"readPoint": {"id": PACKHOUSE}, "bizLocation": {"id": PACKHOUSE}}
    doc = {
        "@context": CONTEXT,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-11-24T00:00:00Z",
        "epcisBody": {
            "eventList": [
                {
                    "type": "AggregationEvent",
                    "eventTime": "2026-11-20T15:00:00+08:00",
                    "eventTimeZoneOffset": "+08:00",
                    "parentID": pallet,
                    "childEPCs": [pack],
                    "action": "ADD",
                    "bizStep": "packing",
                    **at,
                },
                {
                    "type": "ObjectEvent",
                    "eventTime": "2026-11-20T19:00:00+08:00",
                    "eventTimeZoneOffset": "+08:00",
                    "epcList": [pallet],
                    "action": "OBSERVE",
                    "bizStep": "shipping",
                    "disposition": "in_transit",
                    "readPoint": {"id": PACKHOUSE},
                    "destinationList": [{"type": "location", "destination": DC}],
                },
            ]
        },
    }
    assert capture_document(story_db, doc).stored == 2
    sscc = "/00/069012340000000016"
    page = client.get(sscc, headers=HTML)
    assert page.status_code == 200
    assert "Logistic unit 069012340000000016" in page.text
    body = client.get(f"{sscc}?linkType=gs1:traceability").json()
    assert body["kind"] == "sscc"
    places = [s["place"]["name"]["en"] for s in body["journey"]]
    assert places == ["Green Valley Farm, field 3", "Fresh Pack packhouse"]  # with its contents
    assert body["journey"][-1]["steps"][-2:] == ["packing", "shipping"]
    (entry,) = client.get(f"{sscc}?linkType=all").json()["linkset"]
    assert f"{GS1}recallStatus" not in entry and f"{GS1}epcis" in entry
    # the pack inherits the pallet's shipping while it sits on it
    pack_body = client.get(f"/01/{GTIN}/21/{LOT_OK}{SERIAL}?linkType=gs1:traceability").json()
    steps = [step for stop in pack_body["journey"] for step in stop["steps"]]
    assert "packing" in steps and steps[-1] == "shipping"
