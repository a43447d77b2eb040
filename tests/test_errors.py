"""Invalid sites: each error of the spec, its exact diagnostic, and the previous output untouched.

Each case starts from a valid site built once into _site/, changes files, builds again and checks
the printed headlines (path:line:col: severity[code]: message) and that _site/ is byte-identical.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import SITE_YML, base_files, run, speech, tree_digest, write_site

HEADLINE = re.compile(r"^\S.*: (error|warning)\[[a-z-]+\]: .*$", re.M)

CASES: list[tuple[str, dict[str, str | bytes], list[str], tuple[str, ...]]] = [
    ("yaml syntax in front matter",
     {"content/speeches/first.md": "---\ntitle: {en: A, zh: B\nspeaker: ma-kai\n---\n"},
     ["content/speeches/first.md:3:8: error[yaml-syntax]: invalid YAML: did not find expected ',' or '}' "
      "while parsing a flow mapping"], ()),
    ("unknown field with a suggestion",
     {"content/speeches/first.md": speech(extra="speeker: ma-kai\n")},
     ["content/speeches/first.md:8:1: error[unknown-key]: unknown field `speeker` in a speech"], ()),
    ("missing required fields",
     {"content/speeches/first.md": "---\ntitle: {en: A}\n---\n\n::: en\nHi.\n:::\n"},
     ["content/speeches/first.md:2:1: error[missing-key]: a speech needs a `date` field",
      "content/speeches/first.md:2:1: error[missing-key]: a speech needs a `original` field",
      "content/speeches/first.md:2:1: error[missing-key]: a speech needs a `speaker` field"], ()),
    ("invalid slug", {"content/speeches/Bad_Name.md": speech()},
     ["content/speeches/Bad_Name.md: error[bad-slug]: the file name `Bad_Name.md` is not a valid slug"], ()),
    ("unknown speaker and event",
     {"content/speeches/first.md": speech(extra="event: wic-2041\n").replace("speaker: ma-kai", "speaker: ma-kia")},
     ["content/speeches/first.md:5:10: error[unknown-person]: speaker `ma-kia` is not in people.yml",
      "content/speeches/first.md:8:8: error[unknown-event]: event `wic-2041` is not in events.yml"], ()),
    ("impossible date", {"content/speeches/first.md": speech().replace("2014-11-19", "2014-02-30")},
     ["content/speeches/first.md:6:7: error[bad-date]: date `2014-02-30` is not a day of the calendar"], ()),
    ("date that is not a date", {"content/speeches/first.md": speech().replace("2014-11-19", "last week")},
     ["content/speeches/first.md:6:7: error[bad-date]: date must be a date written YYYY-MM-DD, found `last week`"],
     ()),
    ("unknown language key in a mapping",
     {"content/speeches/first.md": speech(extra="summary: {en: Hi, fr: Salut}\n")},
     ["content/speeches/first.md:8:19: error[unknown-language]: `fr` in summary is not a language of the site"], ()),
    ("original not a site language", {"content/speeches/first.md": speech().replace("original: zh", "original: de")},
     ["content/speeches/first.md:7:11: error[unknown-language]: `original: de` is not a language of the site"], ()),
    ("related speech unknown", {"content/speeches/first.md": speech(extra="related: [secnd]\n")},
     ["content/speeches/first.md:8:11: error[related-unknown]: related speech `secnd` names no speech or page"], ()),
    ("text outside a section",
     {"content/speeches/first.md": speech(body="Hello.\n\n::: en\nHi.\n:::\n")},
     ["content/speeches/first.md:10:1: error[outside-section]: text outside a language section"], ()),
    ("footnote without definition",
     {"content/speeches/first.md": speech(body="::: en\nHi[^x].\n:::\n")},
     ["content/speeches/first.md:11:3: error[footnote-undefined]: footnote `[^x]` has no definition in the "
      "`en` section"], ()),
    # Under --strict a warning is fatal and printed as an error (it keeps its code).
    ("unused footnote is a warning, fatal with --strict",
     {"content/speeches/first.md": speech(body="::: en\nHi.\n\n[^x]: Note.\n:::\n")},
     ["content/speeches/first.md:13:1: error[footnote-unused]: footnote `[^x]` is defined but never referred "
      "to in the `en` section"], ("--strict",)),
    ("alignment mismatch is a warning, fatal with --strict",
     {"content/speeches/first.md": speech(body="::: zh\n一。\n\n二。\n:::\n\n::: en\nOne.\n:::\n")},
     ["content/speeches/first.md:16:1: error[alignment]: the `en` section has 1 block but the `zh` section "
      "has 2 blocks"], ("--strict",)),
    ("cross-link to an unknown slug and paragraph",
     {"content/speeches/first.md": speech(body="::: en\nSee [[frist]] and [[first#p9]].\n:::\n")},
     ["content/speeches/first.md:11:5: error[crosslink-unknown]: `[[frist]]`: the slug `frist` names no speech "
      "or page",
      "content/speeches/first.md:11:19: error[crosslink-paragraph]: `[[first#p9]]`: speech `first` has no "
      "paragraph 9; it has 1 paragraph"], ()),
    ("cross-link to an unknown person and event",
     {"content/speeches/first.md": speech(body="::: en\n[[person:nobody]], [[event:none]].\n:::\n")},
     ["content/speeches/first.md:11:1: error[crosslink-unknown]: `[[person:nobody]]`: there is no person "
      "`nobody` in people.yml",
      "content/speeches/first.md:11:20: error[crosslink-unknown]: `[[event:none]]`: there is no event `none` "
      "in events.yml"], ()),
    ("a page and a speech share a slug",
     {"content/pages/first.md": "---\ntitle: First\n---\n"},
     ["content/pages/first.md:1:1: error[slug-clash]: the page `first` has the same slug as a speech"], ()),
    ("site.yml without base_url",
     {"content/site.yml": SITE_YML.replace('base_url: "https://example.org/ed/"\n', "")},
     ["content/site.yml:1:1: error[missing-key]: site.yml needs a `base_url` field"], ()),
    ("duplicate key in people.yml",
     {"content/people.yml": "li-si:\n  name: Li Si\nli-si:\n  name: Li Si\nma-kai:\n  name: Ma Kai\n"},
     ["content/people.yml:3:1: error[duplicate-key]: `li-si` is given twice; the first is at line 1"], ()),
    ("a file that is not UTF-8", {"content/speeches/first.md": speech().encode("utf-8") + b"\xff\n"},
     ["content/speeches/first.md:17:1: error[encoding]: the file is not valid UTF-8 (byte 0xff)"], ()),
    ("no front matter", {"content/speeches/first.md": "# Title\n"},
     ["content/speeches/first.md:1:1: error[front-matter-missing]: the file does not start with front matter"],
     ()),
    ("unclosed front matter", {"content/speeches/first.md": "---\ntitle: A\n"},
     ["content/speeches/first.md:1:1: error[front-matter-unclosed]: the front matter opened here is never "
      "closed"], ()),
    ("an id that is not an id", {"content/events.yml": "WIC 2014:\n  name: WIC\n"},
     ["content/events.yml:1:1: error[bad-id]: id in events.yml `WIC 2014` is not a valid id"], ()),
]


@pytest.mark.parametrize(("name", "files", "expected", "flags"), CASES, ids=[c[0] for c in CASES])
def test_error(tmp_path: Path, name: str, files: dict[str, str | bytes], expected: list[str],
               flags: tuple[str, ...]) -> None:
    root = write_site(tmp_path / "site", base_files())
    out = tmp_path / "site" / "_site"
    code, printed = run("--root", str(root))
    assert code == 0, printed
    before = tree_digest(out)
    write_site(root, files)
    code, printed = run("--root", str(root), *flags)
    assert code == 1
    assert HEADLINE.findall(printed) and [m.group(0) for m in HEADLINE.finditer(printed)] == expected
    assert tree_digest(out) == before, "a failed build must leave the previous output untouched"


def test_diagnostic_shows_source_line_caret_and_hint(site: Path) -> None:
    write_site(site, {"content/speeches/first.md": speech(extra="speeker: ma-kai\n")})
    code, printed = run("--root", str(site))
    assert code == 1
    assert ("content/speeches/first.md:8:1: error[unknown-key]: unknown field `speeker` in a speech\n"
            "   8 | speeker: ma-kai\n"
            "       ^\n"
            "  = hint: did you mean `speaker`?\n") in printed
    assert printed.rstrip().splitlines()[-1].startswith("failed: 1 error, 0 warnings · 1 document · ")


def test_all_problems_of_a_run_are_reported_sorted(site: Path) -> None:
    write_site(site, {"content/speeches/b.md": speech(body="::: en\n[[x]]\n:::\n"),
                      "content/speeches/a.md": speech(extra="colour: red\n")})
    code, printed = run("--root", str(site))
    found = [m.group(0) for m in HEADLINE.finditer(printed)]
    assert code == 1
    assert [f.split(":")[0] for f in found] == ["content/speeches/a.md", "content/speeches/b.md"]
    assert "failed: 2 errors, 0 warnings" in printed


def test_warnings_alone_build(site: Path) -> None:
    write_site(site, {"content/speeches/first.md": speech(body="::: en\nHi.\n\n[^x]: Note.\n:::\n")})
    code, printed = run("--root", str(site))
    assert code == 0
    assert "ok: 0 errors, 1 warning" in printed
