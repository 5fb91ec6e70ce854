"""Any language: the gettext catalogs, CLDR words, place names in the map's language, and a
right-to-left page mirrored in headless Chromium."""

from __future__ import annotations

import string
import warnings
from importlib import resources

import pytest
from babel.messages.pofile import read_po

import bordermap
from bordermap import i18n
from bordermap.cli import main
from bordermap.errors import BordermapWarning, ValidationError
from bordermap.inputs import bundled_path

LOCALE = resources.files("bordermap").joinpath("locale")
COMPLETE = ("en", "ko", "zh", "ar", "ru")


def _catalog(path):
    with path.open("rb") as file:
        return {m.context: m for m in read_po(file) if m.id}


def _fields(text: str) -> set[str]:
    """The placeholders of a message: {n}, {title} …"""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _forms(value) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


TEMPLATE = _catalog(LOCALE.joinpath("bordermap.pot"))


@pytest.fixture(scope="module")
def joined():
    return bordermap.join_estimates(
        bordermap.load_crossings(), bundled_path("events/2023-10-09.csv")
    )


def test_the_catalogs_are_the_ones_promised():
    assert set(COMPLETE) <= set(i18n.LANGS) == set(i18n.catalogs.catalog_languages())
    assert len(TEMPLATE) >= 90 and all(m.context for m in TEMPLATE.values())


@pytest.mark.parametrize("lang", COMPLETE)
def test_every_catalog_has_every_message_with_the_same_placeholders(lang):
    catalog = _catalog(LOCALE.joinpath(lang, "LC_MESSAGES", "bordermap.po"))
    assert set(catalog) == set(TEMPLATE), set(catalog) ^ set(TEMPLATE)
    for key, message in TEMPLATE.items():
        done = catalog[key]
        assert done.id == message.id, key
        assert not done.fuzzy, key
        wanted = set().union(*(_fields(t) for t in _forms(message.id)))
        for form in _forms(done.string):
            assert form, f"{lang}: {key} is not translated"
            assert _fields(form) == wanted, (lang, key, form)


def test_the_first_three_languages_keep_their_words():
    assert [i18n.text("no_figure", lang) for lang in ("en", "ko", "zh")] == [
        "no published figure",
        "공개된 수치 없음",
        "无公开数字",
    ]
    assert i18n.text("legend_button", "ar") == "مفتاح الخريطة"
    assert i18n.text("legend_button", "ru") == "Легенда"


@pytest.mark.parametrize(
    ("lang", "counts"),
    [
        ("en", {1: "1 location", 2: "2 locations"}),
        ("ru", {1: "1 место", 3: "3 места", 5: "5 мест", 21: "21 место"}),
    ],
)
def test_plurals_follow_the_language(lang, counts):
    for n, start in counts.items():
        assert i18n.ntext("published_generalised", n, lang).format(n=n).startswith(start)


@pytest.mark.parametrize("code", ["xx", "klingon", "en_ZZZ", ""])
def test_an_unknown_language_is_one_line_naming_it(joined, code):
    with pytest.raises(ValidationError) as info:
        bordermap.describe_crossings(joined, lang=code)
    message = str(info.value)
    assert "\n" not in message and f"(got {code!r})" in message and "field 'lang'" in message


def _described(joined, lang, facilities=None):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        spec = bordermap.describe_crossings(joined, facilities, lang=lang, routes=True)
    return spec, [w for w in caught if issubclass(w.category, BordermapWarning)]


def test_a_language_without_a_catalog_says_so_once_and_uses_cldr(joined):
    spec, said = _described(joined, "es", bordermap.load_facilities())
    assert len(said) == 1, [str(w.message) for w in said]
    assert "Spanish ('es')" in str(said[0].message) and "English" in str(said[0].message)
    # The page's own words in English, dates and country names in Spanish (CLDR).
    assert spec.legend.title == "People sent across (published estimates)"
    assert spec.subtitle == "event of 9 de octubre de 2023"
    countries = {label.text for label in spec.labels if label.symbol.startswith("country:")}
    assert {"China", "Corea del Norte"} <= countries
    assert spec.direction == "ltr" and spec.lang == "es"


@pytest.mark.parametrize("lang", COMPLETE)
def test_a_language_with_a_catalog_says_nothing(joined, lang):
    assert _described(joined, lang)[1] == []


def test_the_command_line_says_it_once(tmp_path, capsys):
    out = tmp_path / "th.html"
    assert main(["render", "-o", str(out), "--offline", "--lang", "th"]) == 0
    err = capsys.readouterr().err
    assert err.count("no catalog of bordermap's words in Thai") == 1, err
    assert '<html lang="th">' in out.read_text(encoding="utf-8")


def test_label_th_is_drawn_on_a_thai_map(joined, tmp_path):
    thai = joined.assign(label_th="")
    thai.loc[thai["id"] == "tumen-onsong", "label_th"] = "ทูเหมิน → อนซอง"
    facilities = bordermap.load_facilities()
    facilities = facilities.assign(name_th="เรือนจำ")
    spec, _ = _described(thai, "th", facilities)
    names = {label.symbol: label.text for label in spec.labels if label.role == "name"}
    assert names["tumen-onsong"] == "ทูเหมิน → อนซอง"
    # A crossing with no Thai name keeps its English one (never no label).
    assert names["dandong-sinuiju"] == "Dandong → Sinuiju"
    assert any(
        s.popup and s.popup.heading == "เรือนจำ" for s in spec.symbols if s.kind == "facility"
    )
    with pytest.warns(BordermapWarning, match="Thai"):
        m = bordermap.crossing_map(thai, facilities, lang="th", tiles=None)
    page = bordermap.to_html(m)
    assert "ทูเหมิน → อนซอง" in page
    # Thai dates and country names from CLDR.
    assert "ตุลาคม" in spec.subtitle
    assert "เกาหลีเหนือ" in {label.text for label in spec.labels}


