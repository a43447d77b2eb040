"""Typed reading of YAML nodes against declared fields, with editor-facing diagnostics.

Input: `yamlpos.Node` trees. Output: plain Python values (str, date, Bilingual, tuples) and the
diagnostics collected on a `Reader`. Every check says what was expected and what was found.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .diagnostics import Diagnostic, closest, did_you_mean_language, error, one_of, warning
from .model import Bilingual
from .names import name_problem, shown
from .textcheck import shows_nothing, url_normal, url_problem
from .yamlpos import Node

# The spec: "lowercase ASCII letters, digits and hyphens" (\Z: `$` would let a final line break through)
ID_RE = re.compile(r"\A[a-z0-9-]+\Z")
ID_HINT = "use lowercase ASCII letters, digits and hyphens, e.g. `ma-kai`"


def _empty(node: Node) -> bool:
    """`field:` with nothing after it (or `~`, `null`)."""
    return node.kind == "scalar" and node.value is None


@dataclass
class Reader:
    path: str
    languages: tuple[str, ...]  # the site's language keys
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def err(self, node: Node, code: str, message: str, hint: str = "") -> None:
        self.diagnostics.append(error(self.path, node.line, node.column, code, message, hint))

    # -------------------------------------------------------------- structure

    def fields(self, node: Node, what: str, known: tuple[str, ...], required: tuple[str, ...] = ()
               ) -> dict[str, Node]:
        """The fields of a mapping by name; unknown keys and missing required keys are reported."""
        if node.kind != "map" and not _empty(node):  # `source:` left empty has no fields
            self.err(node, "type", f"{what} must be a mapping of fields, found {node.describe()}",
                     f"write `key: value` lines; the fields are {one_of(known)}")
            return {}
        out: dict[str, Node] = {}
        meant: set[str] = set()  # fields an unknown key was taken for: misspelt, not missing
        for k, v in node.items():
            name = k.source if k.kind == "scalar" else k.describe()
            if name not in known:
                near = closest(str(name), known)
                if near is not None:
                    meant.add(near)
                hint = f"did you mean `{near}`?" if near else f"the fields of {what} are {one_of(known)}"
                self.err(k, "unknown-key", f"unknown field `{name}` in {what}", hint)
                continue
            out[name] = v
        for name in required:
            if name in meant and name not in out:
                continue
            if name not in out:
                self.err(node, "missing-key", f"{what} needs {'an' if name[0] in 'aeiou' else 'a'} `{name}` field",
                         f"add a line `{name}: …`")
            elif out[name].value is None:
                self.err(out[name], "missing-key", f"`{name}` is empty: {what} needs a value for it",
                         f"write the value after `{name}:`")
        return out

    def entries(self, node: Node, what: str) -> list[tuple[str, Node, Node]]:
        """The (id, key node, value node) entries of an id-keyed mapping (people, events, tags)."""
        if node.kind != "map":
            self.err(node, "type", f"{what} must be a mapping from ids to entries, found {node.describe()}")
            return []
        out = []
        for k, v in node.items():
            ident = self.ident(k, "the key", f" in {what}")
            if ident is not None:
                out.append((ident, k, v))
        return out

    # -------------------------------------------------------------- scalars

    def text(self, node: Node | None, what: str) -> str | None:
        if node is None or (node.value is None and node.kind == "scalar"):
            return None
        if node.kind != "scalar":
            self.err(node, "type", f"{what} must be text, found {node.describe()}",
                     "write the text on the line of the field, in quotes if it holds `: ` or `#`")
            return None
        return node.source  # `Yes`, `1.10`, `2014` as written: never read as true or a number

    def boolean(self, node: Node | None, what: str) -> bool | None:
        if node is None or _empty(node):  # an optional field left empty: absent
            return None
        if node.kind != "scalar" or not isinstance(node.value, bool):
            self.err(node, "type", f"{what} must be `true` or `false`, found {node.describe()}")
            return None
        return node.value

    def integer(self, node: Node | None, what: str) -> int | None:
        if node is None or _empty(node):  # an optional field left empty: absent
            return None
        if node.kind != "scalar" or isinstance(node.value, bool) or not isinstance(node.value, int):
            self.err(node, "type", f"{what} must be a whole number, found {node.describe()}")
            return None
        return node.value

    def date(self, node: Node | None, what: str) -> dt.date | None:
        if node is None or _empty(node):  # an optional field left empty: absent
            return None
        v = node.value
        if node.kind == "scalar" and isinstance(v, dt.datetime):
            return v.date()
        if node.kind == "scalar" and isinstance(v, dt.date):
            return v
        if node.kind == "scalar" and isinstance(v, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", v.strip()):
            try:
                return dt.date.fromisoformat(v.strip())
            except ValueError:
                self.err(node, "bad-date", f"{what} `{v}` is not a day of the calendar",
                         "check the month and the day")
                return None
        iso = _as_iso(v) if node.kind == "scalar" else None
        self.err(node, "bad-date", f"{what} must be a date written YYYY-MM-DD, found {node.describe()}",
                 f"write `{iso}`" if iso else "write it as e.g. `2014-11-19`")
        return None

    def url(self, node: Node | None, what: str) -> str | None:
        s = self.text(node, what)
        if s is None or node is None:
            return None
        if problem := url_problem(s, base=what == "base_url"):
            self.err(node, "bad-url", f"{what} {problem}, found `{s}`", "write it as `https://…`")
            return None
        return url_normal(s)

    def ident(self, node: Node, what: str, where: str = "") -> str | None:
        if node.kind != "scalar" or node.value is None:
            self.err(node, "bad-id", f"{what}{where} must be an id, found {node.describe()}", ID_HINT)
            return None
        s = node.source  # `2014-11-19`, `007`, `on` are ids as written
        if not ID_RE.match(s):
            wide = next((c for c in "，、；" if c in s), None)  # what a Chinese input method types
            self.err(node, "bad-id", f"{what} `{s}`{where} is not a valid id",
                     f"separate ids with an ASCII comma and a space, `, ` (this is the full-width `{wide}`)"
                     if wide else ID_HINT)
            return None
        if problem := name_problem(s):  # ids name folders (people/<id>/) and files
            self.err(node, "bad-id", f"{what} {shown(s)}{where} {problem}", "choose another id")
            return None
        return s

    def ids(self, node: Node | None, what: str) -> list[tuple[str, Node]]:
        """A list of ids; a single id is taken as a list of one."""
        if node is None or (node.kind == "scalar" and node.value is None):
            return []
        items = node.value if node.kind == "seq" else (node,)
        out: list[tuple[str, Node]] = []
        first: dict[str, Node] = {}
        for item in items:
            ident = self.ident(item, what)
            if ident is None:
                continue
            if ident in first:  # a slip (a speaker named thrice was cited thrice): said, and read once
                self.err(item, "duplicate-entry", f"{what} `{ident}` is listed twice; the first is at "
                         f"{first[ident].line}:{first[ident].column}", "remove one of the two")
                continue
            first[ident] = item
            out.append((ident, item))
        return out

    def bilingual(self, node: Node | None, what: str, default_key: str) -> Bilingual | None:
        """A mapping from language keys to text, or a plain string in `default_key`."""
        if node is None or (node.kind == "scalar" and node.value is None):
            return None
        if node.kind == "scalar":
            s = self._filled(self.text(node, what), node, what)
            return Bilingual(((default_key, s),)) if s is not None else None
        if node.kind != "map":
            self.err(node, "type", f"{what} must be text or a mapping of language keys to text, "
                     f"found {node.describe()}", f"write `{{{', '.join(f'{k}: …' for k in self.languages)}}}`")
            return None
        items = []
        for k, v in node.items():
            if k.source not in self.languages:
                hint = did_you_mean_language(k.source, self.languages) or \
                    (f"the language keys of site.yml are {one_of(self.languages)}" if self.languages
                     else "site.yml's `languages` defines none")
                self.err(k, "unknown-language", f"`{k.source}` in {what} is not a language of the site", hint)
                continue
            if v.kind == "scalar" and v.value is None:  # `en:` and nothing after it
                self.err(v, "empty-text", f"{what} ({k.source}) is empty",
                         f"give the text after `{k.source}:`, or leave the language out")
                continue
            s = self._filled(self.text(v, f"{what} ({k.source})"), v, f"{what} ({k.source})")
            if s is not None:
                items.append((k.source, s))
        if not items and node.items():
            return None
        if not items:
            self.err(node, "type", f"{what} is empty", "give the text in at least one language")
            return None
        order = {k: i for i, k in enumerate(self.languages)}
        return Bilingual(tuple(sorted(items, key=lambda kv: order[kv[0]])))

    def _filled(self, s: str | None, node: Node, what: str) -> str | None:
        """Text that shows: an empty or blank string would make an empty title, link or heading.
        A text cut short by YAML's comment rule (`Speech #2` is `Speech`) is warned of."""
        if s is not None and shows_nothing(s):
            self.err(node, "empty-text", f"{what} is empty", "give the text, or leave the field out")
            return None
        if s is not None and node.comment:
            cut = node.comment if len(node.comment) <= 30 else node.comment[:30] + "…"
            self.diagnostics.append(warning(
                self.path, node.line, node.column, "yaml-comment",
                f"{what} is `{s}`: YAML reads the rest of the line, `{cut}`, as a comment",
                f'put the text in quotes if the `#` belongs to it: "{s} {node.comment}"'))
        return s

_DAY_FIRST = re.compile(r"(\d{1,2})([./-])(\d{1,2})\2(\d{4})")
_YEAR_FIRST = re.compile(r"(\d{4})(?:[./]|\s*年\s*)(\d{1,2})(?:[./]|\s*月\s*)(\d{1,2})\s*日?")


def _as_iso(value: object) -> str | None:
    """The ISO form of a date written another common way, when it can only mean one day.

    `20.11.2014` and `2014/11/20` are unambiguous; `05/06/2014` could be May or June: no guess."""
    text = str(value).strip()
    if m := _YEAR_FIRST.fullmatch(text):
        y, mo, d = m.groups()
    elif m := _DAY_FIRST.fullmatch(text):
        d, _, mo, y = m.groups()
        if "/" in text and int(mo) > 12 >= int(d):
            d, mo = mo, d  # 11/20/2014, as written in the United States
        elif "/" in text and int(d) <= 12 and int(d) != int(mo):
            return None  # 05/06/2014: day-month in Europe, month-day in the United States
    else:
        return None
    try:
        return dt.date(int(y), int(mo), int(d)).isoformat()
    except ValueError:
        return None
