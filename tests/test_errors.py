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
     ["content/speeches/first.md:2:8: error[yaml-syntax]: invalid YAML: the `{` opened here is not closed "
      "before line 3: expected `,` or `}`, found `speaker: ma-kai`"], ()),
    # PyYAML marks the end of the text when nothing follows the bracket; this was a traceback.
    ("a bracket opened at the very end of the front matter",
     {"content/speeches/first.md": speech(extra="tags: [\n")},
     ["content/speeches/first.md:8:7: error[yaml-syntax]: invalid YAML: the `[` opened here is not closed: "
      "expected `,` or `]`, found the end of the text"], ()),
    ("a required field written without its value",
     {"content/speeches/first.md": speech().replace("speaker: ma-kai", "speaker:")},
     ["content/speeches/first.md:5:9: error[missing-key]: `speaker` is empty: a speech needs a value for it"], ()),
    # The spec's texts are strings: `en:` with nothing after it, or only a zero-width space or
    # direction marks, is no title (both were accepted: the page showed the other language's, or nothing).
    ("a language's text left empty, or invisible",
     {"content/speeches/first.md": speech(title_en=""),
      "content/speeches/second.md": speech(title_en='"\u200b\u200e"')},
     ["content/speeches/first.md:4:6: error[empty-text]: title (en) is empty",
      "content/speeches/second.md:4:7: error[empty-text]: title (en) is empty"], ()),
    ("a cross-link in a note referred to only from another note",
     {"content/speeches/first.md": speech(body="::: en\nA[^a].\n\n[^a]: See[^b].\n\n[^b]: Inner [[nope]].\n:::\n")},
     ["content/speeches/first.md:15:13: error[crosslink-unknown]: `[[nope]]`: the slug `nope` names no speech or "
      "page"], ()),
    ("unknown field with a suggestion",
     {"content/speeches/first.md": speech(extra="speeker: ma-kai\n")},
     ["content/speeches/first.md:8:1: error[unknown-key]: unknown field `speeker` in a speech"], ()),
    ("missing required fields",
     {"content/speeches/first.md": "---\ntitle: {en: A}\n---\n\n::: en\nHi.\n:::\n"},
     ["content/speeches/first.md:2:1: error[missing-key]: a speech needs a `date` field",
      "content/speeches/first.md:2:1: error[missing-key]: a speech needs a `speaker` field",
      "content/speeches/first.md:2:1: error[missing-key]: a speech needs an `original` field"], ()),
    ("invalid slug", {"content/speeches/Bad_Name.md": speech()},
     ["content/speeches/Bad_Name.md:1:1: error[bad-slug]: the file name `Bad_Name.md` is not a valid slug"], ()),
    # The spec: "the build reports all problems of a run at once" -- a file's first error does not
    # hide its others: the body of a speech that cannot be published is still read and its links checked.
    ("a speech's own errors do not hide its body's",
     {"content/speeches/first.md": speech(body="::: en\nSee [[nope]], [[first#p1]] and {++this.\n:::\n",
                                          extra="related: [secnd]\n").replace("2014-11-19", "last week")},
     ["content/speeches/first.md:6:7: error[bad-date]: date must be a date written YYYY-MM-DD, found `last week`",
      "content/speeches/first.md:8:11: error[related-unknown]: related speech `secnd` names no speech or page",
      "content/speeches/first.md:12:5: error[crosslink-unknown]: `[[nope]]`: the slug `nope` names no speech or page",
      "content/speeches/first.md:12:32: error[mark-syntax]: the editorial mark `{++` is never closed"], ()),
    ("a speech's own errors do not hide its term base problems",
     {"content/terms.yml": "cyber-sovereignty:\n  zh: 网络主权\n  en: cyber sovereignty\n"
                           "  avoid: [network sovereignty]\n",
      "content/speeches/first.md": speech(
          body="::: zh\n尊重网络主权。\n:::\n\n::: en\nRespect network sovereignty.\n:::\n",
          extra="terms: {ignore: [cyber-soverignty]}\n").replace("2014-11-19", "2014-02-30")},
     ["content/speeches/first.md:6:7: error[bad-date]: date `2014-02-30` is not a day of the calendar",
      "content/speeches/first.md:8:18: error[term-unknown]: `terms.ignore` names `cyber-soverignty`, which is not in "
      "terms.yml",
      "content/speeches/first.md:16:1: warning[term-inconsistent]: 网络主权 is rendered \"cyber sovereignty\" in the "
      "term base; ¶1 has \"network sovereignty\""], ()),
    # An unclosed comment hid all that followed: the speech was published as a catalogue record. In
    # running text, `<!--` without its `-->` is text (shown escaped), not a comment.
    ("a comment never closed, before the sections and in one",
     {"content/speeches/first.md": speech(body="<!-- to check\n\n::: zh\n你好。\n:::\n"),
      "content/speeches/second.md": speech(body="::: zh\n你好。\n\n<!-- 待核\n\n再见。\n:::\n\n::: en\n"
                                                "Hello <!-- not a comment: text.\n:::\n")},
     ["content/speeches/first.md:10:1: error[comment-unclosed]: this HTML comment is never closed: all that "
      "follows it is hidden",
      "content/speeches/second.md:13:1: error[comment-unclosed]: this HTML comment is never closed: all that "
      "follows it is hidden"], ()),  # and 再见 with it: the blocks no longer pair, which the error explains
    ("broken front matter does not hide the body's errors",
     {"content/speeches/first.md": "---\ntitle: {en: A, zh: B\nspeaker: ma-kai\n---\n\n::: en\nSee [[nope]].\n:::\n"},
     ["content/speeches/first.md:2:8: error[yaml-syntax]: invalid YAML: the `{` opened here is not closed "
      "before line 3: expected `,` or `}`, found `speaker: ma-kai`",
      "content/speeches/first.md:7:5: error[crosslink-unknown]: `[[nope]]`: the slug `nope` names no speech or page"],
     ()),
    ("an invalid file name does not hide the file's other errors",
     {"content/speeches/Bad_Name.md": speech(body="::: en\nSee [[nope]].\n:::\n").replace("ma-kai", "nobody")},
     ["content/speeches/Bad_Name.md:1:1: error[bad-slug]: the file name `Bad_Name.md` is not a valid slug",
      "content/speeches/Bad_Name.md:5:10: error[unknown-person]: speaker `nobody` is not in people.yml",
      "content/speeches/Bad_Name.md:11:5: error[crosslink-unknown]: `[[nope]]`: the slug `nope` names no speech or "
      "page"], ()),
    ("an error in site.yml does not hide the content's",
     {"content/site.yml": SITE_YML.replace('base_url: "https://example.org/ed/"', 'base_url: "example.org/ed/"')
      + "licence: CC BY 4.0\n",
      "content/speeches/first.md": speech().replace("speaker: ma-kai", "speaker: nobody")},
     ["content/site.yml:2:11: error[bad-url]: base_url must be an absolute http(s) URL, e.g. "
      "`https://example.org/speeches/`, found `example.org/ed/`",
      "content/site.yml:6:1: error[unknown-key]: unknown field `licence` in site.yml",
      "content/speeches/first.md:5:10: error[unknown-person]: speaker `nobody` is not in people.yml"], ()),
    ("an image that is not in content/assets",
     {"content/speeches/first.md": speech(body="::: en\nSee ![the map](../assets/map.png).\n:::\n")},
     ["content/speeches/first.md:11:16: error[missing-asset]: `../assets/map.png` names content/assets/map.png, "
      "which is not there"], ()),
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
    ("a page in related:", {"content/speeches/first.md": speech(extra="related: [about]\n"),
                            "content/pages/about.md": "---\ntitle: About\n---\n"},
     ["content/speeches/first.md:8:11: error[related-unknown]: `about` is a page; `related:` lists speeches"], ()),
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
    # The link is not a typo: it names a document whose own file did not validate, and says so.
    ("a link to a document whose file has errors",
     {"content/speeches/first.md": "---\ntitle: A\n",
      "content/pages/about.md": "---\ntitle: About\n---\n\n::: en\nSee [[first]].\n:::\n"},
     ["content/pages/about.md:6:5: error[crosslink-unknown]: `[[first]]`: the slug `first` is left out of this "
      "build: content/speeches/first.md has errors of its own",
      "content/speeches/first.md:1:1: error[front-matter-unclosed]: the front matter opened here is never "
      "closed"], ()),
    ("an id that is not an id", {"content/events.yml": "WIC 2014:\n  name: WIC\n"},
     ["content/events.yml:1:1: error[bad-id]: the key `WIC 2014` in events.yml is not a valid id"], ()),
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


