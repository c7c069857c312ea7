"""Tests for foodtrace.epcis.prehash: the canonical pre-hash string, rule by rule."""

from __future__ import annotations

from typing import Any

import pytest

from foodtrace.epcis.prehash import STANDARD_NAMESPACES, build_prehash
from foodtrace.exceptions import EventHashError

NS = {**STANDARD_NAMESPACES, "example": "https://ns.example.com/epcis/"}
BASE: dict[str, Any] = {
    "type": "ObjectEvent",
    "eventTime": "2022-02-16T20:33:31.116-06:00",
    "eventTimeZoneOffset": "-06:00",
    "action": "OBSERVE",
}
HEAD = "eventType=ObjectEventeventTime=2022-02-17T02:33:31.116ZeventTimeZoneOffset=-06:00"


def prehash(**fields: Any) -> str:
    return build_prehash({**BASE, **fields}, NS)


def test_single_event_example() -> None:
    # hash/examples/epcisDocWithSingleEvent (notes/standards.md §2, worked example)
    text = prehash(
        bizStep="shipping",
        disposition="in_transit",
        epcList=["urn:epc:id:sgtin:0614141.107346.2018", "urn:epc:id:sgtin:0614141.107346.2017"],
        readPoint={"id": "urn:epc:id:sgln:0614141.07346.1234"},
        bizTransactionList=[
            {"type": "po", "bizTransaction": "http://transaction.acme.com/po/12345678"}
        ],
    )
    assert text == (
        HEAD + "epcListepc=https://id.gs1.org/01/10614141073464/21/2017"
        "epc=https://id.gs1.org/01/10614141073464/21/2018action=OBSERVE"
        "bizStep=https://ref.gs1.org/cbv/BizStep-shipping"
        "disposition=https://ref.gs1.org/cbv/Disp-in_transit"
        "readPointid=https://id.gs1.org/414/0614141073467/254/1234"
        "bizTransactionListtype=https://ref.gs1.org/cbv/BTT-po"
        "bizTransaction=http://transaction.acme.com/po/12345678"
    )


def test_destination_list_sorts_before_source_list_and_ilmd_between() -> None:
    text = prehash(
        sourceList=[{"type": "location", "source": "urn:epc:id:sgln:4012345.00225.0"}],
        destinationList=[{"destination": "urn:epc:id:sgln:0614141.00777.0", "type": "location"}],
        ilmd={"example:lot": "L1"},
    )
    tail = text[len(HEAD + "action=OBSERVE") :]
    assert tail == (
        "destinationListtype=https://ref.gs1.org/cbv/SDT-locationdestination="
        "https://id.gs1.org/414/0614141007776"
        "ilmd{https://ns.example.com/epcis/}lot=L1"
        "sourceListtype=https://ref.gs1.org/cbv/SDT-locationsource="
        "https://id.gs1.org/414/4012345002256"
    )


def test_type_comes_before_the_id_whatever_the_key_order() -> None:
    one = prehash(bizTransactionList=[{"type": "po", "bizTransaction": "urn:x:1"}])
    two = prehash(bizTransactionList=[{"bizTransaction": "urn:x:1", "type": "po"}])
    assert one == two
    assert one.endswith(
        "bizTransactionListtype=https://ref.gs1.org/cbv/BTT-pobizTransaction=urn:x:1"
    )


def test_a_typeless_business_transaction_is_hashed() -> None:
    assert prehash(bizTransactionList=[{"bizTransaction": "urn:x:1"}]).endswith(
        "bizTransactionListbizTransaction=urn:x:1"
    )


def test_lists_are_sorted_and_empty_lists_omitted() -> None:
    text = prehash(
        quantityList=[
            {
                "epcClass": "urn:epc:class:lgtin:4012345.012345.998877",
                "quantity": 200.0,
                "uom": "KGM",
            },
            {
                "epcClass": "urn:epc:class:lgtin:4012345.012345.998876",
                "quantity": 300,
                "uom": "KGM",
            },
        ],
        epcList=[],
    )
    assert "epcList" not in text
    assert (
        "quantityListquantityElementepcClass=https://id.gs1.org/01/04012345123456/10/998876"
        "quantity=300uom=KGMquantityElementepcClass=https://id.gs1.org/01/04012345123456/10/998877"
        "quantity=200uom=KGM"
    ) in text


