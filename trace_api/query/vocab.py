"""The equivalent spellings of a CBV vocabulary value, so that queries match any of them.

CBV 2.0 allows three forms of a standard value: the bare word (``shipping``, in EPCIS 2.0
JSON-LD), the URN (``urn:epcglobal:cbv:bizstep:shipping``) and the Web URI
(``https://ref.gs1.org/cbv/BizStep-shipping``). Events are stored as written, so a query value
in any form is expanded to all three. Values that are none of these (user vocabularies) match
only themselves.

Measurement types (``sensorReport.type``) are GS1 Web Vocabulary terms: ``Temperature``,
``gs1:Temperature`` (the prefix the standard EPCIS context binds) and
``https://gs1.org/voc/Temperature`` are one value.
"""

from __future__ import annotations

__all__ = ["VOCABULARIES", "measurement_type_spellings", "spellings"]

#: vocabulary → (URN prefix, Web URI prefix)
VOCABULARIES = {
    "bizStep": ("urn:epcglobal:cbv:bizstep:", "https://ref.gs1.org/cbv/BizStep-"),
    "disposition": ("urn:epcglobal:cbv:disp:", "https://ref.gs1.org/cbv/Disp-"),
    "btt": ("urn:epcglobal:cbv:btt:", "https://ref.gs1.org/cbv/BTT-"),
    "sdt": ("urn:epcglobal:cbv:sdt:", "https://ref.gs1.org/cbv/SDT-"),
    "er": ("urn:epcglobal:cbv:er:", "https://ref.gs1.org/cbv/ER-"),
}


def spellings(vocabulary: str, value: str) -> list[str]:
    """Every spelling of ``value`` in ``vocabulary`` (``value`` itself first)."""
    urn, web = VOCABULARIES[vocabulary]
    word = value
    for prefix in (urn, web):
        if value.startswith(prefix):
            word = value[len(prefix) :]
    if not word or ":" in word or "/" in word:
        return [value]
    return list(dict.fromkeys([value, word, urn + word, web + word]))


_GS1_VOC = ("gs1:", "https://gs1.org/voc/", "http://gs1.org/voc/", "https://www.gs1.org/voc/")


def measurement_type_spellings(value: str) -> list[str]:
    """Every spelling of a measurement ``type`` (``value`` itself first)."""
    word = value
    for prefix in _GS1_VOC:
        if value.startswith(prefix):
            word = value[len(prefix) :]
    if not word or ":" in word or "/" in word:
        return [value]
    return list(dict.fromkeys([value, word, "gs1:" + word, "https://gs1.org/voc/" + word]))