# ---------------------------------------------------------------- messages that teach (issue 12)
# Each mistake an editor makes, with everything `check` prints for it: headline, source line,
# caret and hint. The summary line's timing is left out.

LONG = "Dear " + "netizens and friends, " * 27 + "dear netizens[^netizens]!"

MESSAGES: list[tuple[str, dict[str, str], str, str]] = [
    ("a misspelt required field is one error, with the hint",
     {"content/speeches/first.md": speech().replace("speaker:", "speeker:")},
     "content/speeches/first.md:5:1: error[unknown-key]: unknown field `speeker` in a speech\n"
     "   5 | speeker: ma-kai\n"
     "       ^\n"
     "  = hint: did you mean `speaker`?\n",
     "failed: 1 error, 0 warnings"),
    ("a date written day.month.year, without Python type names",
     {"content/speeches/first.md": speech().replace("2014-11-19", "20.11.2014")},
     "content/speeches/first.md:6:7: error[bad-date]: date must be a date written YYYY-MM-DD, found `20.11.2014`\n"
     "   6 | date: 20.11.2014\n"
     "             ^\n"
     "  = hint: write `2014-11-20`\n",
     "failed: 1 error, 0 warnings"),
    ("a date outside its event's days",
     {"content/speeches/first.md": speech(extra="event: wic-2014\n").replace("2014-11-19", "2014-12-19")},
     "content/speeches/first.md:6:7: warning[date-outside-event]: date 2014-12-19 is outside event `wic-2014`, "
     "which runs from 2014-11-19 to 2014-11-21\n"
     "   6 | date: 2014-12-19\n"
     "             ^\n"
     "  = hint: check the date, or the event's `start` and `end` in content/events.yml\n",
     "ok: 0 errors, 1 warning"),
    ("a tab in the indentation of YAML",
     {"content/speeches/first.md": speech().replace("  zh: 讲话", "\tzh: 讲话")},
     "content/speeches/first.md:3:1: error[yaml-syntax]: invalid YAML: a tab indents this line; YAML indents "
     "with spaces only\n"
     "   3 |  zh: 讲话\n"
     "       ^\n"
     "  = hint: replace the tab with spaces (two per level, as in the lines around it)\n",
     "failed: 1 error, 0 warnings"),
    ("an undefined footnote in a 624-character line shows a window of it",
     {"content/speeches/first.md": speech(body=f"::: en\n{LONG}\n:::\n")},
     "content/speeches/first.md:11:613: error[footnote-undefined]: footnote `[^netizens]` has no definition in "
     "the `en` section\n"
     "  11 | ...s, netizens and friends, netizens and friends, netizens and friends, dear netizens[^netizens]!\n"
     "                                                                                            ^\n"
     "  = hint: add a line `[^netizens]: …` inside this section; each section has its own notes\n",
     "failed: 1 error, 0 warnings"),
    ("a footnote defined under a near-miss label",
     {"content/speeches/first.md": speech(body="::: en\nDear netizens[^ma].\n\n[^m]: Ma Kai's word.\n:::\n")},
     "content/speeches/first.md:11:14: error[footnote-undefined]: footnote `[^ma]` has no definition in the `en` "
     "section\n"
     "  11 | Dear netizens[^ma].\n"
     "                    ^\n"
     "  = hint: did you mean `[^m]`? it is defined at line 13 and never referred to\n"
     "\n"
     "content/speeches/first.md:13:1: warning[footnote-unused]: footnote `[^m]` is defined but never referred to "
     "in the `en` section\n"
     "  13 | [^m]: Ma Kai's word.\n"
     "       ^\n"
     "  = hint: did you mean `[^ma]`? it is referred to at line 11 and has no definition\n",
     "failed: 1 error, 1 warning"),
    ("a section fence without its space",
     {"content/speeches/first.md": speech(body=":::zh\n你好。\n\n再见。\n:::\n")},
     "content/speeches/first.md:10:1: error[section-fence]: `:::zh` needs a space after the colons\n"
     "  10 | :::zh\n"
     "       ^\n"
     "  = hint: write `::: zh`\n",
     "failed: 1 error, 0 warnings"),
    ("another name of a language, in the front matter and on a fence",
     {"content/speeches/first.md": speech(body="::: cn\n你好。\n:::\n").replace("original: zh", "original: cn")},
     "content/speeches/first.md:7:11: error[unknown-language]: `original: cn` is not a language of the site\n"
     "   7 | original: cn\n"
     "                 ^\n"
     "  = hint: did you mean `zh`?\n"
     "\n"
     "content/speeches/first.md:10:5: error[section-language]: `cn` is not a language of the site\n"
     "  10 | ::: cn\n"
     "           ^\n"
     "  = hint: did you mean `zh`?\n",
     "failed: 2 errors, 0 warnings"),
    ("unclosed editorial marks",
     {"content/speeches/first.md": speech(body="::: en\nDear {~~frends~>friends~} and {++all+}.\n:::\n")},
     "content/speeches/first.md:11:6: error[mark-syntax]: the editorial mark `{~~` is never closed\n"
     "  11 | Dear {~~frends~>friends~} and {++all+}.\n"
     "            ^\n"
     "  = hint: close it with `~~}`, as in `{~~source~>correction~~}` (or write `\\{` for a brace)\n"
     "\n"
     "content/speeches/first.md:11:31: error[mark-syntax]: the editorial mark `{++` is never closed\n"
     "  11 | Dear {~~frends~>friends~} and {++all+}.\n"
     "                                     ^\n"
     "  = hint: close it with `++}`, as in `{++supplied++}` (or write `\\{` for a brace)\n",
     "failed: 2 errors, 0 warnings"),
    ("a typo in a template is one error per template place, with the pages it broke",
     {"content/speeches/second.md": speech("Second"),
      "templates/speech.html": "{% extends 'base.html' %}\n{% block main %}\n<h1>{{ doc.titel }}</h1>\n"
                               "{% endblock %}\n"},
     "templates/speech.html:3: error[template]: a speech has no attribute `titel` (in 4 pages, e.g. "
     "`en/speeches/second/index.html`)\n"
     "   3 | <h1>{{ doc.titel }}</h1>\n"
     "  = hint: did you mean `title`?\n",
     "failed: 1 error, 0 warnings"),
    ("a site template written for an earlier version calls a view helper that moved",
     {"templates/tags.html": "{% extends 'base.html' %}\n{% block main %}\n"
                             "{% for id, name, n in v.tags %}{{ name }}{% endfor %}\n{% endblock %}\n"},
     "templates/tags.html:3: error[template]: the view has no attribute `tags` (in 2 pages, e.g. "
     "`en/tags/index.html`)\n"
     "   3 | {% for id, name, n in v.tags %}{{ name }}{% endfor %}\n"
     "  = hint: the view's helpers are grouped now: `v.tags` is `v.browse.tags` (README: Templates)\n",
     "failed: 1 error, 0 warnings"),
    ("an unknown name in a view call is a template diagnostic, not a traceback",
     {"templates/home.html": "{% extends 'base.html' %}\n{% block main %}\n"
                             "<a href=\"{{ v.url('speach', 'first') }}\">First</a>\n{% endblock %}\n"},
     "templates/home.html:3: error[template]: a call on this line failed: `speach` is not a known name (in 2 "
     "pages, e.g. `en/index.html`)\n"
     "   3 | <a href=\"{{ v.url('speach', 'first') }}\">First</a>\n"
     "  = hint: did you mean `speech`?\n",
     "failed: 1 error, 0 warnings"),
]


