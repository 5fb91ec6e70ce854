"""Symbol sizes, colours, and labels in English, Korean and Chinese: pure functions, no I/O."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd

__all__ = [
    "BASEMAP_COLORS",
    "CATEGORY_COLORS",
    "CROSSING_COLOR",
    "FACILITY_COLORS",
    "LANGS",
    "NO_FIGURE_COLOR",
    "ROUTE_COLOR",
    "check_lang",
    "crossing_label",
    "facility_kind",
    "facility_label",
    "figure_label",
    "font_family",
    "format_date",
    "format_km",
    "format_number",
    "is_missing",
    "land_color",
    "legend_values",
    "route_weight",
    "source_html",
    "symbol_radius",
    "text",
]

LANGS = ("en", "ko", "zh")
CROSSING_COLOR = "#b2182b"
NO_FIGURE_COLOR = "#6b6b6b"
FACILITY_COLORS = {"CN": "#d95f02", "KP": "#1f4e79"}
# Case records by category: Okabe–Ito, readable by colour-blind readers; repeats after eight.
CATEGORY_COLORS = (
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#f0e442",
    "#000000",
)
MAX_RADIUS_PX = 34.0
MIN_RADIUS_PX = 5.0
ROUTE_COLOR = "#4a3a6b"
# The offline basemap, the same in the page and in images.
BASEMAP_COLORS = {
    "sea": "#dde7ee",
    "land": "#e6e5e0",
    "land_cn_kp": "#f4f2ec",
    "land_kp": "#ebe4d3",
    "coast": "#8aa4b5",
    "province": "#c9c6bd",
    "boundary": "#9a9a9a",
    "boundary_cn_kp": "#5b5b5b",
}
# Route widths: a flow map's line width is proportional to the flow. The route of the
# largest published figure is MAX wide, and the width falls linearly to 0 at no one, with a
# floor of MIN so small flows stay visible; a crossing with no published figure gets the thin
# UNKNOWN width, which stands for no number at all.
ROUTE_MAX_WEIGHT_PX = 10.0
ROUTE_MIN_WEIGHT_PX = 3.0
ROUTE_UNKNOWN_WEIGHT_PX = 1.5


def land_color(country: str | None, cn_kp: bool) -> str:
    """Fill of a country on the basemap: China and North Korea apart, neighbours in grey.

    Examples
    --------
    >>> land_color("North Korea", True), land_color("China", True), land_color("Russia", False)
    ('#ebe4d3', '#f4f2ec', '#e6e5e0')
    """
    if country == "North Korea":
        return BASEMAP_COLORS["land_kp"]
    return BASEMAP_COLORS["land_cn_kp" if cn_kp else "land"]


_TEXT = {
    "cases": ("Records", "기록", "记录"),
    "cases_zoom": (
        "zoom in to see each record",
        "확대하면 각 기록이 보입니다",
        "放大可查看每条记录",
    ),
    "no_figure": ("no published figure", "공개된 수치 없음", "无公开数字"),
    "crossings": ("Border crossings", "국경 통과 지점", "口岸"),
    "facilities_CN": ("Facilities in China", "중국 내 시설", "中国境内设施"),
    "facilities_KP": ("Facilities in North Korea", "북한 내 시설", "朝鲜境内设施"),
    "legend_title": (
        "People sent across (published estimates)",
        "송환 인원 (공개 추정치)",
        "遣返人数（公开估计）",
    ),
    "legend_area": ("circle area ∝ number of people", "원의 면적 ∝ 인원", "圆面积与人数成正比"),
    "site": ("located by a public source", "공개 자료로 위치 확인", "公开资料确定位置"),
    "city": (
        "located to the city only (dashed ring: uncertainty)",
        "도시 수준 위치 (점선: 불확실 범위)",
        "仅知所在城市（虚线：不确定范围）",
    ),
    "approx_crossing": ("approximate crossing point", "대략적 위치", "大致位置"),
    "legend_ring": (
        "faint ring: highest published figure (solid circle: the one shown)",
        "옅은 고리: 공개된 최대 추정치 (채운 원: 표시된 수치)",
        "浅色外圈：公开的最高数字（实心圆：所示数字）",
    ),
    "legend_approx": (
        "dashed ring: crossing located approximately (radius = uncertainty)",
        "점선 고리: 대략적 위치 (반경 = 불확실 범위)",
        "虚线圈：口岸位置为大致位置（半径 = 不确定范围）",
    ),
    "highest": ("highest published", "공개된 최대치", "公开最高数字"),
    "named_no_figure": ("used; no figure published", "사용됨, 수치 미공개", "有使用，无公开数字"),
    "not_named": (
        "not named in reports of this event",
        "이 사건 보도에 언급되지 않음",
        "该事件报道中未提及",
    ),
    "this_event": ("This event", "이 사건", "本次事件"),
    "since": ("Since {date}", "{date} 이후", "{date}以来"),
    "previous_event": ("previous event", "이전 사건", "上一事件"),
    "next_event": ("next event", "다음 사건", "下一事件"),
    "event_step": ("event", "사건", "事件"),
    "step_of": ("event {i} of {n}", "사건 {i}/{n}", "第{i}/{n}个事件"),
    "event_total": ("Total, all crossings", "전체 인원", "总人数"),
    "other_totals": ("Other published totals", "다른 공개 수치", "其他公开数字"),
    "crossings_named_count": (
        "crossings named: {named}; with a figure: {known}",
        "언급된 지점: {named}; 수치 공개: {known}",
        "提及口岸：{named}；有数字：{known}",
    ),
    "sum_of_totals": (
        "Sum of the events' headline totals",
        "사건별 대표 수치의 합",
        "各事件主要数字之和",
    ),
    "sum_note": (
        "each as published; per crossing: sum of the figures shown",
        "각 수치는 공개된 그대로; 지점별: 표시된 수치의 합",
        "各数字均按公开原样；各口岸：所示数字之和",
    ),
    "named_in_events": (
        "no figure (named in {n} event(s))",
        "수치 미공개 ({n}개 사건에서 언급)",
        "无数字（{n}个事件中提及）",
    ),
    "legend_not_named": (
        "faded: crossing not named for this event",
        "흐린 원: 이 사건에서 언급되지 않은 지점",
        "淡色：该事件未提及的口岸",
    ),
    "legend_cumulative": (
        "cumulative view: sum of each crossing's published figures",
        "누적 보기: 지점별 공개 수치의 합",
        "累计视图：各口岸公开数字之和",
    ),
    "estimates": ("Published estimates", "공개 추정치", "公开估计"),
    "headline": ("shown on map", "지도 표시", "地图所示"),
    "coordinate": ("Coordinate", "좌표", "坐标"),
    "sources": ("Sources", "출처", "来源"),
    "map_by": ("Map: bordermap", "지도: bordermap", "地图：bordermap"),
    # Publication notes: {n} is a count; {s} the English plural ending.
    "published_generalised": (
        "{n} location{s} generalised to city level",
        "{n}곳 위치를 도시 수준으로 일반화",
        "{n}处位置已概括到城市级别",
    ),
    "published_dropped": (
        "{n} restricted location{s} not shown",
        "비공개 위치 {n}곳 미표시",
        "{n}处受限位置未显示",
    ),
    "default_title": (
        "Forced repatriation from China to North Korea",
        "중국의 탈북민 강제송환",
        "中国向朝鲜强制遣返",
    ),
    "as_of": ("event of", "사건 일자", "事件日期"),
    "about": ("about {n}", "약 {n}", "约{n}"),
    "up to": ("up to {n}", "최대 {n}", "最多{n}"),
    "over": ("over {n}", "{n} 이상", "超过{n}"),
    "range": ("{low}–{high}", "{low}–{high}", "{low}–{high}"),
    "people": ("people", "명", "人"),
    "zoom_in": ("Zoom in", "확대", "放大"),
    "zoom_out": ("Zoom out", "축소", "缩小"),
    "close": ("Close popup", "닫기", "关闭"),
    "route": ("Route", "이송 경로", "遣返路线"),
    "routes": ("Routes", "이송 경로", "遣返路线"),
    "route_from": ("Held in China", "중국 내 구금 장소", "中国境内关押地"),
    "route_crossing": ("Crossing", "통과 지점", "口岸"),
    "route_to": ("Taken to in North Korea", "북한 내 이송 장소", "朝鲜境内移送地"),
    "route_length": ("Length", "거리", "长度"),
    "route_status": ("Status", "구분", "性质"),
    "route_unnamed": ("not named by any source", "출처에 언급 없음", "无来源提及"),
    "reported": ("reported by a source", "출처가 보도함", "有来源报道"),
    "inferred": ("inferred, not reported", "추정 (보도되지 않음)", "推断（未见报道）"),
    "legend_reported": ("reported route", "보도된 경로", "已报道的路线"),
    "legend_inferred": ("inferred route", "추정 경로", "推断的路线"),
    "legend_route_width": (
        "line width ∝ people at the crossing (thin: no figure)",
        "선 굵기 ∝ 통과 인원 (가는 선: 수치 없음)",
        "线宽与口岸人数成正比（细线：无数字）",
    ),
    "km": ("{n} km", "{n} km", "{n} 公里"),
    "geodesic": ("geodesic, via the crossing", "측지선 거리, 통과 지점 경유", "大地线距离，经口岸"),
    "notes": ("Notes", "비고", "备注"),
    "facilities_other": ("Facilities", "시설", "设施"),
    "kind_prison": ("prison", "감옥", "监狱"),
    "kind_border detention centre": ("border detention centre", "변방 구류소", "边防拘留所"),
    "kind_detention centre": ("detention centre", "구류소", "看守所"),
    "kind_MSS holding centre": ("MSS holding centre", "보위부 구류장", "国家保卫省拘留所"),
    "kind_prison camp": ("prison camp (kyo-hwa-so)", "교화소", "教化所"),
    "kind_political prison camp": ("political prison camp (kwan-li-so)", "관리소", "管理所"),
    "not_published": (
        "No figure has been published for this crossing.",
        "이 지점에 대해 공개된 수치가 없습니다.",
        "该口岸没有公开的数字。",
    ),
}
_MONTHS_EN = (
    "January February March April May June July August September October November December"
).split()


def check_lang(lang: str) -> str:
    """The language, if bordermap speaks it; a ValidationError naming it otherwise.

    Examples
    --------
    >>> check_lang("ko")
    'ko'
    """
    if lang not in LANGS:
        from bordermap.errors import ValidationError

        raise ValidationError("unknown language", field="lang", value=lang, fix="use en, ko or zh")
    return lang


def text(key: str, lang: str = "en") -> str:
    """A fixed interface string in one of :data:`LANGS`.

    Examples
    --------
    >>> text("no_figure", "ko")
    '공개된 수치 없음'
    """
    return _TEXT[key][LANGS.index(lang)]


def format_number(value: int, lang: str = "en") -> str:
    """Format a count of people with thousands separators (the same in en, ko, zh).

    Examples
    --------
    >>> format_number(1076)
    '1,076'
    """
    return f"{int(value):,}"


def format_km(value: float, lang: str = "en") -> str:
    """A distance in kilometres: whole km, one decimal under 10 km.

    Examples
    --------
    >>> format_km(412.6), format_km(1234.4, "zh"), format_km(2.04, "ko")
    ('413 km', '1,234 公里', '2.0 km')
    """
    if value < 10:
        return text("km", lang).format(n=f"{value:.1f}")
    return text("km", lang).format(n=format_number(round(value), lang))


def format_date(value: date | pd.Timestamp | str, lang: str = "en") -> str:
    """Format a date per language: 9 October 2023, 2023년 10월 9일, 2023年10月9日.

    Examples
    --------
    >>> format_date("2023-10-09", "zh")
    '2023年10月9日'
    """
    day = pd.Timestamp(value)
    if lang == "ko":
        return f"{day.year}년 {day.month}월 {day.day}일"
    if lang == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


def _name(row: pd.Series | None, columns: tuple[str, ...]) -> str | None:
    if row is None:
        return None
    for column in columns:
        value = row.get(column)
        if isinstance(value, str) and value:
            return value
    return str(row.get("id"))


def crossing_label(row: pd.Series, lang: str = "en") -> str:
    """A crossing's name in a language: its ``label_<lang>``, else built from the gazetteer columns.

    Korean: the Chinese town in Hangul reading (``cn_hangul``), the Korean town in Hangul;
    Chinese: the Chinese town in Hanzi, the Korean town in Hanja (``kp_hanja``).

    Examples
    --------
    >>> row = pd.Series({"id": "x", "cn_hanzi": "图们", "kp_hanja": "穩城", "label_en": "Tumen"})
    >>> crossing_label(row, "zh"), crossing_label(row, "ko")
    ('图们 → 穩城', 'Tumen')
    """
    built = {
        "en": ("cn_pinyin", "kp_en"),
        "ko": ("cn_hangul", "kp_hangul"),
        "zh": ("cn_hanzi", "kp_hanja"),
    }[lang]
    label = row.get(f"label_{lang}")
    if isinstance(label, str) and label:
        return label
    ends = [row.get(c) for c in built]
    if all(isinstance(v, str) and v for v in ends):
        return f"{ends[0]} → {ends[1]}"
    return _name(row, ("label_en", "name", "id")) or str(row.get("id"))


def facility_label(row: pd.Series, lang: str = "en") -> str:
    """A facility's name in a language (``name_<lang>``), else English, else its id."""
    return _name(row, (f"name_{lang}", "name_en", "name", "id")) or ""


