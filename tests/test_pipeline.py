"""The pipeline, and the incremental rebuild a preview uses: its output equals a full build's."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from edition import index as index_module
from edition.pipeline import Options, Result, build

from .conftest import THEME, run, tree_digest

GOLDEN = Path(__file__).parent / "golden" / "site"
OPENING = "content/speeches/2020-05-01-opening.md"
CLOSING = "content/speeches/2020-05-03-closing.md"


def edit(root: Path, path: str, old: str, new: str) -> None:
    p = root / path
    text = p.read_text(encoding="utf-8")
    assert old in text
    p.write_text(text.replace(old, new, 1), encoding="utf-8")


EDITS = {
    "text of one speech": lambda r: edit(r, CLOSING, "谢谢大家。", "谢谢各位。"),
    "a title others cite": lambda r: edit(r, CLOSING, "Closing Remarks", "Final Remarks"),
    "a new cross-link (back-links change)": lambda r: edit(r, CLOSING, "谢谢大家。", "谢谢大家，见[[about]]。"),
    "a speaker's speech list": lambda r: edit(r, CLOSING, "date: 2020-05-03", "date: 2020-05-04"),
    "a speech removed": lambda r: (r / "content/speeches/2020-05-02-letter.md").unlink()
    or edit(r, OPENING, "related: [2020-05-02-letter]\n", ""),
    "people.yml": lambda r: edit(r, "content/people.yml", "Minister", "Foreign Minister"),
    "a template": lambda r: (r / "templates").mkdir() or shutil.copy(THEME / "templates" / "page.html",
                                                                    r / "templates" / "page.html")
    or edit(r, "templates/page.html", '<article class="page">', '<article class="page custom">'),
}


def site_files(folder: Path) -> dict[str, str]:
    """A built site's files, the search bundle aside (it varies from run to run, see test_cli)."""
    return {k: v for k, v in tree_digest(folder).items() if not k.startswith("pagefind/")}


@pytest.mark.parametrize("search", ["now", "later"])  # "later": a preview, which updates files in place
@pytest.mark.parametrize("name", list(EDITS))
def test_incremental_rebuild_equals_a_full_build(tmp_path: Path, name: str, search: str) -> None:
    root = tmp_path / "site"
    shutil.copytree(GOLDEN, root)
    opts = Options(root=root, out=tmp_path / "inc", theme=THEME, search=search)
    first = build(Options(root=root, out=tmp_path / "inc", theme=THEME))
    assert not first.failed(False)
    EDITS[name](root)
    second = build(opts, previous=first)
    assert not second.failed(False), second.diagnostics
    full = build(Options(root=root, out=tmp_path / "full", theme=THEME))
    assert site_files(tmp_path / "inc") == site_files(tmp_path / "full")
    assert full.rendered is not None and second.rendered is not None


def test_a_preview_rebuilds_whole_after_another_build_published_its_output(tmp_path: Path) -> None:
    """A CLI build into the preview's folder publishes a site of its own (from the sources as they were
    when it read them). The preview's next rebuild used to trust its own record of the output and
    update only what changed since *its* last build: the CLI's pages stayed, for good."""
    root = tmp_path / "site"
    shutil.copytree(GOLDEN, root)
    out = tmp_path / "out"
    first = build(Options(root=root, out=out, theme=THEME))  # the preview's first build
    edit(root, CLOSING, "谢谢大家。", "另一个构建。")
    assert run("--root", str(root), "--out", str(out))[0] == 0  # another build of the same output
    edit(root, CLOSING, "另一个构建。", "谢谢大家。")  # the sources as the preview last built them
    second = build(Options(root=root, out=out, theme=THEME, search="later"), previous=first)
    assert not second.failed(False), second.diagnostics
    build(Options(root=root, out=tmp_path / "full", theme=THEME))
    assert site_files(out) == site_files(tmp_path / "full")


def rendered_again(result: Result) -> list[str]:
    """The pages a build rendered, rather than kept from the output (units whose inputs did not change)."""
    assert result.rendered is not None
    return sorted(p for p in result.rendered.made if p.endswith(".html"))  # streamed or in memory


