import datetime as dt
import re

from edition import i18n
from edition.markdown.syntax import ED_KIND

from .conftest import ROOT


def ui_keys_used() -> dict[str, set[str]]:
    """The interface strings the templates and the code ask for, by key: where each is used."""
    used: dict[str, set[str]] = {}
    files = [*(ROOT / "theme" / "templates").iterdir(), *(ROOT / "edition").rglob("*.py")]
    for f in files:
        text = f.read_text(encoding="utf-8")
        aliases = re.findall(r"\{%-? set (\w+) = ui_of\(", text)  # {% set u = ui_of(lg.key) %}
        names = "|".join(["ui", r"ui_of\([^()]*\)", *aliases])
        for m in re.finditer(rf"\b(?:{names})(?:\.(\w+)|\[\s*[\"'](\w+)[\"']\s*\])", text):
            used.setdefault(m.group(1) or m.group(2), set()).add(f.name)
    for kind in ED_KIND.values():  # speech.html: v.ui['ed_' + m.kind]
        used.setdefault(f"ed_{kind}", set()).add("speech.html")
    return used


def test_every_string_exists_in_both_languages() -> None:
    used = ui_keys_used()
    assert len(used) > 100  # the scan finds the templates' strings
    missing = {(key, lang): sorted(where) for key, where in used.items()
               for lang, table in (("en", i18n.EN), ("zh", i18n.ZH)) if not table.get(key)}
    assert missing == {}
    assert sorted(i18n.EN.keys() ^ i18n.ZH.keys()) == []
    # what a string is filled with ({n}, {title}…) is the same in both languages
    fields = {k: (set(re.findall(r"\{(\w*)\}", i18n.EN[k])), set(re.findall(r"\{(\w*)\}", i18n.ZH[k])))
              for k in i18n.EN}
    assert {k: f for k, f in fields.items() if f[0] != f[1]} == {}
    # templates write v.ui.key: a key named like a dict method would give the method instead
    assert not [k for k in i18n.EN if k in dir(dict)]


def test_dates_as_each_language_writes_them() -> None:
    d = dt.date(2014, 11, 9)
    assert i18n.format_date(d, "en") == "9 November 2014"
    assert i18n.format_date(d, "zh") == "2014年11月9日"
    assert i18n.format_range(dt.date(2014, 11, 19), dt.date(2014, 11, 21), "en") == "19–21 November 2014"
    assert i18n.format_range(dt.date(2014, 11, 19), dt.date(2014, 12, 1), "zh") == "2014年11月19日至2014年12月1日"


def test_other_keys_fall_back() -> None:
    assert i18n.ui("zh-Hant") == i18n.ZH and i18n.table_key("zh-Hant") == "zh" and i18n.chinese("ZH-hans")
    assert i18n.ui("fr") == i18n.EN and i18n.table_key("fr") == "en" and not i18n.chinese("en-GB")
    assert i18n.language_name("en", "zh", "English") == "英文"
    assert i18n.language_name("fr", "zh", "Français") == "Français"
