"""The site's data files, for the validate stage: site.yml, people.yml, events.yml, tags.yml, and what
a document's validation reads of them (`as_read`).

Input: their `SourceFile`s. Output: `Site`, `Person`s, `Event`s and tag names, with every problem
added to the caller's diagnostics.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .diagnostics import Diagnostic, did_you_mean, error, one_of
from .model import EXPORT_FORMATS, Bilingual, Event, Language, Person, Site, SourceFile
from .names import RESERVED_SLUGS
from .schema import Reader
from .textcheck import shows_nothing, url_normal, url_problem
from .yamlpos import Node, parse

TEXT_EXPORTS = {"text", "json", "tei", "tsv", "tmx"}  # the formats made from the blocks' TEI and plain forms
SITE_FIELDS = ("title", "description", "base_url", "languages", "license", "editors", "allow_html", "cname", "image",
               "exports")


def yaml_of(f: SourceFile, diags: list[Diagnostic], text: str | None = None,
            first_line: int = 1) -> Node | None:
    node, more = parse(f.text if text is None else text, f.path, first_line)
    diags.extend(more)
    return node


def as_read(site: Site, events: dict[str, Event]) -> tuple[Site, dict[str, Event]]:
    """The site and events as a document's validation reads them: the languages, whether HTML is
    allowed, the exports made from its text; each event's days and place. The rest is blanked, so
    that it cannot be read unawares (the key would not say so)."""
    return (Site(Bilingual(()), None, "", site.languages, None, (), site.allow_html,
                 exports=tuple(e for e in site.exports if e in TEXT_EXPORTS)),
            {k: replace(e, name=Bilingual(())) for k, e in events.items()})


def site_file(f: SourceFile, diags: list[Diagnostic], base_override: str | None,
              assets: tuple[str, ...] = ()) -> Site | None:
    node = yaml_of(f, diags)
    if node is None:
        if not any(d.path == f.path for d in diags):
            diags.append(error(f.path, 1, 1, "missing-key", "site.yml is empty",
                               "it needs `title`, `base_url` and `languages`"))
        return None
    r = Reader(f.path, ())
    fields = r.fields(node, "site.yml", SITE_FIELDS, ("title", "base_url", "languages"))
    languages: list[Language] = []
    stand_ins: list[Language] = []
    lang_node = fields.get("languages")
    if lang_node is not None:
        before = len(r.diagnostics)
        entries = r.entries(lang_node, "languages")
        for key, k, v in entries:
            if key in RESERVED_SLUGS:  # its tree /<key>/ would be the edition's own folder of that name
                r.err(k, "reserved-slug", f"the language key `{key}` is the name of one of the edition's own "
                      "folders", f"use another key (e.g. the language's code); the reserved names are "
                      f"{one_of(RESERVED_SLUGS)}")
            lf = r.fields(v, f"language `{key}`", ("name", "lang"), ("name", "lang"))
            name, tag = r.text(lf.get("name"), "name"), r.text(lf.get("lang"), "lang")
            for field, value in (("name", name), ("lang", tag)):
                if value is not None and shows_nothing(value):
                    r.err(lf[field], "empty-text", f"the {field} of language `{key}` is empty",
                          'give it, e.g. `zh: {name: "中文", lang: "zh-Hans"}`')
            name, tag = (name or "").strip() or None, (tag or "").strip() or None
            if tag is not None and not re.fullmatch(r"(?:[A-Za-z]{2,8}|[xXiI])(-[A-Za-z0-9]{1,8})*", tag):
                r.err(lf["lang"], "bad-lang", f"`{tag}` is not a BCP 47 language tag", "e.g. `en` or `zh-Hans`")
                tag = None
            if tag is not None and (twin := next((x for x in languages if x.lang.lower() == tag.lower()), None)):
                r.err(lf["lang"], "bad-lang", f"`{tag}` is the lang of `{twin.key}` too; each language needs its "
                      "own tag", "e.g. `zh-Hans` and `zh-Hant`: the pages name each other's language by it")
                tag = None
            if name and tag:
                languages.append(Language(key, name, tag))
            else:  # reported above; the key still stands for its tree, so the content can be checked
                stand_ins.append(Language(key, name or key, tag or "und"))
        languages_read = len(r.diagnostics) == before
        if not languages and languages_read:
            r.err(lang_node, "missing-key", "`languages` lists no language", "e.g. `en: {name: English, lang: en}`")
        elif not languages_read and entries and len(entries) == len(lang_node.items()):
            # Only a name or a tag is wrong: the keys are known, so the documents are still checked
            # (the run fails on the error above; nothing is written).
            languages = [next(x for x in (*languages, *stand_ins) if x.key == key) for key, _, _ in entries]
            languages_read = True
        # A language whose entry has an error is still a language of the site: no second error
        # for every bilingual value that uses its key.
        r.languages = tuple(key for key, _, _ in entries)
    first = languages[0].key if languages else "en"
    # Without `languages` (missing, misspelled) the texts' keys cannot be checked: that one error is said.
    title = r.bilingual(fields.get("title"), "title", first) if lang_node is not None else None
    description = r.bilingual(fields.get("description"), "description", first) if lang_node is not None else None
    base = r.url(fields.get("base_url"), "base_url")
    if base_override is not None:
        if problem := url_problem(base_override, base=True):
            diags.append(error("--base-url", 0, 0, "bad-url", f"--base-url {problem}, found `{base_override}`",
                               "e.g. --base-url https://USER.github.io/REPO/"))
            return None
        base = url_normal(base_override)
    if base is not None and not base.endswith("/"):
        base += "/"
    editors = [e for n in _seq(fields.get("editors")) if (e := r.text(n, "an editor"))]
    allow = r.boolean(fields.get("allow_html"), "allow_html")
    lic = r.text(fields.get("license"), "license")
    cname = r.text(fields.get("cname"), "cname")
    if cname is not None and not re.fullmatch(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}", cname):
        r.err(fields["cname"], "bad-cname", f"cname `{cname}` is not a domain name", "e.g. `speeches.example.org`")
        cname = None
    image = _image(r, fields.get("image"), assets)
    exports = _exports(r, fields.get("exports"))
    diags.extend(r.diagnostics)
    if not languages or lang_node is None or not languages_read:
        return None  # every document depends on the languages: nothing more can be checked
    # Another error is reported and fails the run, but the content is still checked against the
    # rest of site.yml, so that the run reports all its problems at once (nothing is written).
    return Site(title or Bilingual(((first, "?"),)), description, base or "https://example.invalid/",
                tuple(languages), lic, tuple(editors), bool(allow), cname, image,
                EXPORT_FORMATS if exports is None else exports, exports is not None)


def _image(r: Reader, node: Node | None, assets: tuple[str, ...]) -> str | None:
    """The share image: an http(s) URL, or a PNG/JPEG/GIF/WebP of content/assets/ (link previews
    show raster images only)."""
    value = r.text(node, "image")
    if value is None or node is None:
        return value
    if re.match(r"^https?://", value, re.I):  # checked as every URL (it goes into an attribute)
        return r.url(node, "image")
    path = value.removeprefix("/").removeprefix("content/")
    if not re.search(r"\.(png|jpe?g|gif|webp)$", path, re.I):
        r.err(node, "bad-image", f"image `{value}` is not a PNG, JPEG, GIF or WebP file",
              "link previews (og:image) show raster images; e.g. `assets/cover.png`")
        return None
    if f"content/{path}" not in assets:
        r.err(node, "missing-image", f"image `{value}` is not a file of content/assets/",
              "put the image in content/assets/ and write its path, e.g. `assets/cover.png`")
        return None
    return path


def _exports(r: Reader, node: Node | None) -> tuple[str, ...] | None:
    """`exports:` names the download formats to write: a list, `all`, or `[]` for none (None: absent)."""
    if node is None:
        return None
    if node.kind == "scalar" and node.value == "all":
        return EXPORT_FORMATS
    if node.kind == "seq" and not node.value:
        return ()
    chosen = set()
    for name, n in r.ids(node, "an export format"):
        if name in EXPORT_FORMATS:
            chosen.add(name)
        else:
            r.err(n, "unknown-export", f"`{name}` is not an export format",
                  did_you_mean(name, EXPORT_FORMATS) or f"the formats are {one_of(EXPORT_FORMATS)}, or `all`")
    return tuple(f for f in EXPORT_FORMATS if f in chosen)


def _seq(node: Node | None) -> tuple[Node, ...]:
    if node is None or node.value is None:
        return ()
    return node.value if node.kind == "seq" else (node,)


def _read(f: SourceFile | None, diags: list[Diagnostic]) -> tuple[Node | None, frozenset[str] | None]:
    """An id-keyed data file's tree, and no ids for a file absent or empty; None for one that
    could not be parsed."""
    if f is None:
        return None, frozenset()
    before = len(diags)
    node = yaml_of(f, diags)
    return node, None if node is None and len(diags) > before else frozenset()


def people_file(f: SourceFile | None, keys: tuple[str, ...], diags: list[Diagnostic]
                ) -> tuple[list[Person], frozenset[str] | None]:
    """The people, and the ids the file names (an entry with errors of its own included): what a
    speaker is checked against; None when the file could not be parsed (nothing can be checked)."""
    node, named = _read(f, diags)
    if node is None or f is None:
        return [], named
    r = Reader(f.path, keys)
    out = []
    entries = r.entries(node, "people.yml")
    # Not a mapping (a list, a text): its one error is said; nothing can be checked against it.
    named = frozenset(ident for ident, _k, _v in entries) if node.kind == "map" else None
    for ident, _k, v in entries:
        fields = r.fields(v, f"person `{ident}`", ("name", "role"), ("name",))
        name = r.bilingual(fields.get("name"), "name", keys[0])
        if name:
            out.append(Person(ident, name, r.bilingual(fields.get("role"), "role", keys[0])))
    diags.extend(r.diagnostics)
    return out, named


def events_file(f: SourceFile | None, keys: tuple[str, ...], diags: list[Diagnostic]
                ) -> tuple[list[Event], frozenset[str] | None]:
    """The events, and the ids the file names (see `people_file`)."""
    node, named = _read(f, diags)
    if node is None or f is None:
        return [], named
    r = Reader(f.path, keys)
    out = []
    entries = r.entries(node, "events.yml")
    # Not a mapping (a list, a text): its one error is said; nothing can be checked against it.
    named = frozenset(ident for ident, _k, _v in entries) if node.kind == "map" else None
    for ident, _k, v in entries:
        fields = r.fields(v, f"event `{ident}`", ("name", "place", "start", "end"), ("name",))
        name = r.bilingual(fields.get("name"), "name", keys[0])
        start, end = r.date(fields.get("start"), "start"), r.date(fields.get("end"), "end")
        if start and end and end < start:
            r.err(fields["end"], "bad-date", f"the event ends ({end}) before it starts ({start})",
                  "correct `start` or `end`; a one-day event has the same `start` and `end`")
        if name:
            out.append(Event(ident, name, r.bilingual(fields.get("place"), "place", keys[0]), start, end))
    diags.extend(r.diagnostics)
    return out, named


def tags_file(f: SourceFile | None, keys: tuple[str, ...], diags: list[Diagnostic]
          ) -> list[tuple[str, Bilingual]]:
    node = yaml_of(f, diags) if f else None
    if node is None or f is None:
        return []
    r = Reader(f.path, keys)
    out = []
    for ident, _k, v in r.entries(node, "tags.yml"):
        name = r.bilingual(v, f"the name of tag `{ident}`", keys[0])
        if name:
            out.append((ident, name))
    diags.extend(r.diagnostics)
    return out


