import json
import os
from pathlib import Path

import pytest

from edition.index import MAX_NAMED, glob, index, search_input

from .conftest import write_site


def page(lang: str, body: str) -> str:
    return (f'<!DOCTYPE html><html lang="{lang}"><head><title>t</title></head><body>'
            f"<main data-pagefind-body><h1>T</h1><p>{body}</p></main></body></html>")


def test_one_bundle_per_language_tree(tmp_path: Path) -> None:
    write_site(tmp_path, {"en/a/index.html": page("en", "rice"), "en/b/index.html": page("en", "wheat"),
                          "zh/a/index.html": page("zh-Hans", "稻米")})
    indexed, diags = index(tmp_path, ("en", "zh"))
    assert diags == [] and indexed is not None
    assert indexed.pages == (("en", 2), ("zh-hans", 1))
    assert indexed.bundle_bytes > 10_000
    for key, lang in (("en", "en"), ("zh", "zh-hans")):
        entry = json.loads((tmp_path / "pagefind" / key / "pagefind-entry.json").read_text())
        assert list(entry["languages"]) == [lang]


def test_a_failure_is_a_diagnostic(tmp_path: Path) -> None:
    indexed, diags = index(tmp_path / "missing", ("en",))
    assert indexed is None
    assert [d.code for d in diags] == ["search-index"]


def test_pagefind_reads_only_the_pages_with_a_search_body(tmp_path: Path) -> None:
    """Pagefind reads the pages the renderer named, not the list and term pages it would not index
    (here a page left out of the list, which it would index: proof that it was not read). Named
    pages outside speeches/ (a site template may give any page a body) are read too."""
    write_site(tmp_path, {"en/speeches/a/index.html": page("en", "rice"), "en/about/index.html": page("en", "wheat"),
                          "en/tags/x/index.html": page("en", "barley"),  # not named: not read
                          "zh/speeches/a/index.html": page("zh-Hans", "稻米")})
    searchable = ("en/speeches/a/index.html", "en/about/index.html", "zh/speeches/a/index.html")
    assert glob("en", searchable) == "en/{about/index.html,speeches/*/index.html}"
    assert glob("zh", searchable) == "zh/speeches/*/index.html"
    indexed, diags = index(tmp_path, ("en", "zh"), searchable)
    assert diags == [] and indexed is not None and indexed.pages == (("en", 2), ("zh-hans", 1))
    # The whole tree, as before, when the pages are not known, when none of a tree's has a body
    # (Pagefind then indexes whole pages), when a path needs escaping, or when too many are named.
    assert glob("en", None) == "en/**/*.html"
    assert glob("en", tuple(f"en/p{i}/index.html" for i in range(MAX_NAMED + 1))) == "en/**/*.html"
    assert glob("en", ("en/a{b}/index.html",)) == "en/**/*.html"
    assert glob("fr", searchable) == "fr/**/*.html"


