"""Hostile and broken input, second round (an attack on the finished generator): each case fails
closed, with a diagnostic and exit 1 and never a traceback, a hang or a write outside the output
folder; where the input is legitimate, it builds as written."""

from __future__ import annotations

import csv
import io
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from edition.cli import main
from edition.diagnostics import format_diagnostic, source_lines
from edition.markdown import parse_body
from edition.yamlpos import parse

from .conftest import THEME, base_files, run, speech, write_site
from .siterepo import commit, edit, git, new_repo


def test_text_cannot_forge_the_renderers_markers(tmp_path: Path) -> None:
    # Private-use characters and character references are text like any other: the renderer's own
    # markers (a cross-link's place, an asset's path) are characters no source can hold.
    body = ("::: zh\n你好\ue0005\ue001，`\ue0000\ue001`。\n:::\n\n"
            "::: en\nHello \ue002assets/x\ue003 and &#x2;0&#x3; and &#xE000;0&#xE001;.\n:::\n")
    root = write_site(tmp_path / "site", {**base_files(), "content/speeches/first.md": speech(body=body)})
    code, printed = run("--root", str(root))
    assert code == 0 and "Traceback" not in printed, printed
    page = (root / "_site/en/speeches/first/index.html").read_text()
    assert "Hello \ue002assets/x\ue003 and &amp;#x2;0&amp;#x3; and \ue0000\ue001." in page
    assert "你好\ue0005\ue001，<code>\ue0000\ue001</code>。" in page


