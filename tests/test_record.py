"""Record: the keys an output read, and the digest of each key in a build's model."""

from edition.record import Inputs, Recorder

from .conftest import speech
from .test_link import linked


def test_that_an_object_exists_is_not_kept_beside_a_field_of_it() -> None:
    rec = Recorder()
    rec.start()
    for key in [("speech", "a", "exists"), ("speech", "a", "title"), ("speech", "b", "exists"),
                ("person", "p", "exists"), ("person", "p", "name"), ("event", "e", "exists"),
                ("members", "tag", "exists"), ("members", "tag", "trade"), ("back", "speech", "a")]:
        rec.note(*key)
    assert rec.stop() == (("back", "speech", "a"), ("event", "e", "exists"), ("members", "tag", "exists"),
                          ("members", "tag", "trade"), ("person", "p", "name"), ("speech", "a", "title"),
                          ("speech", "b", "exists"))


def test_a_field_of_an_object_that_is_gone_differs_from_every_value_it_could_have() -> None:
    """Which is what lets a field stand for the object's existence: a speech tagged `absent` has
    the tags `("absent",)`, which must not be what a deleted speech's tags read as."""
    both = linked(content__speeches__a_md=speech("A", extra="tags: [absent]\n"),
                  content__speeches__b_md=speech("B"))
    one = linked(content__speeches__b_md=speech("B"))
    assert [s.tags for s in both.edition.speeches if s.slug == "a"] == [("absent",)]
    key = ("speech", "a", "tags")
    assert Inputs(both, (), {}).digest(key) != Inputs(one, (), {}).digest(key)
    assert Inputs(one, (), {}).digest(key) == Inputs(one, (), {}).digest(("speech", "c", "title"))
