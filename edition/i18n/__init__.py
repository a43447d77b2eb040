"""Interface strings in both languages, and dates written the way each language writes them.

Input: nothing (a leaf module). Output: `ui(lang_key)` tables (en.py, zh.py) and `format_date`.
A language key whose first part is en or zh (zh-hant) gets that table, any other English (the README says so).
"""

from __future__ import annotations

import datetime as dt

from .en import EN
from .zh import ZH

TABLES = {"en": EN, "zh": ZH}
# Names of languages as each interface language writes them; others fall back to site.yml's name.
LANGUAGE_NAMES = {"en": {"en": "English", "zh": "Chinese"}, "zh": {"en": "英文", "zh": "中文"}}


def table_key(key: str) -> str:
    """Which table ("en" or "zh") speaks to readers of a language key: its own, its base tag's
    (zh-Hant → zh), else English."""
    return key if key in TABLES else base if (base := key.split("-")[0].lower()) in TABLES else "en"


def ui(key: str) -> dict[str, str]:
    """The interface strings for a language key (see `table_key`)."""
    return TABLES[table_key(key)]


def chinese(key: str) -> bool:
    """Readers of this language key get the Chinese interface (dates, punctuation, citation forms)."""
    return table_key(key) == "zh"


def language_name(key: str, in_key: str, fallback: str) -> str:
    table = LANGUAGE_NAMES.get(in_key) or LANGUAGE_NAMES.get(in_key.split("-")[0].lower()) or {}
    return table.get(key, fallback)


EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")


def format_date(d: dt.date, key: str) -> str:
    if chinese(key):
        return f"{d.year}年{d.month}月{d.day}日"
    return f"{d.day} {EN_MONTHS[d.month - 1]} {d.year}"


def format_range(a: dt.date, b: dt.date | None, key: str) -> str:
    if b is None or b == a:
        return format_date(a, key)
    if chinese(key):
        if a.year == b.year and a.month == b.month:
            return f"{a.year}年{a.month}月{a.day}日至{b.day}日"
        return f"{format_date(a, key)}至{format_date(b, key)}"
    if a.year == b.year and a.month == b.month:
        return f"{a.day}–{b.day} {EN_MONTHS[a.month - 1]} {a.year}"
    return f"{format_date(a, key)} – {format_date(b, key)}"
