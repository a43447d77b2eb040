"""A guard run on YAML events before a document is composed: what PyYAML would accept but a site
must not (an alias bomb, an alias to the collection that holds it, deep nesting, explicit tags).

Input: YAML text, its path and first line. Output: diagnostics (empty when the text may be
composed). Works on the parser's event stream, which is linear in the text: an alias adds the
size its anchor expands to (values and characters), so "billion laughs" is refused after a few
hundred bytes of work, and so is a long text repeated by thousands of aliases.
Syntax errors are left to the composer, which reports them with their position.
"""

from __future__ import annotations

from typing import Any

import yaml

from .diagnostics import Diagnostic, error

EXPANSION_BUDGET = 10_000  # values that aliases may add to a document (front matter holds a few dozen)
TEXT_BUDGET = 1_000_000  # characters aliases may add: a long text repeated 5,000 times is a bomb too
MAX_DEPTH = 64  # nested lists and mappings
# Tags of YAML's core schema, the only ones a value may be given explicitly (e.g. `!!str 2014`).
ALLOWED_TAGS = frozenset(f"tag:yaml.org,2002:{t}" for t in
                         ("str", "int", "float", "bool", "null", "map", "seq", "timestamp"))

try:
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader


def check(text: str, path: str, first_line: int = 1) -> list[Diagnostic]:
    offset = first_line - 1
    sizes: dict[str, tuple[int, int]] = {}  # anchor -> values and characters its node expands to
    stack: list[list[Any]] = []  # open collections: [anchor, values so far, characters so far]
    added = chars = 0

    def at(event: Any) -> tuple[int, int]:
        return event.start_mark.line + 1 + offset, event.start_mark.column + 1

    def close(anchor: str | None, size: int, text: int) -> None:
        if anchor:
            sizes[anchor] = (size, text)
        if stack:
            stack[-1][1] += size
            stack[-1][2] += text

    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.NodeEvent) and not isinstance(event, yaml.AliasEvent):
                tag = getattr(event, "tag", None)  # only an explicit tag is reported by the parser
                if tag is not None and tag != "!" and tag not in ALLOWED_TAGS:
                    line, col = at(event)
                    shown = tag.replace("tag:yaml.org,2002:", "!!")
                    return [error(path, line, col, "yaml-tag", f"the YAML tag `{shown}` is not allowed",
                                  "remove the tag: values are text, numbers, dates, true/false, lists and "
                                  "mappings")]
            if isinstance(event, yaml.CollectionStartEvent):
                if len(stack) >= MAX_DEPTH:
                    line, col = at(event)
                    return [error(path, line, col, "yaml-depth",
                                  f"the YAML is nested more than {MAX_DEPTH} levels deep",
                                  "front matter and data files need a few levels only")]
                stack.append([event.anchor, 1, 0])
            elif isinstance(event, yaml.CollectionEndEvent):
                anchor, size, text = stack.pop()
                close(anchor, size, text)
            elif isinstance(event, yaml.AliasEvent):
                name = event.anchor
                if name not in sizes:
                    if any(entry[0] == name for entry in stack):
                        line, col = at(event)
                        return [error(path, line, col, "yaml-alias",
                                      f"the alias `*{name}` refers to the value that contains it",
                                      "an alias repeats a value defined before it, outside it")]
                    continue  # an undefined alias: the composer reports it
                added += sizes[name][0]
                chars += sizes[name][1]
                if added > EXPANSION_BUDGET or chars > TEXT_BUDGET:
                    line, col = at(event)
                    what = f"{EXPANSION_BUDGET:,} values" if added > EXPANSION_BUDGET else \
                        f"{TEXT_BUDGET:,} characters"
                    return [error(path, line, col, "yaml-alias", f"the aliases expand to more than {what}",
                                  "aliases (`*name`) repeat what their anchor (`&name`) holds; write the "
                                  "values out, or repeat less")]
                close(None, *sizes[name])
            elif isinstance(event, yaml.ScalarEvent):
                close(event.anchor, 1, len(event.value))
    except yaml.YAMLError:
        return []  # a syntax error: the composer reports it with its position
    return []