def test_an_unchanged_rebuild_reuses_every_page(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(GOLDEN, root)
    opts = Options(root=root, out=tmp_path / "out", theme=THEME)
    first = build(opts)
    assert len(rendered_again(first)) > 30
    second = build(opts, previous=first)
    assert not second.failed(False) and second.rendered is not None
    assert second.rendered.made == () and len(second.rendered.kept) > 30


def test_the_search_index_is_told_the_pages_with_a_search_body(tmp_path: Path) -> None:
    """Every speech page of each tree, whether rendered by this build or kept from the last one
    (Pagefind reads those alone, index.glob); no list or document page of the theme has one."""
    root = tmp_path / "site"
    shutil.copytree(GOLDEN, root)
    opts = Options(root=root, out=tmp_path / "out", theme=THEME)
    first = build(opts)
    speeches = sorted(f"{k}/speeches/{p.stem}/index.html" for k in ("en", "zh")
                      for p in (root / "content" / "speeches").glob("*.md"))
    assert first.rendered is not None and sorted(first.rendered.searchable) == speeches
    edit(root, CLOSING, "谢谢大家。", "谢谢各位。")
    second = build(opts, previous=first)
    assert second.rendered is not None and sorted(second.rendered.searchable) == speeches
    assert 0 < len(second.rendered.made) < len(first.rendered.made)


def test_a_rebuild_renders_again_only_the_pages_an_edit_touches(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(GOLDEN, root)
    opts = Options(root=root, out=tmp_path / "out", theme=THEME)
    first = build(opts)
    edit(root, CLOSING, "谢谢大家。", "谢谢各位。")
    second = build(opts, previous=first)
    assert first.rendered and second.rendered
    rerendered = sorted(second.rendered.made)
    # The edited speech's page on each tree, its citation files and exports, and the edition-wide
    # aligned texts and the page offering them with their sizes: not the pages that show only its
    # title or whether it has a text.
    closing = "speeches/2020-05-03-closing/"
    assert rerendered == sorted([*(f"{k}/{closing}{n}" for k in ("en", "zh")
                                   for n in ("index.html", "cite.bib", "cite.json", "cite.ris")),
                                 "exports/aligned.tmx.gz", "exports/aligned.tsv.gz", "en/exports/index.html",
                                 "zh/exports/index.html",
                                 *(f"exports/{closing}2020-05-03-closing.{x}"
                                   for x in ("json", "md", "tei.xml", "zh.txt"))])


def test_a_term_page_is_rendered_again_only_when_its_rows_change(tmp_path: Path) -> None:
    """Each term's pages are a unit reading that term's concordance rows: a save of a speech in
    which no term occurs renders no term page again; a save that changes a row renders that term's."""
    root = tmp_path / "site"
    shutil.copytree(GOLDEN, root)
    (root / "content/terms.yml").write_text("governance:\n  zh: 治理\n  en: governance\n"
                                            "forum:\n  zh: 论坛\n  en: forum\n", encoding="utf-8")
    opts = Options(root=root, out=tmp_path / "out", theme=THEME)
    first = build(opts)
    assert first.diagnostics == () and first.rendered is not None
    assert {"en/terms/forum/index.html", "zh/terms/governance/index.html"} <= set(first.rendered.made)
    edit(root, CLOSING, "谢谢大家。", "谢谢各位。")
    second = build(opts, previous=first)
    assert second.rendered is not None and [p for p in second.rendered.made if "terms" in p] == []
    edit(root, OPENING, "本次论坛讨论", "本届论坛讨论")  # the sentence of both terms' rows
    third = build(opts, previous=second)
    assert third.rendered is not None
    assert {f"{k}/terms/{t}/index.html" for k in ("en", "zh") for t in ("forum", "governance")} \
        <= set(third.rendered.made)


def test_a_term_note_edit_renders_again_the_term_pages_not_the_site(tmp_path: Path) -> None:
    """Every page's navigation asks whether there is a term base, not what it holds."""
    root = tmp_path / "site"
    shutil.copytree(GOLDEN, root)
    terms = root / "content/terms.yml"
    terms.write_text("governance:\n  zh: 治理\n  en: governance\n  note: {en: One., zh: 一。}\n", encoding="utf-8")
    opts = Options(root=root, out=tmp_path / "out", theme=THEME)
    first = build(opts)
    assert first.rendered is not None and "en/people/index.html" in first.rendered.made
    terms.write_text(terms.read_text(encoding="utf-8").replace("One.", "Two."), encoding="utf-8")
    second = build(opts, previous=first)
    assert second.rendered is not None
    made = set(second.rendered.made)
    assert {"en/terms/governance/index.html", "exports/terms.tbx"} <= made
    assert not made & {"en/people/index.html", "zh/speeches/2020-05-03-closing/index.html", "en/index.html"}
    terms.unlink()  # no term base: the navigation loses its link on every page
    third = build(opts, previous=second)
    assert third.rendered is not None and "en/people/index.html" in third.rendered.made


def test_a_failed_build_keeps_the_previous_result_usable(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(GOLDEN, root)
    opts = Options(root=root, out=tmp_path / "out", theme=THEME)
    first = build(opts)
    before = tree_digest(tmp_path / "out")
    edit(root, CLOSING, "谢谢大家。", "谢谢[[nowhere]]。")
    failed = build(opts, previous=first)
    assert failed.failed(False) and failed.rendered is None
    assert tree_digest(tmp_path / "out") == before  # the site as it was
    # fixed, the next build (a preview's) starts from the last good result, not from nothing
    edit(root, CLOSING, "谢谢[[nowhere]]。", "谢谢各位。")
    fixed = build(opts, previous=first)
    assert not fixed.failed(False)
    again = rendered_again(fixed)
    assert "en/speeches/2020-05-03-closing/index.html" in again and "en/about/index.html" not in again
    assert "谢谢各位。" in (tmp_path / "out" / "zh/speeches/2020-05-03-closing/index.html").read_text()


def _summaries_in_lists(r: Path) -> None:
    """The override the README documents: a site template of the same name as the theme's."""
    (r / "templates").mkdir()
    macros = (THEME / "templates" / "macros.html").read_text(encoding="utf-8")
    old = '    {%- if not s.sections %}'
    assert old in macros
    shown = '    {%- if s.summary %} · <span class="summary">{{ t_html(v.text(s.summary)) }}</span>{% endif %}\n'
    (r / "templates" / "macros.html").write_text(macros.replace(old, shown + old, 1), encoding="utf-8")
    edit(r, CLOSING, "original: zh\n", "original: zh\nsummary: {en: 'Thanks.', zh: 谢谢。}\n")


# The three ways a preview went stale before dependencies were recorded (issue 10).
STALE = {
    "citations removed between two speeches of one event (the event page's arcs)":
        (None, lambda r: (edit(r, OPENING, "另见[[2020-05-03-closing#p2]]。", "另见。"),
                          edit(r, OPENING, "See also [[2020-05-03-closing#p2|the closing remarks]] and", "See also"))),
    "an HTML comment appended to a speech (its Markdown export)":
        (None, lambda r: (r / CLOSING).write_text((r / CLOSING).read_text(encoding="utf-8") + "\n<!-- to check -->\n",
                                                   encoding="utf-8")),
    "a site template showing summaries in lists, then a summary edited":
        (_summaries_in_lists, lambda r: edit(r, CLOSING, "summary: {en: 'Thanks.'", "summary: {en: 'Thank you all.'")),
}


@pytest.mark.parametrize("search", ["now", "later"])
@pytest.mark.parametrize("name", list(STALE))
def test_once_stale_previews_equal_a_full_build(tmp_path: Path, name: str, search: str) -> None:
    setup, change = STALE[name]
    root = tmp_path / "site"
    shutil.copytree(GOLDEN, root)
    if setup:
        setup(root)
    first = build(Options(root=root, out=tmp_path / "inc", theme=THEME))
    assert not first.failed(False), first.diagnostics
    change(root)
    second = build(Options(root=root, out=tmp_path / "inc", theme=THEME, search=search), previous=first)
    assert not second.failed(False), second.diagnostics
    assert second.rendered and second.rendered.made  # something was rendered again
    assert not build(Options(root=root, out=tmp_path / "full", theme=THEME)).failed(False)
    assert site_files(tmp_path / "inc") == site_files(tmp_path / "full")


def test_a_warm_cli_build_compresses_again_only_the_members_a_save_changed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The aligned downloads are series of gzip members of about 32 speeches; a CLI build reads the
    last output's members back (render.memo_from), so after one speech's edit only the member that
    holds it is compressed again, in each format, and the files equal a clean build's."""
    import gzip
    import subprocess
    import sys

    from edition.aligned import ALIGNED

    from .conftest import ROOT

    site = tmp_path / "site"
    subprocess.run([sys.executable, str(ROOT / "bench" / "make_corpus.py"), "70", str(site)],
                   check=True, capture_output=True)
    opts = Options(root=site, out=tmp_path / "out", theme=THEME, search="later", cache=True)
    assert not build(opts).failed(False)
    import edition.aligned

    read: list[int] = []
    real_members = edition.aligned.members
    monkeypatch.setattr(edition.aligned, "members",
                        lambda files, parts: read.extend(files) or real_members(files, parts))
    assert not build(opts).failed(False) and read == []  # nothing changed: the downloads are not even read
    speech = sorted((site / "content/speeches").glob("*.md"))[35]
    text = speech.read_text(encoding="utf-8")
    at = text.index("::: en\n\n") + len("::: en\n\n")
    speech.write_text(text[:at] + "Edited: " + text[at:], encoding="utf-8")
    compressed: list[bytes] = []
    real = gzip.compress
    monkeypatch.setattr(gzip, "compress", lambda data, *a, **k: compressed.append(data) or real(data, *a, **k))
    paired: list[str] = []  # the speeches whose aligned text is made again
    real_pairs = edition.aligned.aligned_pairs
    monkeypatch.setattr(edition.aligned, "aligned_pairs", lambda v, doc: paired.append(doc.slug) or real_pairs(v, doc))
    assert not build(opts).failed(False)
    assert len(compressed) == 2 and all(b"Edited: " in data for data in compressed)
    assert sorted(read) == sorted(ALIGNED.values())  # read back once the aligned unit is rendered again
    # Only the member holding the edited speech is made again: its text too, not only its compression.
    assert speech.stem in paired and 0 < len(paired) < 70 and all(p.encode() in compressed[0] for p in paired)
    monkeypatch.undo()
    assert not build(Options(root=site, out=tmp_path / "full", theme=THEME, search="later")).failed(False)
    for path in ALIGNED.values():
        warm, clean = (tmp_path / "out" / path).read_bytes(), (tmp_path / "full" / path).read_bytes()
        assert warm == clean and gzip.decompress(warm).count(b"Edited: ") == 1


def test_a_member_is_made_again_when_a_speech_it_links_to_is_retitled(tmp_path: Path) -> None:
    """A member's text shows the titles of the speeches its speeches link to (a cross-link without
    a label is its target's title): retitling a speech of another member makes that member again,
    and the warm build's downloads equal a clean build's. Those reads are recorded like a page's."""
    import re
    import subprocess
    import sys

    from edition.aligned import ALIGNED

    from .conftest import ROOT

    site = tmp_path / "site"
    subprocess.run([sys.executable, str(ROOT / "bench" / "make_corpus.py"), "70", str(site)],
                   check=True, capture_output=True)
    opts = Options(root=site, out=tmp_path / "out", theme=THEME, search="later", cache=True)
    assert not build(opts).failed(False)
    texts = [t.decode() for t in _member_texts((tmp_path / "out" / ALIGNED["tsv"]).read_bytes())]

    def member(slug: str) -> int:
        return next(i for i, t in enumerate(texts) if f"\n{slug}\t" in t)
    # a speech that links to one in another member, by a link without a label (its target's title)
    linker, target = next((p.stem, m.group(1)) for p in sorted((site / "content/speeches").glob("*.md"))
                          for m in re.finditer(r"\[\[([\w-]+)\]\]", p.read_text(encoding="utf-8").split("::: en\n")[1])
                          if member(m.group(1)) != member(p.stem))
    path = site / "content/speeches" / f"{target}.md"
    text = path.read_text(encoding="utf-8")
    title = re.search(r"^  en: (.+)$", text, re.M)
    assert title is not None
    path.write_text(text.replace(title.group(0), "  en: A Title Nobody Had", 1), encoding="utf-8")
    assert not build(opts).failed(False)
    assert not build(Options(root=site, out=tmp_path / "full", theme=THEME, search="later")).failed(False)
    for fmt, file in ALIGNED.items():
        warm, clean = (tmp_path / "out" / file).read_bytes(), (tmp_path / "full" / file).read_bytes()
        assert warm == clean, fmt
    tsv = (tmp_path / "out" / ALIGNED["tsv"]).read_bytes()
    (held,) = [t for t in (m.decode() for m in _member_texts(tsv)) if f"\n{linker}\t" in t]
    assert "A Title Nobody Had" in held and f"\n{target}\t" not in held


def test_a_download_replaced_after_the_preview_looked_is_not_read_back(tmp_path: Path) -> None:
    """A preview reads the last output's downloads back at its first rebuild that makes them again,
    maybe long after its first build checked them: a member replaced by hand meanwhile (the same
    text, compressed otherwise) must not end up in the preview's file (found by an attack: it did)."""
    import gzip
    import subprocess
    import sys
    import zlib

    from edition.aligned import ALIGNED

    from .conftest import ROOT

    site = tmp_path / "site"
    subprocess.run([sys.executable, str(ROOT / "bench" / "make_corpus.py"), "70", str(site)],
                   check=True, capture_output=True)
    opts = Options(root=site, out=tmp_path / "out", theme=THEME, search="later", cache=True)
    assert not build(opts).failed(False)
    people = site / "content/people.yml"
    text = people.read_text(encoding="utf-8")
    assert 'en: "Zhou Wenqing"' in text
    people.write_text(text.replace('en: "Zhou Wenqing"', 'en: "Zhou W."', 1), encoding="utf-8")  # no download reads it
    preview = build(opts)  # the preview's first build: the downloads are kept, their read-back waits
    assert not preview.failed(False)
    tsv = tmp_path / "out" / ALIGNED["tsv"]
    data, texts = tsv.read_bytes(), []
    while data:
        d = zlib.decompressobj(wbits=31)
        texts.append(d.decompress(data))
        data = d.unused_data
    assert len(texts) > 1
    by_hand = gzip.compress(texts[-1], 5, mtime=0)  # the same text and header, other bytes
    tsv.write_bytes(b"".join(gzip.compress(t, 6, mtime=0) for t in texts[:-1]) + by_hand)
    slug = texts[0].decode().split("\n")[1].split("\t")[0]
    speech = site / "content/speeches" / f"{slug}.md"
    text = speech.read_text(encoding="utf-8")
    at = text.index("::: en\n\n") + len("::: en\n\n")
    speech.write_text(text[:at] + "Edited: " + text[at:], encoding="utf-8")
    assert not build(opts, previous=preview).failed(False)
    assert not build(Options(root=site, out=tmp_path / "clean", theme=THEME, search="later")).failed(False)
    assert tsv.read_bytes() == (tmp_path / "clean" / ALIGNED["tsv"]).read_bytes()


def _member_texts(data: bytes) -> list[bytes]:
    """The text of each gzip member of a file, in order (as zlib reads them: no help of ours)."""
    import zlib
    texts = []
    while data:
        d = zlib.decompressobj(wbits=31)
        texts.append(d.decompress(data))
        data = d.unused_data
    return texts


def test_members_are_cut_where_the_build_that_wrote_them_recorded_them() -> None:
    """What `aligned.members` gives a later build: each member the parts recorded, whole, by the
    digest of its text, cut from the file where the build put it; a cut past the file's end (a torn
    file) or one that does not start a member as the build writes it is not taken. (That the
    spans a build records are right: the warm-build test above, which compresses one member again.)"""
    import gzip
    import hashlib

    from edition.aligned import ALIGNED
    from edition.aligned import members as cut
    from edition.model import Part

    texts = (b"one\n", b"two\n", b"three\n")
    zipped = [gzip.compress(t, 6, mtime=0) for t in texts]
    digests = [hashlib.blake2b(t, digest_size=16).hexdigest() for t in texts]
    starts = [0, len(zipped[0]), len(zipped[0]) + len(zipped[1])]
    parts = tuple(Part((f"s{i}",), (i == 0, i == 2), (), (("tsv", digests[i]),), spans=((starts[i], len(zipped[i])),))
                  for i in range(3))
    data = b"".join(zipped)
    assert cut({ALIGNED["tsv"]: data}, parts) == dict(zip(digests, zipped, strict=True))
    assert cut({ALIGNED["tsv"]: data[:-3]}, parts) == dict(zip(digests[:2], zipped[:2], strict=True))
    assert cut({ALIGNED["tmx"]: data}, parts) == {}  # another format's file
    shifted = tuple(Part(p.holds, p.place, p.reads, p.made, spans=((start + 1, n),))
                    for p in parts for start, n in p.spans)
    assert cut({ALIGNED["tsv"]: data}, shifted) == {}
    stamped = gzip.compress(texts[0], 6, mtime=1)  # another header: not a member this build wrote
    assert cut({ALIGNED["tsv"]: stamped + data[len(zipped[0]):]}, parts[:1]) == {}


def test_a_build_that_reads_what_the_last_one_published_derives_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A CLI build whose every input (sources, templates, static files, options) is what the last
    published build read, into the output as that build left it, says that build's diagnostics
    again and derives nothing; any other input, or an output file changed by hand, and it is a build
    like any other (equal to a clean one)."""
    from dataclasses import replace

    import edition.pipeline

    root = tmp_path / "site"
    shutil.copytree(GOLDEN, root)
    edit(root, OPENING, "女士们、先生们：", "女士们、先生们：\n\n多一段。")  # a block more than the English: a warning
    opts = Options(root=root, out=tmp_path / "out", theme=THEME, search="later", cache=True)
    first = build(opts)
    assert not first.failed(False) and [d.code for d in first.diagnostics] == ["alignment"]
    validated: list[int] = []
    real = edition.pipeline.validate
    monkeypatch.setattr(edition.pipeline, "validate", lambda *a, **k: validated.append(1) or real(*a, **k))

    def derives(o: Options) -> bool:
        before = len(validated)
        result = build(o)
        derived = len(validated) > before
        shutil.rmtree(tmp_path / "clean", ignore_errors=True)
        full = build(replace(o, out=tmp_path / "clean", cache=False))
        assert result.diagnostics == full.diagnostics == first.diagnostics and result.site == full.site
        assert site_files(o.out) == site_files(tmp_path / "clean")
        assert modes(o.out) == modes(tmp_path / "clean")
        return derived

    def modes(folder: Path) -> dict[str, int]:
        return {p.relative_to(folder).as_posix(): p.lstat().st_mode for p in folder.rglob("*")
                if "pagefind" not in p.parts}

    def linked_in_place() -> None:  # a page moved aside, a link to it in its place
        (tmp_path / "out/en/index.html").rename(tmp_path / "out/en/real.html")
        (tmp_path / "out/en/index.html").symlink_to("real.html")

    again = build(opts)
    assert [s for s, _, _ in again.stages] == ["load", "unchanged", "write"] and validated == []
    assert again.diagnostics == first.diagnostics and again.site is not None and again.written == 0

    def linked_template() -> None:  # Jinja opens a template by its path: one in a linked folder is used
        (root / "partials").mkdir()
        (root / "partials/extra.txt").write_text("# one\n")
        (root / "templates/inc").symlink_to("../partials")
        robots = (THEME / "templates/robots.txt").read_text()
        (root / "templates/robots.txt").write_text(robots + '{% include "inc/extra.txt" %}')

    def replaced_in_place() -> None:  # another file under the name, at the same size and time
        page = tmp_path / "out/index.html"
        kept = page.stat()
        (tmp_path / "out/new.html").write_bytes(page.read_bytes().replace(b"html", b"HTML", 1))
        os.replace(tmp_path / "out/new.html", page)
        os.utime(page, ns=(kept.st_atime_ns, kept.st_mtime_ns))

    def static_rewritten() -> None:  # at its size, its mtime put back
        asset = root / "content/assets/map.txt"
        kept = asset.stat()
        asset.write_text(str(int(asset.read_text()) + 1))
        os.utime(asset, ns=(kept.st_atime_ns, kept.st_mtime_ns))

    changes = {
        "a source": lambda: edit(root, CLOSING, "谢谢大家。", "谢谢各位。"),
        "a template": lambda: (root / "templates").mkdir() or shutil.copy(THEME / "templates" / "page.html",
                                                                           root / "templates" / "page.html"),
        "a static file": lambda: (root / "content/assets").mkdir(exist_ok=True)
        or (root / "content/assets/map.txt").write_text("1"),
        "a static file rewritten at its size and time": static_rewritten,
        "an output file": lambda: (tmp_path / "out/index.html").write_text("edited by hand"),
        "an output's static file": lambda: (tmp_path / "out/theme/edition.css").unlink(),
        "a file added to the output": lambda: (tmp_path / "out/en/notes.txt").write_text("mine"),
        "a folder added to the output": lambda: (tmp_path / "out/drafts").mkdir(),
        "an output file replaced at its size and time": replaced_in_place,
        "a link in place of an output file": linked_in_place,
        "an output file's permissions": lambda: (tmp_path / "out/en/index.html").chmod(0o600),
        "an output folder's permissions": lambda: (tmp_path / "out/en").chmod(0o700),
        "a template in a linked folder": linked_template,
        "its text": lambda: (root / "partials/extra.txt").write_text("# two\n"),
    }
    for name, change in changes.items():
        change()
        assert derives(opts), name
        assert not derives(opts), name  # and the build after it does not
    assert not (tmp_path / "out/drafts").exists()  # a clean build has no such folder
    # A build that publishes without taking the short way (one that reads the model) records what it
    # read too: the record left by the build before it no longer tells what the folder holds.
    asset = root / "content/assets/map.txt"
    kept = asset.stat()
    asset.write_text("a longer text")
    assert derives(replace(opts, model=True))
    asset.write_text("2")
    os.utime(asset, ns=(kept.st_atime_ns, kept.st_mtime_ns))  # the very file the build before it copied
    assert derives(opts) and (tmp_path / "out/assets/map.txt").read_text() == "2"
    for option in ({"base_url": "https://example.org/edition/"}, {"drafts": True}):
        assert derives(replace(opts, **option)), option  # type: ignore[arg-type]
        assert not derives(replace(opts, **option)), option  # type: ignore[arg-type]
    assert derives(replace(opts, model=True))  # a caller that reads the model gets it
    now = build(replace(opts, search="now"))  # the last build made no search bundle: this one makes it
    assert "index" in [s for s, _, _ in now.stages] and (tmp_path / "out/pagefind").is_dir()
    assert [s for s, _, _ in build(replace(opts, search="now")).stages] == ["load", "unchanged", "write"]
    fragment = next((tmp_path / "out/pagefind").rglob("*.pf_fragment"))
    fragment.unlink()  # a search bundle missing a file: indexed again
    assert "index" in [s for s, _, _ in build(replace(opts, search="now")).stages] and fragment.is_file()
    assert [s for s, _, _ in build(replace(opts, search="now")).stages] == ["load", "unchanged", "write"]


def _indexed_pages(out: Path) -> dict[str, int]:
    return {key: sum(lang["page_count"] for lang in json.loads(
        (out / "pagefind" / key / "pagefind-entry.json").read_text())["languages"].values()) for key in ("en", "zh")}


def _pagefind_children() -> list[str]:
    """The Pagefind processes this process started that still run (Linux's /proc)."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            stat = (proc / "stat").read_text()
            cmd = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if proc.name.isdigit() and int(stat.rsplit(")", 1)[1].split()[1]) == os.getpid() and b"pagefind" in cmd:
            found.append(proc.name)
    return found


def _spawns(monkeypatch: pytest.MonkeyPatch) -> list[tuple[bool, bool]]:
    """Each start of Pagefind: (were the speech pages in the site, was the people's index — made after them)."""
    seen: list[tuple[bool, bool]] = []
    spawn = index_module.spawn

    def spy(site: Path, *args: Any, **kwargs: Any) -> Any:
        seen.append((all((site / k / "speeches" / Path(s).stem / "index.html").is_file() for k in ("en", "zh")
                         for s in (CLOSING, OPENING)), (site / "en" / "people" / "index.html").exists()))
        return spawn(site, *args, **kwargs)
    monkeypatch.setattr(index_module, "spawn", spy)
    return seen


def test_the_index_starts_once_the_speech_pages_are_in_and_sees_them_all(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The index runs beside the rest of the render stage (render's `searched`). After one text
    edit, the pages kept from the last build are in the staged site before it starts: the bundle
    holds every speech of each tree, like a full build's, and the new text is found."""
    root = tmp_path / "site"
    shutil.copytree(GOLDEN, root)
    opts = Options(root=root, out=tmp_path / "out", theme=THEME, cache=True)
    assert not build(opts).failed(False)
    edit(root, CLOSING, "谢谢大家。", "谢谢各位。")
    spawns = _spawns(monkeypatch)
    second = build(opts)
    assert not second.failed(False) and second.rendered is not None
    assert second.rendered.kept and second.rendered.made  # a warm build: most pages kept
    assert spawns == [(True, False)]  # once, with every speech page and before the lists
    assert not build(Options(root=root, out=tmp_path / "full", theme=THEME)).failed(False)
    assert _indexed_pages(tmp_path / "out") == _indexed_pages(tmp_path / "full") == {"en": 3, "zh": 3}
    assert not _pagefind_children()


def test_a_page_a_site_template_gives_a_search_body_is_indexed_too(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The index that started with the speech pages is not the one published when another page
    holds a search body (known only once that page is made): the site is indexed again, whole."""
    root = tmp_path / "site"
    shutil.copytree(GOLDEN, root)
    (root / "templates").mkdir()
    shutil.copy(THEME / "templates" / "home.html", root / "templates" / "home.html")
    edit(root, "templates/home.html", '<section aria-labelledby="h-speeches">',
         '<section aria-labelledby="h-speeches" data-pagefind-body>')
    spawns = _spawns(monkeypatch)
    result = build(Options(root=root, out=tmp_path / "out", theme=THEME))
    assert not result.failed(False) and result.rendered is not None
    assert "en/index.html" in result.rendered.searchable
    assert spawns == [(True, False), (True, True)]  # started early, then again on the whole site
    assert _indexed_pages(tmp_path / "out") == {"en": 4, "zh": 4}
    assert not _pagefind_children()


def test_a_build_that_fails_after_the_index_started_stops_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A template that fails in a unit rendered after the speeches (a list's): the index had started; it is
    stopped before the staged site is removed, and nothing is left beside the output."""
    root = tmp_path / "site"
    shutil.copytree(GOLDEN, root)
    (root / "templates").mkdir()
    (root / "templates" / "people.html").write_text("{{ nothing.here }}")
    out = tmp_path / "out"
    spawns = _spawns(monkeypatch)
    result = build(Options(root=root, out=out, theme=THEME))
    assert spawns == [(True, False)]
    assert [d.code for d in result.diagnostics if d.severity == "error"] == ["template"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert not _pagefind_children()


def _bundle(folder: Path, key: str) -> tuple[dict[str, bytes], list[int]]:
    """What a tree's search bundle says: its fragments and index chunks, decompressed, by name (the
    same for the same pages), and the sizes of its filter and meta files (whose bytes and names vary
    between identical runs, as Pagefind keeps filter values in an unordered map)."""
    import gzip

    said, sizes = {}, []
    for p in sorted((folder / "pagefind" / key).rglob("*")):
        if p.suffix in (".pf_fragment", ".pf_index"):
            said[p.name] = gzip.decompress(p.read_bytes())
        elif p.suffix in (".pf_filter", ".pf_meta"):
            sizes.append(len(gzip.decompress(p.read_bytes())))
    return said, sorted(sizes)


def _trees_indexed(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    seen: list[tuple[str, ...]] = []
    spawn = index_module.spawn

    def spy(site: Path, output: Path, keys: tuple[str, ...], *args: Any, **kwargs: Any) -> Any:
        seen.append(keys)
        return spawn(site, output, keys, *args, **kwargs)
    monkeypatch.setattr(index_module, "spawn", spy)
    return seen


ENGLISH_ONLY = ("Welcome, everyone[^w].", "Welcome, all of you[^w].")  # a note mark: an ignored element in another
TREE_EDITS = {  # what changes, and the trees Pagefind must read again
    "the English text": (lambda r: edit(r, OPENING, *ENGLISH_ONLY), ("en",)),
    "the Chinese text": (lambda r: edit(r, OPENING, "女士们、先生们：", "女士们、先生们、朋友们："), ("zh",)),
    "a title, indexed in both": (lambda r: edit(r, OPENING, "en: Opening Address", "en: Opening Speech"), ("en", "zh")),
    "a tag, a filter of both": (lambda r: edit(r, OPENING, "tags: [governance]", "tags: [governance, trade]"),
                                ("en", "zh")),
    "a class inside ignored cells": (lambda r: (r / "templates").mkdir() or (r / "templates/_text.html").write_text(
        (THEME / "templates/_text.html").read_text().replace("{% if cell.html", "<span></span>{% if cell.html")),
        ("en", "zh")),
    "a speech with no text in one language": (lambda r: edit(r, CLOSING, "谢谢大家。", "谢谢各位。"), ("en", "zh")),
}


@pytest.mark.parametrize("name", list(TREE_EDITS))
def test_only_the_trees_whose_search_input_changed_are_indexed_again(tmp_path: Path, name: str,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind rewrites a tree's whole bundle for one page: a tree whose pages it would read as
    before keeps its bundle (index.unchanged_trees). An edit of one language's text leaves the other
    tree's search input as it was (there that text is in `data-pagefind-ignore` cells); the bundles
    then say what a clean build's say, page for page. Ids or classes inside ignored cells count as
    a change (the template case): only their text is set aside."""
    change, trees = TREE_EDITS[name]
    root = tmp_path / "site"
    shutil.copytree(GOLDEN, root)
    opts = Options(root=root, out=tmp_path / "out", theme=THEME, cache=True)
    assert not build(opts).failed(False)
    change(root)
    indexed = _trees_indexed(monkeypatch)
    assert not build(opts).failed(False)
    assert indexed == [trees]
    assert not build(Options(root=root, out=tmp_path / "full", theme=THEME)).failed(False)
    for key in ("en", "zh"):
        assert _bundle(tmp_path / "out", key) == _bundle(tmp_path / "full", key), key
    assert site_files(tmp_path / "out") == site_files(tmp_path / "full")


def test_a_kept_bundle_is_used_only_as_it_was_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundle of a tree that would be indexed the same is linked in only when its files are as
    the last build published them and come from this Pagefind: else that tree is indexed again."""
    root = tmp_path / "site"
    shutil.copytree(GOLDEN, root)
    out = tmp_path / "out"
    opts = Options(root=root, out=out, theme=THEME, cache=True)
    assert not build(opts).failed(False)
    indexed = _trees_indexed(monkeypatch)
    edit(root, OPENING, *ENGLISH_ONLY)
    fragment = next((out / "pagefind/zh").rglob("*.pf_fragment"))
    fragment.write_bytes(fragment.read_bytes())  # rewritten (its time), as by hand
    assert not build(opts).failed(False)
    edit(root, OPENING, ENGLISH_ONLY[1], ENGLISH_ONLY[0])
    with monkeypatch.context() as m:
        m.setattr(index_module, "pagefind_version", lambda: "0.0.1")  # another Pagefind's bundle
        assert not build(opts).failed(False)
    edit(root, OPENING, *ENGLISH_ONLY)
    assert not build(opts).failed(False)  # the last bundle is recorded as that other Pagefind's
    edit(root, OPENING, ENGLISH_ONLY[1], ENGLISH_ONLY[0])
    assert not build(opts).failed(False)
    assert indexed == [("en", "zh"), ("en", "zh"), ("en", "zh"), ("en",)]
    assert _indexed_pages(out) == {"en": 3, "zh": 3}


def test_pagefind_settings_of_its_own_make_the_bundle_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind reads a pagefind.yml in its working folder and PAGEFIND_* variables: a build records
    them with its bundle, and one with other settings makes every tree again, also when nothing
    else changed (a helper's attack: the file removed, the other tree kept what it had excluded)."""
    root = tmp_path / "site"
    shutil.copytree(GOLDEN, root)
    opts = Options(root=root, out=tmp_path / "out", theme=THEME, cache=True)
    monkeypatch.chdir(tmp_path)
    assert not build(opts).failed(False)
    indexed = _trees_indexed(monkeypatch)
    (tmp_path / "pagefind.yml").write_text('exclude_selectors: ["p"]\n')
    assert not build(opts).failed(False)  # no source changed
    (tmp_path / "pagefind.yml").unlink()
    edit(root, OPENING, *ENGLISH_ONLY)
    assert not build(opts).failed(False)
    monkeypatch.setenv("PAGEFIND_EXCLUDE_SELECTORS", "p")
    assert not build(opts).failed(False)
    monkeypatch.delenv("PAGEFIND_EXCLUDE_SELECTORS")
    assert not build(opts).failed(False)
    assert indexed == [("en", "zh")] * 4
    assert not build(Options(root=root, out=tmp_path / "full", theme=THEME)).failed(False)
    for key in ("en", "zh"):
        assert _bundle(tmp_path / "out", key) == _bundle(tmp_path / "full", key), key


def test_a_tree_indexed_again_takes_over_the_files_pagefind_would_write_the_same(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind does not write a content-named file whose name exists: the fragments of the pages
    an edit did not touch are the last output's files (the same inodes), not written again, and the
    files the new index no longer names are gone; the bundle says what a clean build's says."""
    root = tmp_path / "site"
    shutil.copytree(GOLDEN, root)
    out = tmp_path / "out"
    opts = Options(root=root, out=out, theme=THEME, cache=True)
    assert not build(opts).failed(False)
    before = {p.stat().st_ino for p in (out / "pagefind/en/fragment").iterdir()}
    edit(root, OPENING, *ENGLISH_ONLY)
    assert not build(opts).failed(False)
    after = [p.stat().st_ino for p in (out / "pagefind/en/fragment").iterdir()]
    assert len(after) == len(before) == 3 and len(set(after) & before) == 2
    assert not build(Options(root=root, out=tmp_path / "full", theme=THEME)).failed(False)
    for key in ("en", "zh"):
        assert _bundle(out, key) == _bundle(tmp_path / "full", key), key


def test_a_file_taken_over_under_a_name_given_to_other_content_means_an_index_from_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A name is the first seven digits of a hash: a file of the last bundle could bear the name the
    new index gives to other content, and Pagefind would not write it. Simulated here by planting a
    file of other content under the name the edited page's fragment gets: the tree is indexed again
    from nothing, and the bundle is a clean build's."""
    import gzip

    root = tmp_path / "site"
    shutil.copytree(GOLDEN, root)
    out = tmp_path / "out"
    opts = Options(root=root, out=out, theme=THEME, cache=True)
    assert not build(opts).failed(False)
    old = {p.name for p in (out / "pagefind/en/fragment").iterdir()}
    edit(root, OPENING, *ENGLISH_ONLY)
    assert not build(Options(root=root, out=tmp_path / "full", theme=THEME)).failed(False)
    (new,) = {p.name for p in (tmp_path / "full/pagefind/en/fragment").iterdir()} - old
    plant = index_module.plant

    def colliding(src: Path, dest: Path, paths: list[str]) -> int:
        linked = plant(src, dest, paths)
        (dest / "pagefind/en/fragment" / new).write_bytes(gzip.compress(b'pagefind_dcd{"url":"/elsewhere/"}'))
        return linked
    monkeypatch.setattr(index_module, "plant", colliding)
    indexed = _trees_indexed(monkeypatch)
    result = build(opts)
    assert not result.failed(False) and result.diagnostics == ()
    assert indexed == [("en",), ("en",)]
    for key in ("en", "zh"):
        assert _bundle(out, key) == _bundle(tmp_path / "full", key), key


def test_a_folder_of_the_output_replaced_by_a_link_is_not_linked_from(tmp_path: Path) -> None:
    """A kept speech's folder moved elsewhere and a link to it put in its place (the same files,
    the same inodes as recorded): the next build makes that speech's files again instead of
    linking what it finds through the link, so the new site holds no file from outside it."""
    root = tmp_path / "site"
    shutil.copytree(GOLDEN, root)
    opts = Options(root=root, out=tmp_path / "out", theme=THEME, cache=True)  # the CLI's warm build
    build(opts)
    folder = tmp_path / "out" / "en" / "speeches" / "2020-05-01-opening"
    moved = tmp_path / "elsewhere"
    folder.rename(moved)
    folder.symlink_to(moved)
    outside = {p.stat().st_ino for p in moved.rglob("*") if p.is_file()}
    assert len(outside) >= 2
    edit(root, CLOSING, "谢谢大家。", "谢谢各位。")
    second = build(opts)
    assert not second.failed(False) and second.rendered is not None
    assert "en/index.html" in second.rendered.kept  # a warm build, which links what it keeps
    assert "en/speeches/2020-05-01-opening/index.html" in second.rendered.made
    assert folder.is_dir() and not folder.is_symlink()
    assert not {p.stat().st_ino for p in folder.rglob("*") if p.is_file()} & outside
    assert site_files(tmp_path / "out") == site_files(_clean(root, tmp_path / "clean"))


def _clean(root: Path, out: Path) -> Path:
    copy = out.parent / f"{out.name}-src"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".edition-cache"))
    assert not build(Options(root=copy, out=out, theme=THEME)).failed(False)
    return out