def facility_kind(kind: object, lang: str = "en") -> str:
    """The kind of a facility in a language ("prison" → "감옥"); unknown kinds as written.

    Examples
    --------
    >>> facility_kind("MSS holding centre", "zh"), facility_kind("camp", "ko")
    ('国家保卫省拘留所', 'camp')
    """
    key = f"kind_{kind}"
    return text(key, lang) if key in _TEXT else ("" if kind is None else str(kind))


# Fonts per language: CJK faces first for ko/zh so Hangul and Han characters take the
# regional glyph forms (Noto CJK KR for Korean, SC for Chinese); Debian: fonts-noto-cjk.
_FONTS = {
    "en": '"Helvetica Neue", Arial, "Noto Sans CJK KR", "Noto Sans CJK SC", sans-serif',
    "ko": '"Noto Sans CJK KR", "Noto Sans KR", "Apple SD Gothic Neo", "Malgun Gothic", '
    "Arial, sans-serif",
    "zh": '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", Arial, sans-serif',
}


def font_family(lang: str = "en") -> str:
    """CSS font-family for a language's labels.

    Examples
    --------
    >>> font_family("zh").split(",")[0]
    '"Noto Sans CJK SC"'
    """
    return _FONTS[lang]


def is_missing(value: object) -> bool:
    """True for an empty cell: None, NA, NaT or NaN.

    Examples
    --------
    >>> [is_missing(v) for v in (None, pd.NA, pd.NaT, float("nan"), 0, "")]
    [True, True, True, True, False, False]
    """
    return (
        value is None
        or value is pd.NA
        or value is pd.NaT
        or (isinstance(value, float) and math.isnan(value))
    )