def test_the_search_input_of_a_page_is_the_page_but_the_text_pagefind_ignores() -> None:
    zh = ('<article data-pagefind-body><div class="row" id="p1"><div class="cell" lang="zh">你好</div>'
          '<div class="cell" lang="en" data-pagefind-ignore>Hello <em id="x">you</em><div>inner</div>'
          '<sup data-pagefind-ignore><a href="#n1">1</a></sup></div></div>'
          '<section data-pagefind-ignore="all"><h2 id="h">Notes</h2></section></article>')
    edited = zh.replace("Hello <em id=\"x\">you</em>", "Hi <em id=\"x\">all</em>").replace("inner", "in")
    zh, edited = zh.encode(), edited.encode()
    assert search_input(zh) == search_input(edited)  # other text, same tags: the same search input
    assert search_input(zh.replace("你好".encode(), "您好".encode())) != search_input(zh)  # the indexed text
    assert search_input(zh.replace(b'id="x"', b'id="y"')) != search_input(zh)  # an id Pagefind may record
    assert search_input(zh.replace(b"Notes", b"Endnotes")) == search_input(zh)
    assert search_input(zh.replace(b">1</a>", b">2</a>")) == search_input(zh)  # in an ignored element in another
    # an ignored element holding what Pagefind reads all the same (a filter) is kept whole
    filtered = zh.replace(b'<em id="x">', b'<em id="x" data-pagefind-filter="tag">')
    assert search_input(filtered.replace(b"you", b"thee")) != search_input(filtered)
    assert search_input(b'<div data-pagefind-ignore>open <p>') is None  # no end: counts as changed
    # what Pagefind reads in an ignored element all the same (helper's attack, 1 December)
    for read in ('<div data-pagefind-ignore data-pagefind-filter="who">C. Translator</div>',  # its own filter
                 '<div data-pagefind-ignore><h1>Title</h1></div>',  # a page title when none is set
                 '<p id="a"><span data-pagefind-ignore>C. Translator</span></p>',  # an anchor's text
                 '<a title="the data-pagefind-ignore attribute">C. Translator</a>'):  # not an attribute
        assert search_input(read.encode()) != search_input(read.replace("C. Translator", "Title2").replace(
            "Title", "D. Translator").encode()), read
    # An ignored element's start tag written where it is not a tag (helper's attack, 1 December, second):
    # a comment, a script's string or an attribute value; the text after it is read by Pagefind.
    for fake in ('<!-- was: <div class=aligned data-pagefind-ignore> -->',
                 "<script>let s = '<div data-pagefind-ignore>';</script>",
                 '<a title="<div data-pagefind-ignore>">x</a>'):
        text = f'<div class="aligned">{fake}<div class="cell" lang="en">everyone</div></div>'
        before, after = search_input(text.encode()), search_input(text.replace("everyone", "zebras").encode())
        assert before is None or before != after, fake  # None: counts as changed
    # Where HTML's parser (Pagefind's) reads markup otherwise than a regular expression would (a
    # helper's attack, 1 December, third; each pair verified with Pagefind 1.5.2 to index differently).
    for markup in (
            "<div data-pagefind-ignore>a</DIV>{}</div>",
            "<xmp><div data-pagefind-ignore>{}</div></xmp>",
            "<noembed><div data-pagefind-ignore>{}</div></noembed>",
            "<noframes><div data-pagefind-ignore>{}</div></noframes>",
            "<plaintext><div data-pagefind-ignore>{}</div>",
            "<div data-pagefind-ignore>x<xmp><div></xmp></div>{}</div>",
            "<?x <div data-pagefind-ignore>{}</div>",
            "<!x <div data-pagefind-ignore>{}</div>",
            "</ <div data-pagefind-ignore>{}</div>",
            "<![CDATA[<div data-pagefind-ignore>]]>{}</div>",
            '<div x="1"y="<div data-pagefind-ignore>">{}</div>',
            '<div data-pagefind-ignore>x<a href=/?a=b title="<div>"></a></div>{}</div>',
            "<div\x0bdata-pagefind-ignore>{}</div>",
            '<div data-pagefind-ignore><span DATA-PAGEFIND-META="author">{}</span></div>',
            '<div data-pagefind-ignore><span Data-Pagefind-Filter="tag">{}</span></div>',
            "<div data-pagefind-ignore><section DATA-PAGEFIND-BODY>{}</section></div>",
            "<div data-pagefind-ignore><H1>{}</H1></div>",
            "<section><div data-pagefind-ignore>x</section>{}</div>"):  # closed by its parent's end tag
        wrap = '<!DOCTYPE html><html lang="en"><body><main data-pagefind-body><p>Body</p>{}</main></body></html>'
        before, after = (search_input(wrap.format(markup.format(w)).encode()) for w in ("Alpha", "Bravo"))
        assert before is None or before != after, markup
    # A tag's attribute value may hold `>`: the ignored text is told from the tags whole.
    quoted = '<div data-pagefind-ignore>old <span id="a>b" class="c">x</span></div>'
    assert search_input(quoted.encode()) != search_input(quoted.replace('class="c"', 'class="d"').encode())
    assert search_input(quoted.encode()) == search_input(quoted.replace("old", "new").encode())


def test_a_kept_bundle_has_its_scripts_compared_not_its_index_decompressed_again(tmp_path: Path) -> None:
    """A bundle a build kept (checked when it was written, its files as then) is not decompressed
    again; its scripts are still compared with the fresh bundle's (a Pagefind of another version)."""
    from edition.indexcheck import problems

    write_site(tmp_path, {"en/a/index.html": page("en", "rice"), "zh/a/index.html": page("zh-Hans", "稻米")})
    index(tmp_path, ("en", "zh"))
    en, zh = tmp_path / "pagefind" / "en", tmp_path / "pagefind" / "zh"
    fragment = next(zh.rglob("*.pf_fragment"))
    fragment.write_bytes(fragment.read_bytes()[:-4])
    assert problems([en, zh]) != [] and problems([en, zh], checked=(zh,)) == []
    script = zh / "pagefind.js"
    script.write_bytes(script.read_bytes().replace(b"export{", b"export {//"))
    assert any("pagefind.js differs" in p for p in problems([en, zh], checked=(zh,)))


def test_the_search_identity_names_the_binary_that_runs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """`python -m pagefind` runs the binary of `pagefind_bin_extended` (else `pagefind_bin`, else a
    `PAGEFIND_BINARY_PATH` or the PATH's): another one there (the one without Chinese segmentation,
    a file replaced at the same path) is another identity, so no bundle of the other is kept (a
    helper's attack, 1 December)."""
    from importlib import metadata

    from edition import index as index_module

    before = index_module.search_identity()
    real = metadata.version
    monkeypatch.setattr(index_module.metadata, "version",
                        lambda name: "0.0.1" if name == "pagefind_bin_extended" else real(name))
    assert index_module.search_identity() not in (None, before)
    monkeypatch.setattr(index_module.metadata, "version", real)
    binary = tmp_path / "pagefind_extended"
    binary.write_text("#!/bin/sh\n")
    binary.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    with_path = index_module.search_identity()
    assert with_path not in (None, before)
    binary.write_text("#!/bin/sh\nexit 0\n")  # replaced in place: another size
    assert index_module.search_identity() not in (None, before, with_path)