def test_symbolic_link_loops_are_errors_naming_the_link(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", base_files())
    (root / "content/speeches/loop.md").symlink_to("loop.md")
    (root / "content/speeches/a.md").symlink_to("b.md")
    (root / "content/speeches/b.md").symlink_to("a.md")
    (root / "templates").mkdir()
    (root / "templates/round.html").symlink_to("round.html")
    code, printed = run("check", "--root", str(root))
    assert code == 1 and "Traceback" not in printed, printed
    loop = "error[symlink-broken]: this symbolic link leads round in a loop (to itself, through other links)"
    assert [line for line in printed.splitlines() if "symlink-broken" in line] == [
        f"content/speeches/{name}: {loop}" for name in ("a.md", "b.md", "loop.md")] + [f"templates/round.html: {loop}"]


def test_file_names_that_are_not_utf8_are_errors(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", base_files())
    for folder, ext in (("content/speeches", ".md"), ("content/assets", ".png"), ("theme", ".css"),
                        ("templates", ".html")):
        (root / folder).mkdir(parents=True, exist_ok=True)
        (root / folder / os.fsdecode(b"bad\xff" + ext.encode())).write_text("x")
    code, printed = run("--root", str(root))
    assert code == 1 and "Traceback" not in printed, printed
    assert sorted(line for line in printed.splitlines() if "error[encoding]" in line) == [
        f"{folder}/bad\\xff{ext}: error[encoding]: the file name is not valid UTF-8"
        for folder, ext in (("content/assets", ".png"), ("content/speeches", ".md"), ("templates", ".html"),
                            ("theme", ".css"))]
    assert not (root / "_site").exists()


def test_folders_and_files_that_cannot_be_read_are_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Made unreadable in the file system's stead: the tests may run as root, whom permissions do not stop.
    root = write_site(tmp_path / "site", {**base_files(), "content/assets/sub/a.png": "x", "content/assets/b.png": "y"})
    iterdir, access = Path.iterdir, os.access

    def refusing_iterdir(self: Path) -> Iterator[Path]:
        if self.name in ("pages", "sub"):
            raise PermissionError(13, "Permission denied")
        return iterdir(self)

    monkeypatch.setattr(Path, "iterdir", refusing_iterdir)
    monkeypatch.setattr(os, "access", lambda p, mode: Path(p).name != "b.png" and access(p, mode))
    (root / "content/pages").mkdir()
    code, printed = run("check", "--root", str(root))
    assert code == 1 and "Traceback" not in printed, printed
    assert [line for line in printed.splitlines() if "error[" in line] == [
        "content/assets/b.png: error[file-unreadable]: the file cannot be read: Permission denied",
        "content/assets/sub: error[file-unreadable]: the folder cannot be read: Permission denied",
        "content/pages: error[file-unreadable]: the folder cannot be read: Permission denied"]


def test_a_cache_folder_that_is_a_link_is_not_followed(tmp_path: Path) -> None:
    # A repository can carry a symbolic link named .edition-cache: the cache's writes and deletions
    # would then happen wherever it leads.
    victim = tmp_path / "victim"
    for rel in ("docs/ab/keepme", "derived/precious.txt", "outputs/x.done"):
        (victim / rel).parent.mkdir(parents=True, exist_ok=True)
        (victim / rel).write_text("mine")
    before = sorted(p.relative_to(victim).as_posix() for p in victim.rglob("*"))
    root = write_site(tmp_path / "site", base_files())
    (root / ".edition-cache").symlink_to(victim)
    for _ in range(2):
        code, printed = run("--root", str(root))
        assert code == 0 and "Traceback" not in printed, printed
    assert sorted(p.relative_to(victim).as_posix() for p in victim.rglob("*")) == before
    assert (root / "_site/en/index.html").is_file()
    code, printed = run("clean", "--root", str(root))
    assert code == 0 and not (root / ".edition-cache").exists() and (victim / "derived/precious.txt").is_file()


def test_a_cache_entry_that_is_a_named_pipe_or_a_folder_is_not_read(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", base_files())
    assert run("--root", str(root))[0] == 0
    cache = root / ".edition-cache"
    entries = [p for p in (*cache.glob("outputs/*"), *cache.glob("docs/*/*")) if p.is_file()]
    assert entries
    for i, p in enumerate(entries):
        p.unlink()
        if i % 2:
            os.mkfifo(p)  # opened for reading, it would wait for a writer forever
        else:
            p.mkdir()
    (cache / "derived" / "stray").mkdir(parents=True)
    (root / "content/speeches/first.md").write_text(speech("Changed"))
    code, printed = run("--root", str(root))
    assert code == 0 and "Traceback" not in printed, printed
    assert "Changed" in (root / "_site/en/speeches/first/index.html").read_text()


def test_folders_beside_the_output_that_the_writer_did_not_make_are_left_alone(tmp_path: Path) -> None:
    # Named like the writer's temporary folders, but not made by it (no marker inside): kept, and
    # never put in the place of a missing output.
    root = write_site(tmp_path / "site", base_files())
    mine = {name: root / name for name in ("._site.old-photos", "._site.new-x", "._site.index-99999999-x")}
    for p in mine.values():
        (p / "album").mkdir(parents=True)
        (p / "album" / "a.jpg").write_text("photo")
    code, printed = run("--root", str(root))
    assert code == 0, printed
    assert all((p / "album" / "a.jpg").read_text() == "photo" for p in mine.values())
    assert (root / "_site/en/index.html").is_file()


def test_an_output_folder_that_is_a_symbolic_link_is_refused(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", base_files())
    (root / "_site").symlink_to(tmp_path / "elsewhere" / "new")  # leads nowhere yet: it would be made
    code, printed = run("--root", str(root))
    assert code == 1 and "Traceback" not in printed, printed
    assert f"error[output-refused]: {root / '_site'} is a symbolic link (to {tmp_path / 'elsewhere' / 'new'})" \
        in printed
    assert not (tmp_path / "elsewhere").exists()


def test_a_long_text_repeated_by_aliases_is_refused() -> None:
    # 70 KB of YAML that expands to 250 MB: few values, but each of them long.
    text = 'license: &b "' + "x" * 50_000 + '"\neditors: [' + ", ".join(["*b"] * 5000) + "]\n"
    started = time.monotonic()
    node, diags = parse(text, "content/site.yml")
    assert node is None and time.monotonic() - started < 5
    assert [d.headline() for d in diags] == [
        "content/site.yml:2:91: error[yaml-alias]: the aliases expand to more than 1,000,000 characters"]


def _grows_linearly(cost: Callable[[int], float], n: int) -> None:
    """4x the input costs well under the 16x of a quadratic algorithm (best of three each, in one
    run: the machine's load does not decide)."""
    small = min(cost(n) for _ in range(3))
    large = min(cost(4 * n) for _ in range(3))
    assert large < 8 * small, (small, large)


def _timed(make: Callable[[], object]) -> float:
    """The CPU time of this process, not the wall clock: the suite's killed builds run beside this
    test on the other worker, and a wall-clock ratio under that load once came to 8.4 (0.032 s
    against 0.271 s) for an algorithm that gives 3.6-4.7 on a quiet machine."""
    started = time.process_time()
    make()
    return time.process_time() - started


def test_a_section_of_very_many_blocks_is_read_in_linear_time() -> None:
    # Each block's position counted the line breaks before it: 300,000 blocks took 108 s.
    head = "::: zh\n"

    def cost(n: int) -> float:
        return _timed(lambda: parse_body(head + "a\n\n" * n + ":::\n", "x.md", 8, ("zh", "en"), False))
    _grows_linearly(cost, 5000)


def test_thousands_of_problems_in_a_file_are_reported_in_linear_time() -> None:
    # Each diagnostic split the whole file again, and each missing note was compared with every
    # unused one for a near miss: 600 KB of broken marks took minutes, 10,000 notes 63 s.
    def cost(n: int) -> float:
        body = ("::: zh\n" + "{++a\n" * n + "".join(f"x[^r{i}]\n\n" for i in range(n))
                + "".join(f"[^d{i}]: y\n\n" for i in range(n)) + ":::\n")
        text = "---\n" * 2 + body

        def report() -> None:
            _, diags = parse_body(body, "x.md", 3, ("zh", "en"), False)
            lines = source_lines({"x.md": text}, diags)
            assert len(diags) >= 3 * n
            for d in diags:
                format_diagnostic(d, lines)
        return _timed(report)
    _grows_linearly(cost, 500)


def test_a_cross_link_inside_an_image_or_a_link_is_its_label_alone(tmp_path: Path) -> None:
    # Filled in as a link, it broke out of the alt attribute (`alt="x <a class="xref" href=…`), and
    # a link inside a link is no HTML.
    body = ("::: zh\n![图 [[person:ma-kai]] 说](http://x.example/i.png) [见 [[second]]](http://x.example/)\n:::\n\n"
            "::: en\n![A \"quoted\" [[second#p1]]](http://x.example/i.png) [see [[person:ma-kai|him]]](http://x.example/)\n"
            ":::\n")
    root = write_site(tmp_path / "site", {**base_files(), "content/speeches/first.md": speech(body=body),
                                          "content/speeches/second.md": speech("Second")})
    code, printed = run("--root", str(root))
    assert code == 0 and "Traceback" not in printed, printed
    page = (root / "_site/en/speeches/first/index.html").read_text()
    assert '<img src="http://x.example/i.png" alt="图 Ma Kai 说">' in page
    assert '<a href="http://x.example/">见 《Second》</a>' in page
    assert '<img src="http://x.example/i.png" alt="A &quot;quoted&quot; Second, ¶1">' in page
    assert '<a href="http://x.example/">see him</a>' in page
    tei = (root / "_site/exports/speeches/first/first.tei.xml").read_text()
    assert "<figDesc>A \"quoted\" Second, ¶1</figDesc>" in tei
    assert "<ref target=\"http://x.example/\">see him</ref>" in tei
    assert "\x04" not in page and "\x04" not in tei


def test_the_term_base_csv_guards_cells_a_spreadsheet_would_run(tmp_path: Path) -> None:
    terms = ('hyperlink:\n  zh: "=HYPERLINK(\\"http://evil.example/\\",\\"x\\")"\n  en: "@SUM(1+1)"\n'
             '  variants: ["+cmd|\' /C calc\'!A0"]\n  note: {en: "-2+3", zh: "=1+1"}\n')
    root = write_site(tmp_path / "site", {**base_files(), "content/terms.yml": terms})
    code, printed = run("--root", str(root))
    assert code == 0, printed
    rows = list(csv.reader(io.StringIO((root / "_site/exports/terms.csv").read_text(encoding="utf-8-sig"))))
    assert rows[1] == ["hyperlink", "'@SUM(1+1)", "'=HYPERLINK(\"http://evil.example/\",\"x\")",
                       "'+cmd|' /C calc'!A0", "", "'-2+3", "'=1+1"]


def test_a_language_key_may_not_be_a_name_the_generator_writes(tmp_path: Path) -> None:
    # Its tree would have been merged into /theme/, /exports/ or /assets/ (an asset index.html
    # replacing its home page), or failed as a broken search bundle.
    root = write_site(tmp_path / "site", base_files())
    site = (root / "content/site.yml").read_text()
    for key in ("theme", "pagefind"):
        (root / "content/site.yml").write_text(site.replace("  en:", f"  {key}:").replace("{en:", f"{{{key}:"))
        code, printed = run("check", "--root", str(root))
        assert code == 1 and "Traceback" not in printed, printed
        assert f"error[reserved-slug]: the language key `{key}` is the name of one of the edition's own folders" \
            in printed


def test_new_refuses_a_title_that_is_not_utf8_and_writes_nothing(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", base_files())
    title = os.fsdecode(b"en=bad\xff")  # what Python makes of such bytes on the command line
    code, printed = run("new", "--root", str(root), "--title", title, "--speaker", "ma-kai", "--date", "2020-01-12",
                        "--original", "en")
    assert code == 1 and "Traceback" not in printed, printed
    assert "new: error: --title en=…: the title is not valid UTF-8" in printed
    assert sorted(p.name for p in (root / "content/speeches").iterdir()) == ["first.md"]


def test_a_base_commit_with_a_line_break_in_a_file_name_is_read(tmp_path: Path) -> None:
    # `git cat-file --batch` takes one name a line: the answers fell out of step (a traceback).
    repo = new_repo(tmp_path / "site", {"one": speech("One"), "two": speech("Two")})
    (repo / "content/speeches/a\nx y.md").write_text(speech("Odd"), encoding="utf-8")
    commit(repo, "Two speeches and an odd name", "2021-01-01T10:00:00")
    (repo / "content/speeches/a\nx y.md").unlink()
    edit(repo / "content/speeches/two.md", "Hello.\n", "Hello again.\n")
    summary = tmp_path / "summary.md"
    code, printed = run("check", "--root", str(repo), "--summary", str(summary), "--base", "HEAD")
    assert code == 0 and "Traceback" not in printed, printed
    assert "speeches 0 added, 1 changed, 0 removed" in summary.read_text(encoding="utf-8")


def test_serve_refuses_a_port_out_of_range(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 70000 was announced, then served on 70000 - 65536 with every request refused.
    root = write_site(tmp_path / "site", base_files())
    for port in ("70000", "0", "http"):
        with pytest.raises(SystemExit) as e:
            main(["serve", "--root", str(root), "--port", port])
        assert e.value.code == 1
        assert f"argument --port: `{port}` is not a port: give a number from 1 to 65535" in capsys.readouterr().err


def test_a_base_url_with_a_port_out_of_range_is_refused(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", base_files())
    site = (root / "content/site.yml").read_text()
    (root / "content/site.yml").write_text(site.replace("https://example.org/ed/", "https://example.org:99999/ed/"))
    code, printed = run("check", "--root", str(root))
    assert code == 1 and "has the port 99999; a port is a number from 1 to 65535" in printed, printed


def test_a_link_to_the_site_root_is_refused(tmp_path: Path) -> None:
    # Walked as assets, it published _site and .edition-cache inside _site: the output grew each build.
    root = write_site(tmp_path / "site", base_files())
    (root / "content/assets").mkdir()
    (root / "content/assets/all").symlink_to("../..")
    code, printed = run("--root", str(root))
    assert code == 1 and "Traceback" not in printed, printed
    assert "content/assets/all: error[symlink-outside]: this symbolic link points to the site's root folder, " \
        "which holds the output and the build cache (to `../..`); it is not read" in printed


def test_an_id_with_a_final_line_break_is_not_an_id(tmp_path: Path) -> None:
    # `^…$` let "evil\n" through: folders and exports were written with a line break in their names.
    root = write_site(tmp_path / "site", {**base_files(), "content/tags.yml": '"tagnl\\n": {en: T, zh: T}\n'})
    code, printed = run("check", "--root", str(root))
    assert code == 1 and "content/tags.yml:1:1: error[bad-id]: the key `tagnl\\x0a` in tags.yml is not a valid id" \
        in printed, printed


def test_numbers_of_thousands_of_digits_are_diagnostics(tmp_path: Path) -> None:
    # Python refuses to write an int of more than 4,300 digits: two tracebacks.
    body = "::: en\nSee [[first#p1" + "0" * 5000 + "]].\n:::\n"
    root = write_site(tmp_path / "site", {**base_files(), "content/speeches/first.md": speech(
        body=body, extra="draft: 0x" + "f" * 4000 + "\n")})
    code, printed = run("check", "--root", str(root))
    assert code == 1 and "Traceback" not in printed, printed
    assert "error[type]: draft must be `true` or `false`, found the number " \
        "`0xffffffffffffffffffffffffffffffffffffff…`" in printed
    assert "error[crosslink-syntax]: `[[first#p1000000000000000000000000000000…`: paragraph 100000000000… is " \
        "beyond any speech" in printed


def test_commit_subjects_and_dates_are_read_whatever_they_hold(tmp_path: Path) -> None:
    # The log's own separators in a subject put it out of step (a traceback, or a forged revision);
    # a commit of year 10000 is no date Python holds.
    repo = new_repo(tmp_path / "site", {"first": speech("First")})
    commit(repo, "evil\x1ecafe\x1fh\x1f2099-01-01\x1fforged", "2021-01-01T10:00:00")
    edit(repo / "content/speeches/first.md", "Hello.\n", "Hello again.\n")
    commit(repo, "from the future", "@253402300800 +0000")
    code, printed = run("--root", str(repo))
    assert code == 0 and "Traceback" not in printed, printed
    page = (repo / "_site/en/speeches/first/index.html").read_text()
    assert "evil cafe h 2099-01-01 forged" in page and "from the future" not in page  # separators are spaces


def test_unclosed_comments_backticks_and_marks_are_read_in_linear_time() -> None:
    # A lazy regex retried from each unclosed `<!--` or backtick run, and each open mark searching
    # (and keeping) the rest of its line: minutes, or memory exhausted.
    def cost(n: int) -> float:
        body = "::: en\n" + "x <!-- " * n + "`" * 50 + " ".join("`" * (k % 40 + 1) for k in range(n)) \
            + " {++ " * n + "\n:::\n"
        return _timed(lambda: parse_body(body, "x.md", 8, ("en", "zh"), False))
    _grows_linearly(cost, 3000)


def test_a_cache_that_came_with_the_repository_is_not_read(tmp_path: Path) -> None:
    # Its entries can be forged from public data (the code, the sources): a committed one put a
    # script on the pages that no source held.
    from edition.cache import Cache

    repo = new_repo(tmp_path / "site", {"first": speech("First")})
    commit(repo, "First", "2021-01-01T10:00:00")
    assert run("--root", str(repo))[0] == 0
    assert Cache.open(repo, THEME).disk
    git(repo, "add", "-f", ".edition-cache")
    commit(repo, "The cache too", "2021-01-02T10:00:00")
    assert not Cache.open(repo, THEME).disk
    code, printed = run("--root", str(repo))
    assert code == 0, printed


def test_robots_txt_is_plain_text(tmp_path: Path) -> None:
    # Rendered with HTML escaping, it said `Sitemap: https://x.org/a&#39;b&amp;c=d/sitemap.xml`.
    root = write_site(tmp_path / "site", base_files())
    code, printed = run("--root", str(root), "--base-url", "https://x.org/a'b&c=d/")
    assert code == 0, printed
    assert (root / "_site/robots.txt").read_text().endswith("Sitemap: https://x.org/a'b&c=d/sitemap.xml\n")
    assert "a&#39;b&amp;c=d" in (root / "_site/en/index.html").read_text()


def test_a_share_image_url_is_checked_as_every_url(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", base_files())
    site = (root / "content/site.yml").read_text()
    (root / "content/site.yml").write_text(site + 'image: "https://x.example/a b\\"<c>.png"\n')
    code, printed = run("check", "--root", str(root))
    assert code == 1 and "error[bad-url]: image may not contain U+0020 (write it percent-encoded)" in printed, printed


def test_two_languages_may_not_share_a_lang_tag(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", base_files())
    site = (root / "content/site.yml").read_text()
    (root / "content/site.yml").write_text(site.replace('lang: "zh-Hans"', 'lang: "EN"'))
    code, printed = run("check", "--root", str(root))
    assert code == 1 and "error[bad-lang]: `EN` is the lang of `en` too; each language needs its own tag" in printed


def test_new_refuses_an_empty_title(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", base_files())
    code, printed = run("new", "--root", str(root), "--title", "en= ", "--speaker", "ma-kai", "--date", "2020-01-12",
                        "--original", "en")
    assert code == 1 and "new: error: --title en=: the title is empty" in printed
    assert sorted(p.name for p in (root / "content/speeches").iterdir()) == ["first.md"]


def test_a_speech_of_year_one_keeps_four_digit_years_in_machine_formats(tmp_path: Path) -> None:
    # strftime and f-strings wrote `1/01/01` and `PY  - 1`, which citation tools read as no year.
    root = write_site(tmp_path / "site", {**base_files(), "content/speeches/first.md": speech().replace(
        "2014-11-19", "0001-01-01")})
    code, printed = run("--root", str(root))
    assert code == 0, printed
    page = (root / "_site/en/speeches/first/index.html").read_text()
    assert '<meta name="citation_date" content="0001/01/01">' in page
    ris = next((root / "_site").rglob("*.ris")).read_text()
    assert "PY  - 0001" in ris and "DA  - 0001/01/01/" in ris


def test_documents_and_data_files_the_build_would_pass_over_are_named(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {**base_files(), "content/speeches/upper.MD": speech(),
                                          "content/speeches/other.markdown": speech(),
                                          "content/speeches/drafts/x.md": speech(), "content/Tags.yml": "{}\n",
                                          "content/speeches/notes.txt": "mine"})
    code, printed = run("check", "--root", str(root))
    assert code == 1
    assert [line for line in printed.splitlines() if "misnamed-file" in line] == [
        "content/Tags.yml: error[misnamed-file]: `Tags.yml` is not read: the file is named `tags.yml`",
        "content/speeches/drafts: error[misnamed-file]: the Markdown files in this folder are not read: speeches "
        "and pages stand directly in content/speeches/",
        "content/speeches/other.markdown: error[misnamed-file]: `other.markdown` is not read: a speech or page is a "
        "`.md` file",
        "content/speeches/upper.MD: error[misnamed-file]: `upper.MD` is not read: a speech or page is a `.md` file"]


@pytest.mark.parametrize("text", [
    "An HTML comment opens with <!-- and closes with the reverse.\n\nSecond paragraph.",  # text, escaped
    "HTML 注释以 \\<!-- 开始。",
    "    <!-- x\n    [[]] and [^ ]",  # an indented code block
    "> ~~~\n> <!-- [[]] [^ a]\n> ~~~",
    "<!-- 原文此处有一个多余的反引号 ` 待查 -->\n\n用 `代码`。",
    "Back to [^ the top](#p1), or see [^ more][ref].\n\n[ref]: https://example.org/",
    '[链接](https://example.org/a "标题 <!--")',
    "<!--> is text.",
])
def test_valid_text_that_resembles_what_the_new_checks_refuse(text: str) -> None:
    # Each of these was refused by a check added today (a helper hunted for false positives).
    _, diags = parse_body(f"::: en\n{text}\n:::\n", "x.md", 8, ("en", "zh"), False)
    assert diags == []


def test_figure_descriptions_and_the_interventions_list_give_the_text_as_edited() -> None:
    body = ("::: en\nA {~~cunty {>>sic in source<<}~>county~~} and {++supplied {>>a note<<} text++} "
            "![The {~~vilage~>village~~} of {++Wuzhen++} {--old--} {>>photo<<}](http://e.x/m.png).\n:::\n")
    (section,), diags = parse_body(body, "x.md", 8, ("en", "zh"), False)
    assert diags == []
    assert [(m.kind, m.text, m.source) for m in section.marks] == [
        ("comment", "sic in source", ""), ("corr", "county", "cunty"), ("comment", "a note", ""),
        ("add", "supplied text", "")]
    assert 'alt="The village of Wuzhen"' in section.blocks[0]
    assert "<figDesc>The village of Wuzhen</figDesc>" in section.tei[0]
