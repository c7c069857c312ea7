"""The console's words in English and Chinese, and the choice between them: ``?lang=`` (kept
in a cookie), else the cookie, else ``Accept-Language``."""

from __future__ import annotations

from starlette.requests import Request

__all__ = ["LANGS", "TEXT", "choose", "words"]

LANGS = ("en", "zh")

TEXT: dict[str, tuple[str, str]] = {
    "app": ("foodtrace regulator console", "foodtrace 监管控制台"),
    "login": ("Sign in", "登录"),
    "logout": ("Sign out", "退出"),
    "username": ("User name", "用户名"),
    "password": ("Password", "密码"),
    "bad_login": ("Wrong user name or password.", "用户名或密码错误。"),
    "too_many": (
        "Too many failed sign-ins. Wait a few minutes and try again.",
        "登录失败次数过多，请几分钟后再试。",
    ),
    "bad_csrf": (
        "The form expired. Reload the page and try again.",
        "表单已过期，请刷新页面后重试。",
    ),
    "search": ("Search", "搜索"),
    "search_hint": (
        "EPC, lot (LGTIN or Digital Link), GTIN, SSCC, company or location name",
        "EPC、批次（LGTIN 或数字链接）、GTIN、SSCC、企业或地点名称",
    ),
    "results": ("Results", "结果"),
    "no_results": ("Nothing found.", "未找到结果。"),
    "companies": ("Companies", "企业"),
    "locations": ("Locations", "地点"),
    "lots_seen": ("Lots seen here", "在此出现的批次"),
    "trace": ("Trace", "追溯"),
    "back": ("back", "向后"),
    "forward": ("forward", "向前"),
    "both": ("back and forward", "双向"),
    "graph": ("Trace graph", "追溯图"),
    "timeline": ("Journey", "流通历程"),
    "time": ("Time", "时间"),
    "step": ("Step", "环节"),
    "place": ("Place", "地点"),
    "objects": ("Objects", "对象"),
    "holders": ("Current holders", "当前持有者"),
    "status": ("Status", "状态"),
    "since": ("Since", "自"),
    "object": ("Object", "对象"),
    "downloads": ("Downloads", "下载"),
    "fsma_csv": ("FSMA 204 spreadsheet (CSV)", "FSMA 204 表格（CSV）"),
    "fsma_xlsx": ("FSMA 204 spreadsheet (XLSX)", "FSMA 204 表格（XLSX）"),
    "art18": ("EU Art. 18 report (XLSX)", "欧盟第 18 条报告（XLSX）"),
    "epcis": ("EPCIS 2.0 document", "EPCIS 2.0 文档"),
    "qr": ("QR code", "二维码"),
    "recalls": ("Recalls", "召回"),
    "recall": ("Recall", "召回"),
    "declare": ("Declare a recall", "发起召回"),
    "reason": ("Reason", "原因"),
    "lots": ("Lots", "批次"),
    "lots_hint": ("One lot per line", "每行一个批次"),
    "declared": ("Declared", "发起时间"),
    "blast": ("Blast radius", "影响范围"),
    "affected_lots": ("Lots", "批次"),
    "items": ("Items", "单品"),
    "units": ("Logistic units", "物流单元"),
    "notify": ("Holders to notify", "需通知的持有者"),
    "parties": ("Businesses", "企业"),
    "no_recalls": ("No recall declared.", "尚无召回。"),
    "recalled": ("recalled", "已召回"),
    "affected": ("affected", "受影响"),
    "held": ("held", "持有"),
    "in_transit": ("in transit", "运输中"),
    "sold": ("sold", "已售"),
    "forbidden": ("Your role may not open this page.", "您的角色无权访问此页面。"),
    "not_found": ("Not found", "未找到"),
    "stage_farm": ("Farms", "农场"),
    "stage_port": ("Ports", "港口"),
    "stage_packer": ("Packers", "包装厂"),
    "stage_processor": ("Processors", "加工厂"),
    "stage_lab": ("Labs", "实验室"),
    "stage_dc": ("Distribution centres", "配送中心"),
    "stage_retail": ("Stores", "门店"),
    "stage_other": ("Other places", "其他地点"),
    "legend_ship": ("shipment", "运输"),
    "legend_transform": ("transformation input", "加工投入"),
    "legend_recalled": ("holds recalled goods", "持有召回产品"),
    "signed_in_as": ("Signed in as", "当前用户"),
    "language": ("中文", "English"),
    "warnings": ("Early warnings", "预警"),
    "no_warnings": ("No warning.", "暂无预警。"),
    "all": ("all", "全部"),
    "filter": ("Show", "筛选"),
    "severity": ("Severity", "严重程度"),
    "type": ("Type", "类型"),
    "explanation": ("Why", "原因说明"),
    "recommended": ("Recommended action", "建议措施"),
    "note": ("Note", "备注"),
    "evidence": ("Evidence", "证据"),
    "events": ("Events", "事件"),
    "history": ("History", "处理记录"),
    "by": ("By", "操作人"),
    "score": ("score", "评分"),
    "w_open": ("open", "待处理"),
    "w_acknowledged": ("acknowledged", "已确认收到"),
    "w_confirmed": ("confirmed", "已证实"),
    "w_false_alarm": ("false alarm", "误报"),
    "w_closed": ("closed", "已关闭"),
    "do_acknowledged": ("Acknowledge", "确认收到"),
    "do_confirmed": ("Confirm", "证实"),
    "do_false_alarm": ("False alarm", "标记误报"),
    "do_closed": ("Close", "关闭"),
    "sev_alert": ("alert", "警报"),
    "sev_information_follow_up": ("information for follow-up", "跟进通报"),
    "sev_attention": ("information for attention", "关注通报"),
}


def choose(request: Request) -> str:
    """The language of this request."""
    asked = request.query_params.get("lang")
    if asked in LANGS:
        return asked
    cookie = request.cookies.get("ft_lang")
    if cookie in LANGS:
        return cookie
    accept = request.headers.get("accept-language", "").lower()
    return "zh" if accept.startswith("zh") else "en"


def words(lang: str) -> dict[str, str]:
    """Every word of the console in ``lang``."""
    index = LANGS.index(lang) if lang in LANGS else 0
    return {key: pair[index] for key, pair in TEXT.items()}
