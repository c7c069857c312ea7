"""Tests for foodtrace.gs1.digital_link.canonical: the constrained canonical Digital Link."""

from __future__ import annotations

import pytest

from foodtrace.gs1.digital_link import canonical_identifier, epc_to_digital_link

# Every identifier shape in the CBV 2.0 hash vectors (epclist_normalisation, AllGS1Keys) with
# its constrained canonical Digital Link as the vectors' pre-hash strings show it.
HASH_VECTOR_SHAPES = [
    ("urn:epc:id:sgtin:4012345.011111.98%22", "https://id.gs1.org/01/04012345111118/21/98%22"),
    ("urn:epc:id:sgtin:415056789012.0.987654", "https://id.gs1.org/01/04150567890128/21/987654"),
    (
        "urn:epc:id:sgtin:0614141.812345.6789%2F%26%25%22!%3F()",
        "https://id.gs1.org/01/80614141123458/21/6789%2F%26%25%22%21%3F%28%29",
    ),
    ("urn:epc:id:sscc:4012345.3111111111", "https://id.gs1.org/00/340123451111111111"),
    ("urn:epc:id:sgln:4012345.00005.122", "https://id.gs1.org/414/4012345000054/254/122"),
    ("urn:epc:id:sgln:4012345.00005.0", "https://id.gs1.org/414/4012345000054"),
    ("urn:epc:id:grai:4012345.00022.334455", "https://id.gs1.org/8003/04012345000221334455"),
    ("urn:epc:id:giai:4012345.ABC345", "https://id.gs1.org/8004/4012345ABC345"),
    ("urn:epc:id:gsrn:4012345.0000006765", "https://id.gs1.org/8018/401234500000067657"),
    ("urn:epc:id:gsrnp:4012345.0000000007", "https://id.gs1.org/8017/401234500000000074"),
    ("urn:epc:id:gdti:4012345.00009.PO-4711", "https://id.gs1.org/253/4012345000092PO-4711"),
    ("urn:epc:id:gdti:987659999999..9", "https://id.gs1.org/253/98765999999929"),
    (
        "urn:epc:id:cpi:0614141.11111111111111-A%23%2F.1234",
        "https://id.gs1.org/8010/061414111111111111111-A%23%2F/8011/1234",
    ),
    ("urn:epc:id:ginc:0614141.xyz47%2F11", "https://id.gs1.org/401/0614141xyz47%2F11"),
    ("urn:epc:id:gsin:4012345.222333444", "https://id.gs1.org/402/40123452223334442"),
    (
        "urn:epc:id:itip:4012345.011111.01.02.987",
        "https://id.gs1.org/8006/040123451111180102/21/987",
    ),
    (
        "urn:epc:id:upui:1234567.098765.51qIgY)%3C%26Jp3*j7'SDB",
        "https://id.gs1.org/01/01234567987651/235/51qIgY%29%3C%26Jp3%2Aj7'SDB",
    ),
    ("urn:epc:id:pgln:4000001.00000", "https://id.gs1.org/417/4000001000005"),
    ("urn:epc:id:pgln:999999999999.", "https://id.gs1.org/417/9999999999994"),
    ("urn:epc:id:sgcn:4012345.99999.44", "https://id.gs1.org/255/401234599999044"),
    ("urn:epc:class:lgtin:4012345.012345.Lot987", "https://id.gs1.org/01/04012345123456/10/Lot987"),
    ("urn:epc:idpat:sgtin:4054739.099914.*", "https://id.gs1.org/01/04054739999148"),
    ("urn:epc:idpat:grai:4012345.66666.*", "https://id.gs1.org/8003/04012345666663"),
    ("urn:epc:idpat:gdti:4012345.55555.*", "https://id.gs1.org/253/4012345555554"),
    ("urn:epc:idpat:sgcn:4012345.99999.*", "https://id.gs1.org/255/4012345999990"),
    ("urn:epc:idpat:cpi:4012345.ABC.*", "https://id.gs1.org/8010/4012345ABC"),
    ("urn:epc:idpat:itip:4012345.012345.01.02.*", "https://id.gs1.org/8006/040123451234560102"),
    ("https://id.gs1.org/gtin/09780345418913", "https://id.gs1.org/01/09780345418913"),
    (
        "https://example.com/gtin/09780345418913/21/765tz?abc=211121",
        "https://id.gs1.org/01/09780345418913/21/765tz",
    ),
    (
        "https://id.gs1.de/01/04012345999990/21/XYZ-1234",
        "https://id.gs1.org/01/04012345999990/21/XYZ-1234",
    ),
    ("https://id.example.org/8004/401234599999", "https://id.gs1.org/8004/401234599999"),
    ("https://example.com/253/4012345000054987", "https://id.gs1.org/253/4012345000054987"),
    ("https://id.gs1.org/00/040123450000003338", "https://id.gs1.org/00/040123450000003338"),
]


@pytest.mark.parametrize(("value", "canonical"), HASH_VECTOR_SHAPES)
def test_canonical_identifier_of_hash_vector_shapes(value: str, canonical: str) -> None:
    assert canonical_identifier(value) == canonical
    assert canonical_identifier(canonical) == canonical


@pytest.mark.parametrize(
    "value",
    [
        "http://transaction.acme.com/po/12345678",
        "https://ref.gs1.org/cbv/BizStep-shipping",
        "urn:epcglobal:cbv:bt:0614141073467:1152",
        "urn:epc:id:gid:31415.271828.1414",
        "urn:epc:id:usdod:CAGEY.5678",
        "urn:epc:idpat:sgtin:4012345.*.*",
        "urn:epc:id:sgtin:4012345.01111.1",  # 12 digits instead of 13
        "https://id.gs1.org/01/09780345418914",  # wrong check digit
        "urn:uuid:374d95fc-9457-4a51-bd6a-0bba133845a8",
        "shipping",
        "",
    ],
)
def test_canonical_identifier_leaves_other_values_alone(value: str) -> None:
    assert canonical_identifier(value) == value


@pytest.mark.parametrize(
    "urn",
    [
        "urn:epc:id:sgtin:4012345.011111.9876",
        "urn:epc:id:sgtin:4012345.011111.9877",  # same GTIN: served from the fast path's memo
        "urn:epc:id:sgtin:415056789012.0.A1b2C3",
        "urn:epc:id:sgtin:4012345.011111.a.b",  # a dot in the serial: not the fast path
        "urn:epc:id:sgtin:4012345.011111.x!",
        "urn:epc:id:sgtin:4012345.011111." + "9" * 20,
    ],
)
def test_sgtin_fast_path_equals_the_full_conversion(urn: str) -> None:
    assert canonical_identifier(urn) == epc_to_digital_link(urn)


def test_overlong_sgtin_serial_is_left_alone() -> None:
    urn = "urn:epc:id:sgtin:4012345.011111." + "9" * 21
    assert canonical_identifier(urn) == urn
