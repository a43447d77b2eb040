"""A preview's first look (firstlook.py): a saved speech's own pages, written before the rebuild,
are the pages the rebuild makes; a save it cannot show alone writes nothing; and the rebuild after
it leaves the folder as a clean build would, whatever the first look wrote."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest

from edition.firstlook import Looker, shown
from edition.pipeline import Options, Result, build
from edition.serve import look_without_collector
from edition.views import View

from .conftest import THEME, tree_digest

CLOSING = "content/speeches/2020-05-03-closing.md"
PAGES = ("en/speeches/2020-05-03-closing/index.html", "zh/speeches/2020-05-03-closing/index.html")


@pytest.fixture
def site(golden_copy: Path) -> Path:
    return golden_copy


def options(root: Path, out: Path) -> Options:
    return Options(root=root, out=out, theme=THEME, search="later")


def first_build(root: Path) -> Result:
    result = build(options(root, root / "_site"))
    assert not result.failed(False), result.diagnostics
    return result


def clean(root: Path, tmp_path: Path) -> dict[str, str]:
    out = tmp_path / "clean"
    shutil.rmtree(out, ignore_errors=True)
    assert not build(options(root, out)).failed(False)
    return {k: v for k, v in tree_digest(out).items() if not k.startswith("pagefind/")}


def folder(root: Path) -> dict[str, str]:
    return {k: v for k, v in tree_digest(root / "_site").items() if not k.startswith("pagefind/")}


def edit(root: Path, old: str, new: str, path: str = CLOSING) -> None:
    p = root / path
    text = p.read_text(encoding="utf-8")
    assert old in text
    p.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("change", [
    pytest.param(("谢谢大家。", "谢谢各位朋友。"), id="text"),
    pytest.param(("正如[[2020-05-01-opening]]所说", "正如[[2020-05-01-opening#p2]]所说"), id="a-link"),
    pytest.param(("en: Closing Remarks}", "en: Closing Words}"), id="title"),
])
def test_the_first_look_writes_the_pages_the_rebuild_makes(site: Path, tmp_path: Path,
                                                           change: tuple[str, str]) -> None:
    good = first_build(site)
    edit(site, *change)
    before = folder(site)
    pages = Looker(options(site, site / "_site")).look(good, {str(site / CLOSING)})
    assert pages is not None and tuple(p for p, _ in pages) == PAGES
    after = folder(site)
    assert sorted(k for k in after if after[k] != before.get(k)) == list(PAGES)  # those pages, nothing else
    expected = clean(site, tmp_path)
    assert {p: after[p] for p in PAGES} == {p: expected[p] for p in PAGES}
    # the rebuild that follows completes the folder
    assert not build(options(site, site / "_site"), shown(good, pages)).failed(False)
    assert folder(site) == expected


@pytest.mark.parametrize("change", [
    pytest.param(("date: 2020-05-03", "date: 2020-05-04", CLOSING), id="its-date"),  # its place in every list
    pytest.param(("event: forum-2020", "event: forum-2021", CLOSING), id="an-error"),  # unknown event
    pytest.param(("正如[[2020-05-01-opening]]", "正如[[2020-05-01-openin]]", CLOSING), id="a-broken-link"),
    pytest.param(("speaker: [li-si, zhang-san]", "speaker: [li-si]", CLOSING), id="related-reading-fields"),
    pytest.param(("name:", "name:", "content/people.yml"), id="a-data-file"),
])
def test_a_save_a_first_look_cannot_show_alone_writes_nothing(site: Path, change: tuple[str, str, str]) -> None:
    good = first_build(site)
    old, new, path = change
    edit(site, old, new, path)
    before = folder(site)
    assert Looker(options(site, site / "_site")).look(good, {str(site / path)}) is None
    assert folder(site) == before


def test_a_new_document_is_left_to_the_rebuild(site: Path) -> None:
    good = first_build(site)
    made = site / "content/speeches/2020-05-04-new.md"
    shutil.copy(site / CLOSING, made)
    before = folder(site)
    assert Looker(options(site, site / "_site")).look(good, {str(made)}) is None
    assert folder(site) == before


def test_a_page_first_looked_at_is_made_again_when_the_text_goes_back(site: Path, tmp_path: Path) -> None:
    """The first look writes a page the last build's record does not know; `shown` puts it in
    that record, or a rebuild whose page equals the recorded one would leave the first look's."""
    good = first_build(site)
    edit(site, "谢谢大家。", "谢谢各位朋友。")
    pages = Looker(options(site, site / "_site")).look(good, {str(site / CLOSING)})
    assert pages is not None
    edit(site, "谢谢各位朋友。", "谢谢大家。")  # undone before the rebuild ran
    assert not build(options(site, site / "_site"), shown(good, pages)).failed(False)
    assert folder(site) == clean(site, tmp_path)


def test_a_first_look_pauses_the_cycle_collector_and_restores_it(site: Path) -> None:
    """serve.py's first looks run without the collector's passes (look_without_collector), and leave
    it as they found it, also when the look raises."""
    good = first_build(site)
    seen: list[bool] = []

    class Probe(Looker):
        def look(self, good: Result, saved: object) -> tuple[tuple[str, str], ...] | None:
            seen.append(gc.isenabled())
            if saved == {"raise"}:
                raise RuntimeError("a look that fails")
            return super().look(good, saved)  # type: ignore[arg-type]

    probe = Probe(options(site, site / "_site"))
    edit(site, "谢谢大家。", "谢谢各位朋友。")
    assert gc.isenabled()
    pages = look_without_collector(probe, good, {str(site / CLOSING)})
    assert pages is not None and {p for p, _ in pages} == set(PAGES)
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        look_without_collector(probe, good, {"raise"})
    assert gc.isenabled()
    gc.disable()
    try:  # a collector paused by the caller stays paused
        look_without_collector(probe, good, {str(site / CLOSING)})
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert seen == [False, False, False]


def test_the_views_of_the_language_trees_share_their_link_look_ups(site: Path) -> None:
    good = first_build(site)
    assert good.linked is not None
    views = View.all_of(good.linked, ("en", "zh"))
    assert views["en"]._targets is views["zh"]._targets and views["en"]._back is views["zh"]._back
    assert views["en"]._targets == dict(good.linked.targets) and views["zh"]._back == dict(good.linked.backlinks)
    assert views["zh"].key == "zh" and views["en"].rec is views["zh"].rec


def test_what_the_language_trees_share_reads_no_language(site: Path) -> None:
    """Each `memo.shared` value (made once for both trees) is the same made from either tree alone,
    and is made once for the two views `View.all_of` gives; a value that depends on the language
    (the interface strings) is each view's own."""
    from edition.browse import Browse
    from edition.citeview import Citing
    from edition.memo import shared
    from edition.termview import TermBase

    good = first_build(site)
    assert good.linked is not None
    found = [(part, name) for part, cls in (("", View), ("browse", Browse), ("cite", Citing), ("termbase", TermBase))
             for name, value in vars(cls).items() if isinstance(value, shared)]
    assert len(found) >= 10

    def value(view: View, part: str, name: str) -> object:
        return getattr(getattr(view, part) if part else view, name)

    alone = {key: View.of(good.linked, key) for key in ("en", "zh")}
    views = View.all_of(good.linked, ("en", "zh"))
    for part, name in found:
        assert value(alone["en"], part, name) == value(alone["zh"], part, name), name
        assert value(views["en"].at("en/speeches/"), part, name) is value(views["zh"], part, name), name
    assert views["en"].ui != views["zh"].ui
