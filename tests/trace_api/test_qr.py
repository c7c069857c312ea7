"""QR codes of Digital Links: the URI each input form becomes, read back by zxing-cpp."""

from __future__ import annotations

from pathlib import Path

import pytest

from foodtrace.cli import run
from foodtrace.exceptions import GS1Error
from tests.trace_api.qr_decode import decode_png
from trace_api.qr import qr_image, qr_link

LOT_URN = "urn:epc:class:lgtin:6901234.051001.SP2611B"
LOT_LINK = "https://id.gs1.org/01/06901234510010/10/SP2611B"


@pytest.mark.parametrize(
    ("given", "base", "expected"),
    [
        (LOT_URN, None, LOT_LINK),
        (
            LOT_URN,
            "https://resolver.example/",
            "https://resolver.example/01/06901234510010/10/SP2611B",
        ),
        (
            "urn:epc:id:sgtin:6901234.051001.SP2611B9001",
            "http://127.0.0.1:8000",
            "http://127.0.0.1:8000/01/06901234510010/21/SP2611B9001",
        ),
        ("urn:epc:id:sscc:6901234.0000000001", None, "https://id.gs1.org/00/069012340000000016"),
        (
            "https://brand.example/p/gtin/6901234510010/lot/A%2FB?17=261231&utm=x",
            "https://r.example/base",
            "https://r.example/base/01/06901234510010/10/A%2FB?17=261231",
        ),
        ("6901234510010", None, "https://id.gs1.org/01/06901234510010"),
    ],
)
def test_every_input_form_becomes_the_digital_link(given: str, base: str | None, expected: str):
    assert qr_link(given, base) == expected


@pytest.mark.parametrize(
    ("given", "base"),
    [
        ("urn:epc:id:sgtin:6901234.051001", None),
        ("https://id.gs1.org/01/06901234510011", None),
        ("urn:epc:id:gid:1.2.3", None),
        ("spinach", None),
        (LOT_URN, "ftp://resolver.example"),
        (LOT_URN, "https://resolver.example/?x=1"),
    ],
)
def test_bad_input_is_a_gs1_error(given: str, base: str | None):
    with pytest.raises(GS1Error):
        qr_link(given, base)


def test_the_png_reads_back_as_the_link():
    link = qr_link(LOT_URN, "https://resolver.example")
    assert decode_png(qr_image(link, "png", scale=4)) == [link]


def test_the_svg_is_an_svg_of_the_link():
    svg = qr_image(LOT_LINK, "svg").decode()
    assert svg.startswith("<svg") and f"<title>{LOT_LINK}</title>" in svg


def test_the_cli_writes_svg_or_png_and_prints_the_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    png = tmp_path / "lot.png"
    code = run(["qr", LOT_URN, "--out", str(png), "--base", "https://resolver.example"])
    assert code == 0
    link = "https://resolver.example/01/06901234510010/10/SP2611B"
    assert capsys.readouterr().out.strip() == link
    assert decode_png(png.read_bytes()) == [link]
    svg = tmp_path / "lot.svg"
    assert run(["qr", LOT_URN, "--out", str(svg)]) == 0
    assert svg.read_text().startswith("<svg")


def test_the_cli_refuses_bad_input_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert run(["qr", LOT_URN, "--out", str(tmp_path / "lot.gif")]) == 2
    assert ".svg or .png" in capsys.readouterr().err
    assert run(["qr", "urn:epc:class:lgtin:6901234.051001", "--out", str(tmp_path / "a.svg")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("foodtrace: error: ") and err.count("\n") == 1
    assert not (tmp_path / "a.svg").exists()
