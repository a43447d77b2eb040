"""Scaffold: the text of a new speech file, from what the editor gave `build.py new`.

Input: the fields (titles by language key, speaker ids, date, event, original language) and the
site's language keys. Output: the file's text (front matter and one empty section per language,
each holding a comment that says what goes there) and its suggested slug. No file system here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass

from .names import MAX_LENGTH


@dataclass(frozen=True)
class NewSpeech:
    titles: tuple[tuple[str, str], ...]  # (language key, title)
    speakers: tuple[str, ...]
    date: dt.date
    event: str | None
    original: str


PLACEHOLDER = {
    "en": "Paste the English text here: one paragraph per block, a blank line between paragraphs.",
    "zh": "在此粘贴中文文本：每段一块，段与段之间空一行。",
}


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def suggest_slug(s: NewSpeech) -> str:
    """`date-title`, from the first title with Latin letters; else `date-speaker`."""
    for _, title in s.titles:
        words = slugify(title).split("-")[:8]
        if any(words):
            slug = f"{s.date.isoformat()}-{'-'.join(w for w in words if w)}"
            return slug[:MAX_LENGTH].rstrip("-")  # a file name, however long the title
    return f"{s.date.isoformat()}-{s.speakers[0]}"


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def speech_file(s: NewSpeech, keys: tuple[str, ...]) -> str:
    lines = ["---", "title:"]
    lines += [f"  {k}: {_q(t)}" for k, t in s.titles]
    speaker = s.speakers[0] if len(s.speakers) == 1 else "[" + ", ".join(s.speakers) + "]"
    lines += [f"speaker: {speaker}", f"date: {s.date.isoformat()}"]
    if s.event:
        lines.append(f"event: {s.event}")
    lines += [f"original: {s.original}", "---", ""]
    order = [s.original, *(k for k in keys if k != s.original)]
    for k in order:
        note = PLACEHOLDER.get(k, PLACEHOLDER["en"])
        lines += [f"::: {k}", f"<!-- {note} -->", ":::", ""]
    return "\n".join(lines)