def test_extensions_of_read_point_and_sensor_structures_follow_their_fields() -> None:
    text = prehash(
        readPoint={"example:b": "2", "id": "urn:epc:id:sgln:4012345.00005.0", "example:a": "1"},
        sensorElementList=[
            {
                "example:z": "last",
                "sensorReport": [
                    {"uom": "CEL", "type": "Temperature", "value": 26.0, "example:r": 1},
                    {"type": "gs1:Speed", "value": 160},
                ],
                "sensorMetadata": {"time": "2022-02-16T14:05:00.000+01:00", "example:m": "x"},
            }
        ],
    )
    assert (
        "readPointid=https://id.gs1.org/414/4012345000054"
        "{https://ns.example.com/epcis/}a=1{https://ns.example.com/epcis/}b=2"
    ) in text
    assert text.endswith(
        "sensorElementListsensorElementsensorMetadatatime=2022-02-16T13:05:00.000Z"
        "{https://ns.example.com/epcis/}m=x"
        "sensorReporttype=https://gs1.org/voc/Speedvalue=160"
        "sensorReporttype=https://gs1.org/voc/Temperaturevalue=26uom=CEL"
        "{https://ns.example.com/epcis/}r=1"
        "{https://ns.example.com/epcis/}z=last"
    )


def test_excluded_fields() -> None:
    plain = prehash()
    assert plain == HEAD + "action=OBSERVE"
    assert (
        prehash(
            eventID="urn:uuid:1",
            recordTime="2023-06-02T07:03:16.073Z",
            errorDeclaration={
                "declarationTime": "2020-01-15T00:00:00Z",
                "reason": "incorrect_data",
            },
            comment="a",
            **{"rdfs:comment": "b", "@context": ["x"], "example:nothing": None},
        )
        == plain
    )


def test_user_extensions_nested_and_sorted() -> None:
    text = prehash(
        **{
            "example:myField3": {"example:mySubField3": ["3", "1"]},
            "example:myField1": {"example:mySubField2": "5", "example:mySubField1": "2"},
            "example:myField2": "0",
            "example:flag": True,
            "example:empty": "",
        }
    )
    ns = "{https://ns.example.com/epcis/}"
    assert text == (
        HEAD + "action=OBSERVE"
        f"{ns}empty{ns}flag=true"
        f"{ns}myField1{ns}mySubField1=2{ns}mySubField2=5"
        f"{ns}myField2=0"
        f"{ns}myField3{ns}mySubField3=1{ns}mySubField3=3"
    )


def test_curies_and_vocabulary_spellings() -> None:
    forms = [
        prehash(bizStep=spelling)
        for spelling in (
            "receiving",
            "urn:epcglobal:cbv:bizstep:receiving",
            "cbv:BizStep-receiving",
            "https://ref.gs1.org/cbv/BizStep-receiving",
        )
    ]
    assert len(set(forms)) == 1
    assert "bizStep=https://ref.gs1.org/cbv/BizStep-receiving" in forms[0]
    assert "bizStep=https://example.com/step" in prehash(bizStep="https://example.com/step")


def test_persistent_disposition_and_certification_info() -> None:
    text = prehash(
        certificationInfo=["https://cert.example/b", "https://cert.example/a"],
        persistentDisposition={
            "unset": ["completeness_inferred"],
            "set": ["completeness_verified"],
        },
    )
    assert text == (
        HEAD + "certificationInfo=https://cert.example/acertificationInfo=https://cert.example/b"
        "action=OBSERVEpersistentDispositionset=https://ref.gs1.org/cbv/Disp-completeness_verified"
        "unset=https://ref.gs1.org/cbv/Disp-completeness_inferred"
    )


def test_ignore_fields() -> None:
    event = {**BASE, "example:captureID": "cc90"}
    assert build_prehash(event, NS, {"{https://ns.example.com/epcis/}captureID"}) == prehash()


@pytest.mark.parametrize(
    ("event", "words"),
    [
        ({"eventTime": "2020-01-01T00:00:00Z"}, "no 'type'"),
        ({**BASE, "readPoint": "urn:epc:id:sgln:4012345.00005.0"}, "readPoint must be an object"),
        ({**BASE, "bizStep": {"x": 1}}, "bizStep must be a string or a number"),
        ({**BASE, "bizTransactionList": ["po"]}, "entries must be objects"),
        ({**BASE, "persistentDisposition": ["x"]}, "set/unset"),
    ],
)
def test_errors(event: dict[str, Any], words: str) -> None:
    with pytest.raises(EventHashError) as info:
        build_prehash(event, NS)
    assert words in str(info.value)
