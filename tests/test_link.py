from edition.link import link
from edition.model import BackLink, Linked, Target
from edition.validate import validate

from .conftest import speech
from .test_validate import sources


def linked(**files: str) -> Linked:
    return link(validate(sources(**files)))


def test_targets_and_backlinks_with_paragraphs() -> None:
    lk = linked(content__speeches__a_md=speech("A", "::: en\nOne.\n\nSee [[b#p1]], [[b]] and [[person:ma-kai]].\n:::\n",
                                               "related: [b]\n"),
                content__speeches__b_md=speech("B"))
    targets = dict(lk.targets)
    assert targets[("content/speeches/a.md", "en", 0)] == Target("speech", "b", 1)
    assert targets[("content/speeches/a.md", "en", 1)] == Target("speech", "b", None)
    assert targets[("content/speeches/a.md", "en", 2)] == Target("person", "ma-kai", None)
    back = dict(lk.backlinks)
    assert back[("speech", "b")] == (BackLink("speech", "a", None, "related"), BackLink("speech", "a", 2, "link"))
    assert back[("person", "ma-kai")] == (BackLink("speech", "a", 2, "link"),)
    assert lk.diagnostics == ()


def test_a_document_citing_itself_is_not_its_own_backlink() -> None:
    lk = linked(content__speeches__a_md=speech("A", "::: en\nOne.\n\nSee [[a#p1]].\n:::\n"))
    assert dict(lk.backlinks) == {}


def test_a_link_to_a_draft_says_so() -> None:
    lk = linked(content__speeches__a_md=speech("A", "::: en\n[[d]]\n:::\n"),
                content__speeches__d_md=speech("D", extra="draft: true\n"))
    assert [d.message for d in lk.diagnostics] == ["`[[d]]`: the slug `d` is a draft, left out of this build"]


def test_related_to_itself() -> None:
    lk = linked(content__speeches__a_md=speech("A", extra="related: [a]\n"))
    assert [d.code for d in lk.diagnostics] == ["related-self"]
