from edition.link import link
from edition.model import BackLink, Linked, SourceFile, Sources, Target
from edition.validate import validate

from .conftest import EVENTS_YML, PEOPLE_YML, SITE_YML, speech
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


def test_a_data_file_with_errors_is_the_one_error_its_ids_give() -> None:
    """people.yml that does not parse: one error, its own, not one per speech naming a speaker
    or linking to a person (each told to "add the person" who is there). An entry with errors of
    its own: that entry is reported, not the speeches that name it; an id it does not name still is."""
    def site(**files: str) -> list[tuple[str, str]]:
        base = {"content/site.yml": SITE_YML, "content/people.yml": PEOPLE_YML, "content/events.yml": EVENTS_YML,
                **files}
        linked = link(validate(Sources("/x", tuple(SourceFile(k, v) for k, v in base.items()), (), (), "/t")))
        return [(d.path, d.code) for d in (*linked.edition.diagnostics, *linked.diagnostics)]

    body = "::: zh\n你好。\n:::\n\n::: en\nHello, see [[person:ma-kai]] and [[event:wic-2014]].\n:::\n"
    a = speech("A", body=body, extra="event: wic-2014\n")
    ed = site(**{"content/people.yml": PEOPLE_YML.replace('en: "Ma Kai"}', 'en: "Ma Kai"'), "content/speeches/a.md": a})
    assert ed == [("content/people.yml", "yaml-syntax")]
    ed = site(**{"content/people.yml": PEOPLE_YML.replace('  name: {zh: "马凯"', '  nam: {zh: "马凯"'),
                 "content/speeches/a.md": a, "content/speeches/b.md": speech("B").replace("ma-kai", "ma-kia")})
    assert ed == [
        ("content/people.yml", "unknown-key"), ("content/speeches/b.md", "unknown-person")]
    ed = site(**{"content/events.yml": "wic-2014:\n  name: {zh: 会, en: Conference\n", "content/speeches/a.md": a})
    assert ed == [("content/events.yml", "yaml-syntax")]
    # Parsed, but not a mapping of ids (a list): its one error too.
    ed = site(**{"content/people.yml": "- ma-kai\n- li-si\n", "content/speeches/a.md": a})
    assert ed == [("content/people.yml", "type")]


def test_relinking_one_document_gives_what_linking_the_whole_edition_gives() -> None:
    """A preview's first look (link.relink): links added, removed and moved, to speeches, a
    person and the document itself, give the targets and back-links a full link would."""
    from edition.link import relink

    others = {"content__speeches__b_md": speech("B", "::: en\nSee [[a#p1]] and [[c]].\n:::\n"),
              "content__speeches__c_md": speech("C", "::: en\nOne.\n\nTwo [[a]].\n:::\n")}
    bodies = ["::: en\nOne [[b]].\n\nTwo [[c#p2]] and [[person:ma-kai]].\n:::\n",
              "::: en\nOne.\n\nTwo [[b#p1]], [[a#p1]].\n:::\n",
              "::: en\nOne.\n\nTwo.\n:::\n",
              "::: zh\n见[[c]]。\n:::\n\n::: en\nOne [[c]] [[b]].\n:::\n"]
    for old in bodies:
        for new in bodies:
            before = linked(content__speeches__a_md=speech("A", old), **others)
            after = linked(content__speeches__a_md=speech("A", new), **others)
            doc = next(s for s in after.edition.speeches if s.slug == "a")
            again = relink(before, (doc,))
            assert again is not None
            assert dict(again.targets) == dict(after.targets), (old, new)
            assert again.backlinks == after.backlinks, (old, new)
