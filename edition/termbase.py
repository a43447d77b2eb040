"""The term base, for the validate stage: content/terms.yml and a speech's `terms:` field.

Input: the `SourceFile` of terms.yml (or a speech's `terms` node) and the site's language keys.
Output: `Term`s in file order (or the ignored ids), with every problem added to the caller's
diagnostics at its path:line:column. An entry maps language keys to the term in that language
(the agreed rendering), and may list `variants`, `avoid` and a bilingual `note` (inline Markdown).
"""

from __future__ import annotations

from . import markdown
from .diagnostics import Diagnostic, did_you_mean, error, one_of, warning
from .model import Bilingual, SourceFile, Term
from .schema import Reader
from .yamlpos import Node, parse

LISTS = ("variants", "avoid")
TERMS_FIELDS = ("ignore", "reason")  # of a speech's `terms:`


def terms_file(f: SourceFile | None, keys: tuple[str, ...], allow_html: bool,
               diags: list[Diagnostic]) -> tuple[Term, ...]:
    if f is None:
        return ()
    node, more = parse(f.text, f.path)
    diags.extend(more)
    if node is None:
        return ()
    r = Reader(f.path, keys)
    known = (*keys, *LISTS, "note")
    out: list[Term] = []
    owners: dict[str, tuple[str, int]] = {}  # a form (folded) -> (term id, line) of its first entry
    for ident, k, v in r.entries(node, "terms.yml"):
        what = f"term `{ident}`"
        if v.kind != "map":
            r.err(v, "type", f"{what} must be a mapping, found {v.describe()}",
                  "write e.g. `{" + ", ".join(f"{k}: …" for k in keys) + "}` with `variants`, `avoid`, `note`")
            continue
        forms: list[tuple[str, str]] = []
        lists: dict[str, list[tuple[str, Node]]] = {name: [] for name in LISTS}
        note = None
        for kn, vn in v.items():
            name = kn.source
            if name in keys:
                s = _form(r, vn, f"the `{name}` form of {what}")
                if s is not None:
                    forms.append((name, s))
            elif name in LISTS:
                lists[name] = _forms(r, vn, f"`{name}` of {what}")
            elif name == "note":
                note = r.bilingual(vn, f"the note of {what}", keys[0])
            else:
                r.err(kn, "unknown-key", f"unknown field `{name}` in {what}",
                      did_you_mean(str(name), known) or
                      f"an entry has the language keys of site.yml ({one_of(keys)}), `variants`, `avoid` and `note`")
        if not forms:
            r.err(v, "missing-key", f"{what} gives the term in no language",
                  f"add a line for each language it is known in: {one_of(keys)}")
            continue
        good = {_fold(s) for _, s in forms} | {_fold(s) for s, _ in lists["variants"]}
        for s, n in lists["avoid"]:
            if _fold(s) in good:
                r.err(n, "term-contradiction", f"{what} lists \"{s}\" both as a rendering and under `avoid`",
                      "keep it in one place")
        lists["avoid"] = [(s, n) for s, n in lists["avoid"] if _fold(s) not in good]
        for key, s in forms:
            first = owners.setdefault(_fold(s), (ident, k.line))
            if first[0] != ident:
                diags.append(warning(f.path, v.line, v.column, "term-duplicate",
                                     f"the {key} form \"{s}\" of {what} is also a form of term `{first[0]}` "
                                     f"(line {first[1]})", "the check cannot tell the two apart: merge them"))
        order = {k: i for i, k in enumerate(keys)}
        if note is not None:
            note = Bilingual(tuple((k, markdown.render_inline(t, allow_html)) for k, t in note.items))
        out.append(Term(ident, Bilingual(tuple(sorted(forms, key=lambda kv: order[kv[0]]))),
                        tuple(s for s, _ in lists["variants"]), tuple(s for s, _ in lists["avoid"]),
                        note, k.line))
    diags.extend(r.diagnostics)
    return tuple(out)


def _fold(s: str) -> str:
    return " ".join(s.split()).casefold()


def _form(r: Reader, node: Node, what: str) -> str | None:
    s = r.text(node, what)
    if s is None:
        if node.value is None:
            r.err(node, "type", f"{what} is empty", "write the term, or leave the line out")
        return None
    s = " ".join(s.split())
    if not s:
        r.err(node, "type", f"{what} is empty", "write the term, or leave the line out")
        return None
    return s


def _forms(r: Reader, node: Node, what: str) -> list[tuple[str, Node]]:
    """A list of renderings; a single string is taken as a list of one."""
    if node.kind == "scalar" and node.value is None:
        return []
    if node.kind == "map":
        r.err(node, "type", f"{what} must be a list of renderings, found a mapping",
              "write `[first rendering, second rendering]`")
        return []
    out = []
    for item in node.value if node.kind == "seq" else (node,):
        s = _form(r, item, f"an entry of {what}")
        if s is not None:
            out.append((s, item))
    return out


def ignore_field(r: Reader, node: Node | None) -> tuple[tuple[tuple[str, int, int], ...], str | None]:
    """A speech's `terms: {ignore: [id, ...], reason: …}`: the ids with their positions (checked
    against the term base by the terms stage), and the reason given, if any."""
    if node is None or (node.kind == "scalar" and node.value is None):
        return (), None
    before = len(r.diagnostics)
    fields = r.fields(node, "`terms`", TERMS_FIELDS)
    ids = tuple((ident, n.line, n.column) for ident, n in r.ids(fields.get("ignore"), "a term id in `terms.ignore`"))
    if node.kind == "map" and "ignore" not in fields and len(r.diagnostics) == before:
        r.err(node, "missing-key", "`terms` needs an `ignore` list", "write `terms: {ignore: [term-id]}`")
    return ids, r.text(fields.get("reason"), "`terms.reason`")


def unknown_ignored(path: str, ignored: tuple[tuple[str, int, int], ...], known: set[str]) -> list[Diagnostic]:
    return [error(path, line, col, "term-unknown", f"`terms.ignore` names `{ident}`, which is not in terms.yml",
                  did_you_mean(ident, known) or ("add it to content/terms.yml" if known else
                                                 "there is no content/terms.yml: add one, or remove `terms`"))
            for ident, line, col in ignored if ident not in known]