@pytest.mark.parametrize(("name", "files", "expected", "summary"), MESSAGES, ids=[c[0] for c in MESSAGES])
def test_message(site: Path, name: str, files: dict[str, str], expected: str, summary: str) -> None:
    write_site(site, files)
    code, printed = run("check", "-q", "--root", str(site))
    problems, _, last = printed.rstrip("\n").rpartition("\n\n")
    assert problems + "\n" == expected
    assert last.startswith(summary + " · ")
    assert code == (1 if summary.startswith("failed") else 0)


@pytest.mark.parametrize(("template", "expected"), [
    ("{{ 1 / 0 }}", "templates/robots.txt:2: error[template]: a call on this line failed: division by zero "
                    "(in `robots.txt`)"),
    ("{{ v.url() }}", "templates/robots.txt:2: error[template]: a call on this line failed: View.url() missing 1 "
                      "required positional argument: 'kind' (in `robots.txt`)"),
    ("{% include 'nothing.html' %}", "templates/robots.txt:2: error[template]: there is no template "
                                     "`nothing.html` (in `robots.txt`)"),
    ("{{ nothing }}", "templates/robots.txt:2: error[template]: `nothing` is undefined (in `robots.txt`)"),
    ("{{ v.ui.nothing }}", "templates/robots.txt:2: error[template]: a mapping has no attribute `nothing` "
                           "(in `robots.txt`)"),
    ("{% if %}", "templates/robots.txt:2: error[template]: Expected an expression, got 'end of statement block'"
                 " (in `robots.txt`)"),
])
def test_no_exception_of_a_template_or_a_view_escapes(site: Path, template: str, expected: str) -> None:
    write_site(site, {"templates/robots.txt": f"User-agent: *\n{template}\n"})
    code, printed = run("check", "-q", "--root", str(site))
    assert code == 1 and "Traceback" not in printed
    assert [m.group(0) for m in HEADLINE.finditer(printed)] == [expected]
