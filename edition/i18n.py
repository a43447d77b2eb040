"""Interface strings in both languages, and dates written the way each language writes them.

Input: nothing (a leaf module). Output: `ui(lang_key)` tables and `format_date`.
A site language other than en/zh falls back to English strings (and says so in the README).
"""

from __future__ import annotations

import datetime as dt

EN = {
    "skip": "Skip to content",
    "home": "Home",
    "speeches": "Speeches",
    "pages": "About",
    "language": "Language",
    "choose_language": "Choose a language",
    "remember_hint": "Your choice is remembered on this device.",
    "speaker": "Speaker",
    "speakers": "Speakers",
    "date": "Date",
    "event": "Event",
    "place": "Place",
    "role": "Role",
    "original": "Original",
    "translation": "Translation",
    "original_lang": "Original language",
    "source": "Source of the original",
    "translation_source": "Source of the translation",
    "translator": "Translator",
    "published": "Published",
    "license": "Licence",
    "summary": "Summary",
    "view": "View",
    "view_parallel": "Parallel",
    "view_translation": "Translation only",
    "view_original": "Original only",
    "para": "Paragraph",
    "para_short": "¶",
    "para_label": "Paragraph {n}",
    "notes": "Notes",
    "notes_in": "Notes to the {lang} text",
    "note": "Note",
    "back_to_ref": "Back to reference {n}",
    "close": "Close",
    "interventions": "Editorial interventions",
    "no_interventions": "The editors have made no interventions in this text.",
    "ed_add": "Supplied by the editor",
    "ed_del": "Deleted by the editor",
    "ed_corr": "Corrected by the editor",
    "ed_comment": "Editor's comment",
    "ed_source_reads": "source reads",
    "related": "Related speeches",
    "cited_by": "Cited by",
    "mentioned_in": "Mentioned in",
    "via_related": "lists this as related",
    "in_para": "¶{n}",
    "xref_para": "{title}, ¶{n}",
    "missing_original": "The original ({lang}) text of this speech is not yet part of the edition.",
    "missing_translation": "The {lang} translation of this speech is not yet part of the edition.",
    "missing_text": "The {lang} text is not yet part of the edition.",
    "catalogue_record": "Catalogue record",
    "catalogue_notice": "The text of this speech is not yet part of the edition. This page records "
                        "what is known about it.",
    "draft": "Draft",
    "no_speeches": "No speeches yet.",
    "people": "People",
    "events": "Events",
    "speeches_of": "Speeches",
    "page_not_found": "Page not found",
    "not_found_text": "There is no page at this address. It may have moved.",
    "go_home": "Go to the home page",
    "other_language_title": "Title in {lang}",
    "translations_of_page": "This page in other languages",
    "edition": "Edition",
    "editors": "Editors",
    "footer_license": "Texts: {license}.",
    "pages_nav": "Pages",
    "main_nav": "Main",
    "in_language": "{lang}",
    "lang_switch_label": "Read in {lang}",
    "dates": "Dates",
    "search": "Search",
    "search_label": "Search the speeches",
    "search_placeholder": "Search",
    "search_also": "Also search the {lang} texts",
    "search_sort": "Order",
    "sort_relevance": "Best match first",
    "sort_newest": "Newest first",
    "sort_oldest": "Oldest first",
    "search_needs_js": "Searching needs JavaScript. Every speech is listed on the home page.",
    "search_more": "More results",
    "search_count": "{n} results for “{q}”",
    "search_count_one": "1 result for “{q}”",
    "search_none": "No results for “{q}”",
    "search_loading": "Searching…",
    "search_failed": "The search could not be loaded.",
    "filter_speaker": "Speaker",
    "filter_event": "Event",
    "filter_year": "Year",
    "filter_tag": "Tag",
    "filter_text": "Text",
    "result_in": "{lang} text",
}