def source_html(record, lang: str = "en") -> str:
    """A source as safe HTML: its name (a link when its URL is http(s)) and its date.

    Examples
    --------
    >>> source_html({"source": "TJWG", "source_date": pd.Timestamp("2023-12-07")})
    'TJWG (7 December 2023)'
    """
    from bordermap.safe import html_text, link

    when = record.get("source_date")
    dated = "" if is_missing(when) else f" ({html_text(format_date(when, lang))})"
    return link(record.get("url"), record.get("source")) + dated


def figure_label(
    figure: object, low: object = None, high: object = None, qualifier: str = "", lang: str = "en"
) -> str:
    """The figure as published: "300", "up to 200", "over 300", "150–200".

    Examples
    --------
    >>> figure_label(200, qualifier="up to"), figure_label(None, 150, 200, "range")
    ('up to 200', '150–200')
    >>> figure_label(None)
    'no published figure'
    """
    if is_missing(figure) and is_missing(low) and is_missing(high):
        return text("no_figure", lang)
    if is_missing(figure) or qualifier == "range":
        if not is_missing(low) and not is_missing(high):
            return text("range", lang).format(
                low=format_number(low, lang), high=format_number(high, lang)
            )
        if not is_missing(high):
            return text("up to", lang).format(n=format_number(high, lang))
        if not is_missing(low):
            return text("over", lang).format(n=format_number(low, lang))
        return format_number(figure, lang)
    n = format_number(figure, lang)
    if qualifier in ("about", "up to", "over"):
        return text(qualifier, lang).format(n=n)
    return n