def test_a_right_to_left_language_is_decided_in_the_description(joined):
    ar = bordermap.describe_crossings(joined, lang="ar")
    assert (
        ar.direction == "rtl" and ar.legend.title == "الأشخاص المُعادون عبر الحدود (تقديرات منشورة)"
    )
    assert bordermap.MapSpec.from_json(ar.to_json()).direction == "rtl"
    assert bordermap.describe_crossings(joined, lang="ru").direction == "ltr"
    with pytest.warns(BordermapWarning, match="Hebrew"):
        hebrew = bordermap.describe_timeline(bordermap.event_series(), lang="he")
    assert hebrew.direction == "rtl"


# --- the page, in headless Chromium ------------------------------------------------------

_PANELS = """() => {
  const box = (el) => { const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 ? [r.left, r.top, r.right, r.bottom] : null; };
  const map = document.querySelector('.folium-map').getBoundingClientRect();
  const panels = [...document.querySelectorAll('.leaflet-control')]
    .map((el) => [el.className, box(el)]).filter(([, b]) => b);
  const one = (sel) => box(document.querySelector(sel));
  return {map: [map.left, map.top, map.right, map.bottom], panels,
          title: one('.bm-title'), legend: one('.bm-legend'), credit: one('.bm-credit'),
          zoom: one('.leaflet-control-zoom'), attribution: one('.leaflet-control-attribution'),
          dir: document.documentElement.dir, lang: document.documentElement.lang,
          legendTitle: (document.querySelector('.bm-legend h2') || {}).textContent};
}"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    folder = tmp_path_factory.mktemp("languages")
    made = {}
    for lang in ("ar", "ru", "en"):
        made[lang] = folder / f"{lang}.html"
        assert main(["render", "-o", str(made[lang]), "--offline", "--lang", lang]) == 0
    return made


def _overlap(a, b) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > 0.5 and min(a[3], b[3]) - max(a[1], b[1]) > 0.5


def _seen(open_html, path, width, height):
    opened = open_html(path, width=width, height=height)
    page = opened.page
    page.wait_for_selector("[data-bm-labels-placed]")
    page.wait_for_timeout(300)  # the panels' clearance runs once the fonts are in
    return opened, page.evaluate(_PANELS)


@pytest.mark.browser
@pytest.mark.parametrize("size", [(390, 844), (1280, 800)], ids=["phone", "desktop"])
def test_an_arabic_page_is_mirrored_and_no_panel_covers_another(open_html, pages, size):
    opened, seen = _seen(open_html, pages["ar"], *size)
    assert (seen["dir"], seen["lang"]) == ("rtl", "ar")
    left, _, right, _ = seen["map"]
    middle = (left + right) / 2
    # Title and zoom on the right, legend and attribution on the left: an English page's
    # sides, mirrored.
    assert right - seen["title"][2] <= 12 and seen["title"][0] > left + 12
    assert right - seen["zoom"][2] <= 12
    assert seen["legend"][0] - left <= 12 and seen["legend"][2] < right - 12
    assert seen["attribution"][0] - left <= 1
    assert seen["credit"][2] > middle
    for i, (name, a) in enumerate(seen["panels"]):
        assert a[0] >= left - 0.5 and a[2] <= right + 0.5, name
        for other, b in seen["panels"][i + 1 :]:
            assert not _overlap(a, b), (name, other)
    assert opened.errors == []


@pytest.mark.browser
def test_an_english_page_keeps_its_sides(open_html, pages):
    _, seen = _seen(open_html, pages["en"], 1280, 800)
    assert seen["dir"] == "" and seen["title"][0] - seen["map"][0] <= 12
    assert seen["map"][2] - seen["legend"][2] <= 12


@pytest.mark.browser
def test_a_russian_page_shows_russian_legend_words(open_html, pages):
    opened, seen = _seen(open_html, pages["ru"], 1280, 800)
    assert (seen["dir"], seen["lang"]) == ("", "ru")
    assert seen["legendTitle"] == "Люди, переданные через границу (опубликованные оценки)"
    legend = opened.page.locator(".bm-legend").inner_text()
    assert "площадь круга ∝ числу людей" in legend and "нет опубликованной цифры" in legend


@pytest.mark.parametrize(
    ("code", "lang", "name"),
    [
        ("MM", "en", "Myanmar"),  # CLDR's "Myanmar (Burma)", its short form
        ("MM", "th", "เมียนมา"),
        ("MM", "ru", "Мьянма"),
        ("MM", "ar", "ميانمار"),
        ("HK", "ko", "홍콩"),
        # A gloss that tells two territories apart stays: Congo-Kinshasa and -Brazzaville.
        ("CD", "zh", "刚果（金）"),
        ("CG", "zh", "刚果（布）"),
        ("VI", "ru", "Виргинские о-ва (США)"),
        ("VI", "uk", "Віргінські Острови (США)"),
        # No gloss: CLDR's name as it is.
        ("CD", "en", "Congo - Kinshasa"),
        ("CI", "en", "Côte d’Ivoire"),
        ("US", "en", "United States"),
    ],
)
def test_territory_names_are_short_where_cldr_adds_a_gloss(code, lang, name):
    assert i18n.territory_name(code, lang) == name
