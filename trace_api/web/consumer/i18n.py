"""The consumer page's two languages: which one a request gets, and the page's words.

Order of precedence: ``?lang=zh|en`` (remembered in the ``lang`` cookie), the cookie, the best
``Accept-Language`` match, English.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["COOKIE", "LANGUAGES", "TEXT", "biz_step_label", "choose_language", "html_lang"]

LANGUAGES = ("en", "zh")
COOKIE = "lang"


def _accept_language(header: str) -> str | None:
    best: tuple[float, int, str] | None = None
    for position, item in enumerate(header.split(",")):
        tag, _, params = item.strip().partition(";")
        tag = tag.strip().lower()
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        primary = tag.split("-", 1)[0]
        if primary not in LANGUAGES or quality <= 0:
            continue
        candidate = (quality, -position, primary)
        if best is None or candidate > best:
            best = candidate
    return best[2] if best else None


def choose_language(
    query: str | None, cookie: str | None, accept_language: str | None
) -> tuple[str, bool]:
    """The language and whether it came from the query string (then the cookie is set)."""
    if query in LANGUAGES:
        return query, True
    if cookie in LANGUAGES:
        return cookie, False
    return _accept_language(accept_language or "") or "en", False


def html_lang(lang: str) -> str:
    """The ``lang`` attribute value."""
    return "zh-CN" if lang == "zh" else "en"


_STEPS: Mapping[str, tuple[str, str]] = {
    "commissioning": ("Harvested / commissioned", "采收/赋码"),
    "harvesting": ("Harvested", "采收"),
    "packing": ("Packed", "装箱"),
    "unpacking": ("Unpacked", "拆箱"),
    "repackaging": ("Repacked", "重新包装"),
    "transforming": ("Processed", "加工"),
    "inspecting": ("Inspected", "检验"),
    "shipping": ("Shipped", "发货"),
    "receiving": ("Received", "收货"),
    "departing": ("Departed", "离开"),
    "arriving": ("Arrived", "到达"),
    "storing": ("Stored", "储存"),
    "loading": ("Loaded", "装车"),
    "unloading": ("Unloaded", "卸车"),
    "sensor_reporting": ("Temperature recorded", "温度记录"),
    "retail_selling": ("Sold", "售出"),
    "stocking": ("Put on shelf", "上架"),
    "accepting": ("Accepted", "验收"),
    "destroying": ("Destroyed", "销毁"),
    "cycle_counting": ("Counted", "盘点"),
    "holding": ("Held", "扣留"),
}


def biz_step_label(step: str | None, lang: str) -> str:
    """A shopper's word for a CBV business step."""
    words = _STEPS.get(step or "")
    if words is None:
        return ("Recorded", "记录")[lang == "zh"] if step is None else step.replace("_", " ")
    return words[lang == "zh"]


_WORDS: dict[str, tuple[str, str]] = {
    "title_suffix": ("where your food comes from", "食品溯源"),
    "switch": ("中文", "English"),
    "switch_label": ("Switch to Chinese", "切换到英文"),
    "recall_title": ("RECALL — do not eat this product", "召回 — 请勿食用本产品"),
    "recall_lead": (
        "This lot has been recalled. Return it to the shop or throw it away.",
        "该批次产品已被召回。请退回商店或丢弃。",
    ),
    "recall_reason": ("Reason", "原因"),
    "recall_declared": ("Declared", "发布时间"),
    "recall_lot": ("Lot", "批次"),
    "no_recall": ("No recall for this lot.", "该批次无召回。"),
    "product": ("Product", "产品"),
    "gtin": ("GTIN", "商品条码"),
    "lot": ("Lot", "批次"),
    "serial": ("Serial", "序列号"),
    "sscc": ("Logistic unit (SSCC)", "物流单元 (SSCC)"),
    "logistic_unit": ("Logistic unit", "物流单元"),
    "ingredients": ("Ingredients", "配料"),
    "expiry": ("Use by", "保质期至"),
    "expiry_ilmd": ("as recorded at packing", "包装时记录"),
    "expiry_shelf_life": ("packing date + shelf life", "包装日期 + 保质期"),
    "expiry_barcode": ("from the code on the pack", "来自包装上的条码"),
    "expired": ("expired", "已过期"),
    "certifications": ("Certifications", "认证"),
    "valid_until": ("valid until", "有效期至"),
    "origin": ("Origin", "产地"),
    "harvested": ("Harvested", "采收日期"),
    "packed": ("Packed by", "包装商"),
    "packed_on": ("Packed", "包装日期"),
    "cold_chain": ("Cold chain", "冷链"),
    "cold_ok": ("Kept within {lo}–{hi} °C", "全程保持在 {lo}–{hi} °C"),
    "cold_excursion": (
        "{n} of {total} readings outside {lo}–{hi} °C (lowest {min} °C, highest {max} °C)",
        "{total} 次读数中有 {n} 次超出 {lo}–{hi} °C（最低 {min} °C，最高 {max} °C）",
    ),
    "cold_readings": (
        "{total} readings between {min} and {max} °C",
        "{total} 次读数，介于 {min} 与 {max} °C 之间",
    ),
    "cold_none": ("No temperature records.", "无温度记录。"),
    "journey": ("Journey", "流通轨迹"),
    "map": ("Map of the journey", "流通轨迹地图"),
    "map_desc": ("Places on the way, in order", "途经地点，按顺序"),
    "no_trace": (
        "No traceability records for this code yet.",
        "暂无该条码的追溯记录。",
    ),
    "gtin_only": (
        "This code names the product, not a lot: scan the code with the lot number for its "
        "origin and journey.",
        "该条码只标识产品，不含批次：请扫描带批次号的条码查看产地和流通轨迹。",
    ),
    "footer": (
        "Traceability data from GS1 EPCIS events. Machine-readable links:",
        "追溯数据来自 GS1 EPCIS 事件。机器可读链接：",
    ),
    "unknown_place": ("Unknown place", "未知地点"),
    "error_title": ("This code cannot be read", "无法识别该条码"),
    "error_hint": (
        "Check the code on the pack and try again.",
        "请核对包装上的条码后重试。",
    ),
    "not_found_title": ("Product not found", "未找到该产品"),
    "not_found_hint": (
        "We have no information about this code.",
        "我们没有该条码的任何信息。",
    ),
}


TEXT: dict[str, dict[str, str]] = {
    lang: {key: pair[i] for key, pair in _WORDS.items()} for i, lang in enumerate(LANGUAGES)
}