def symbol_value(figure: object, low: object = None, high: object = None) -> float | None:
    """The number a symbol's size stands for: the figure, else the high, else the low bound."""
    for value in (figure, high, low):
        if not is_missing(value):
            return float(value)
    return None


def symbol_radius(value: float, scale_max: float) -> float:
    """Circle radius in pixels so that circle *area* is proportional to the value.

    Examples
    --------
    >>> round(symbol_radius(300, 300), 1), round(symbol_radius(75, 300), 1)
    (34.0, 17.0)
    """
    if scale_max <= 0:
        return MIN_RADIUS_PX
    return max(MIN_RADIUS_PX, MAX_RADIUS_PX * math.sqrt(max(value, 0.0) / scale_max))


def route_weight(value: float | None, scale_max: float) -> float:
    """Line width in pixels for a route whose crossing saw ``value`` people.

    Linear in the value (see ``ROUTE_*_WEIGHT_PX``); None (no published figure) gives the
    thin fixed width, never a guessed number.

    Examples
    --------
    >>> route_weight(300, 300), route_weight(180, 300), route_weight(None, 300)
    (10.0, 6.0, 1.5)
    """
    if value is None or scale_max <= 0:
        return ROUTE_UNKNOWN_WEIGHT_PX
    share = max(value, 0.0) / scale_max
    return round(max(ROUTE_MIN_WEIGHT_PX, ROUTE_MAX_WEIGHT_PX * share), 2)


def legend_values(scale_max: float) -> list[int]:
    """Two or three round reference values for the size legend, largest first.

    Examples
    --------
    >>> legend_values(300)
    [300, 100, 30]
    """
    if scale_max <= 0:
        return []
    top = _round_nice(scale_max)
    values = [top, _round_nice(top / 3), _round_nice(top / 10)]
    return sorted({v for v in values if v > 0}, reverse=True)


def _round_nice(value: float) -> int:
    if value < 1:
        return 0
    magnitude = 10 ** math.floor(math.log10(value))
    return int(round(value / magnitude) * magnitude)
