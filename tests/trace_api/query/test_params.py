"""Query parameter grammar (no database)."""

from __future__ import annotations

import pytest

from trace_api.exceptions import QueryParameterError
from trace_api.query.params import MAX_PARAMETERS, parse_query


def test_defaults() -> None:
    query = parse_query([])
    assert (query.order_by, query.descending, query.per_page) == ("eventTime", True, 30)
    assert query.conditions == []


def test_each_filter_adds_one_condition() -> None:
    query = parse_query(
        [
            ("eventType", "ObjectEvent"),
            ("GE_eventTime", "2026-01-01T00:00:00Z"),
            ("MATCH_epc", "urn:epc:id:sgtin:4012345.011111.1"),
            ("GT_maxValue_CEL", "8"),
            ("EQ_bizTransaction_po", "urn:x"),
            ("EQ_destination_owning_party", "urn:y"),
            ("LE_quantity_KGM", "3.5"),
            ("perPage", "10"),
            ("orderDirection", "ASC"),
        ]
    )
    assert len(query.conditions) == 7
    assert (query.per_page, query.descending) == (10, False)


def test_fingerprint_ignores_paging_and_order_of_parameters() -> None:
    a = parse_query([("EQ_action", "ADD"), ("eventType", "ObjectEvent"), ("perPage", "5")])
    b = parse_query([("eventType", "ObjectEvent"), ("EQ_action", "ADD"), ("nextPageToken", "t")])
    c = parse_query([("eventType", "ObjectEvent"), ("EQ_action", "OBSERVE")])
    assert a.fingerprint == b.fingerprint != c.fingerprint


def test_too_many_parameters() -> None:
    with pytest.raises(QueryParameterError, match=f"more than {MAX_PARAMETERS}"):
        parse_query([(f"EQ_bizTransaction_t{n}", "x") for n in range(MAX_PARAMETERS + 1)])


@pytest.mark.parametrize(
    "pair",
    [
        ("EQ_ACTION", "ADD"),
        ("EQ_action", "add"),
        ("GE_eventTime", ""),
        ("GT_maxValue_CEL", "inf"),
        ("eventCountLimit", "-1"),
        ("perPage", "1.5"),
        ("EXISTS_errorDeclaration", "maybe"),
        ("EQ_quantity_TOOLONGUOM", "1"),
        ("EQ_bizStep", "x" * 3000),
    ],
)
def test_refused(pair: tuple[str, str]) -> None:
    with pytest.raises(QueryParameterError, match=pair[0][:10]):
        parse_query([pair])