ZH = {
    "skip": "跳到正文",
    "home": "首页",
    "speeches": "讲话",
    "pages": "关于",
    "language": "语言",
    "choose_language": "请选择语言",
    "remember_hint": "本设备会记住您的选择。",
    "speaker": "讲话人",
    "speakers": "讲话人",
    "date": "日期",
    "event": "会议活动",
    "place": "地点",
    "role": "职务",
    "original": "原文",
    "translation": "译文",
    "original_lang": "原文语言",
    "source": "原文出处",
    "translation_source": "译文出处",
    "translator": "译者",
    "published": "发表日期",
    "license": "许可",
    "summary": "摘要",
    "view": "显示",
    "view_parallel": "对照",
    "view_translation": "仅译文",
    "view_original": "仅原文",
    "para": "段落",
    "para_short": "¶",
    "para_label": "第{n}段",
    "notes": "注释",
    "notes_in": "{lang}文本注释",
    "note": "注",
    "back_to_ref": "返回注释引用处 {n}",
    "close": "关闭",
    "interventions": "编者校订",
    "no_interventions": "编者未对本文作任何校订。",
    "ed_add": "编者补入",
    "ed_del": "编者删除",
    "ed_corr": "编者改正",
    "ed_comment": "编者按",
    "ed_source_reads": "原文作",
    "related": "相关讲话",
    "cited_by": "引用本文的文本",
    "mentioned_in": "提及之处",
    "via_related": "列为相关讲话",
    "in_para": "第{n}段",
    "xref_para": "{title}第{n}段",
    "missing_original": "本讲话的原文（{lang}）尚未收入本文集。",
    "missing_translation": "本讲话的{lang}译文尚未收入本文集。",
    "missing_text": "{lang}文本尚未收入本文集。",
    "catalogue_record": "目录著录",
    "catalogue_notice": "本讲话的文本尚未收入本文集。本页著录已知的相关信息。",
    "draft": "草稿",
    "no_speeches": "暂无讲话。",
    "people": "人物",
    "events": "会议活动",
    "speeches_of": "讲话",
    "page_not_found": "页面不存在",
    "not_found_text": "此地址没有页面，可能已经移动。",
    "go_home": "返回首页",
    "other_language_title": "{lang}标题",
    "translations_of_page": "本页的其他语言版本",
    "edition": "文集",
    "editors": "编者",
    "footer_license": "文本许可：{license}。",
    "pages_nav": "页面",
    "main_nav": "主导航",
    "in_language": "{lang}",
    "lang_switch_label": "阅读{lang}版",
    "dates": "日期",
    "search": "搜索",
    "search_label": "搜索讲话",
    "search_placeholder": "搜索",
    "search_also": "同时搜索{lang}文本",
    "search_sort": "排序",
    "sort_relevance": "最相关的在前",
    "sort_newest": "最新的在前",
    "sort_oldest": "最早的在前",
    "search_needs_js": "搜索需要启用JavaScript。所有讲话均列于首页。",
    "search_more": "更多结果",
    "search_count": "“{q}”共有{n}条结果",
    "search_count_one": "“{q}”共有1条结果",
    "search_none": "没有找到“{q}”",
    "search_loading": "正在搜索……",
    "search_failed": "无法加载搜索功能。",
    "filter_speaker": "讲话人",
    "filter_event": "会议活动",
    "filter_year": "年份",
    "filter_tag": "标签",
    "filter_text": "文本",
    "result_in": "{lang}文本",
}

# Punctuation differs too: Chinese uses full-width marks without spaces.
EN.update(list_sep=", ", comma=", ", colon=": ", semicolon="; ", paren=" ({})")
ZH.update(list_sep="、", comma="，", colon="：", semicolon="；", paren="（{}）")
TABLES = {"en": EN, "zh": ZH}
# Names of languages as each interface language writes them; others fall back to site.yml's name.
LANGUAGE_NAMES = {"en": {"en": "English", "zh": "Chinese"}, "zh": {"en": "英文", "zh": "中文"}}
assert EN.keys() == ZH.keys(), "every interface string exists in both languages"


def ui(key: str) -> dict[str, str]:
    """The interface strings for a language key; keys beyond en/zh use the base tag or English."""
    return TABLES.get(key) or TABLES.get(key.split("-")[0].lower()) or EN


def language_name(key: str, in_key: str, fallback: str) -> str:
    table = LANGUAGE_NAMES.get(in_key) or LANGUAGE_NAMES.get(in_key.split("-")[0].lower()) or {}
    return table.get(key, fallback)


EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")


def format_date(d: dt.date, key: str) -> str:
    if ui(key) is ZH:
        return f"{d.year}年{d.month}月{d.day}日"
    return f"{d.day} {EN_MONTHS[d.month - 1]} {d.year}"


def format_range(a: dt.date, b: dt.date | None, key: str) -> str:
    if b is None or b == a:
        return format_date(a, key)
    if ui(key) is ZH:
        if a.year == b.year and a.month == b.month:
            return f"{a.year}年{a.month}月{a.day}日至{b.day}日"
        return f"{format_date(a, key)}至{format_date(b, key)}"
    if a.year == b.year and a.month == b.month:
        return f"{a.day}–{b.day} {EN_MONTHS[a.month - 1]} {a.year}"
    return f"{format_date(a, key)} – {format_date(b, key)}"
