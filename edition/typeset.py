"""Chinese punctuation runs marked for compression where the browser cannot do it itself.

Input: the HTML of one Chinese cell. Output: the same HTML with the mark of each run of adjacent
full-width punctuation whose blank space should be halved (clreq §3.1.6: "，“" or "。」") wrapped in
<span class="pr">, which the theme sets with `font-feature-settings: "halt"` only where
`text-spacing-trim` is unsupported (that property does the same work in the browsers that have it).
"""

from __future__ import annotations

import re

OPENING = "“‘《〈「『（［【〔"
CLOSING = "”’》〉」』）］】〕"
PAUSE = "，。、：；！？"
MARKS = OPENING + CLOSING + PAUSE
# Text between tags (never inside a tag or an attribute), and in it runs of two or more marks.
TEXT = re.compile(r">([^<]+)")
RUN = re.compile(f"[{re.escape(MARKS)}]{{2,}}")


def _run(m: re.Match[str]) -> str:
    run = m.group()
    # The blank between two marks belongs to the first, unless both open (then to the second).
    i = 1 if run[0] in OPENING and run[1] in OPENING else 0
    return f'{run[:i]}<span class="pr">{run[i]}</span>{run[i + 1:]}'


def punctuation(html: str) -> str:
    if not RUN.search(html):
        return html
    return TEXT.sub(lambda t: ">" + RUN.sub(_run, t.group(1)), html)
