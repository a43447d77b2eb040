import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, base_files, run, speech, tree_digest, write_site


def test_build_py_in_a_site_root(site: Path) -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "build.py")], cwd=site, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert (site / "_site" / "en" / "speeches" / "first" / "index.html").is_file()
    lines = proc.stderr.splitlines()
    assert [line.split()[0] for line in lines[:-1]] == ["load", "validate", "link", "terms", "render", "write", "index"]
    assert re.fullmatch(r"ok: 0 errors, 0 warnings · 1 document · \d+ files written · \d+\.\d\ds", lines[-1])


@pytest.mark.parametrize("command", [["-m", "edition.cli"], ["-c", "from edition.cli import entry; entry()"]])
def test_the_package_entry_points_build_with_the_bundled_theme(site: Path, command: list[str]) -> None:
    """`python -m edition.cli` and the `edition` script (which calls `entry()`) find the theme
    without build.py; their printed report reaches a pipe although the process ends by os._exit."""
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, *command, "build"], cwd=site, capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "speech" in (site / "_site" / "en" / "speeches" / "first" / "index.html").read_text(encoding="utf-8")
    assert re.fullmatch(r"ok: 0 errors, 0 warnings · 1 document · \d+ files written · \d+\.\d\ds",
                        proc.stderr.splitlines()[-1])
    proc = subprocess.run([sys.executable, *command, "check", "--format", "json"], cwd=site, capture_output=True,
                          text=True, env=env)
    assert proc.returncode == 0 and json.loads(proc.stdout)["diagnostics"] == []  # standard output, flushed


def test_build_py_exits_1_on_error(site: Path) -> None:
    write_site(site, {"content/speeches/first.md": speech(extra="bogus: 1\n")})
    proc = subprocess.run([sys.executable, str(ROOT / "build.py")], cwd=site, capture_output=True, text=True)
    assert proc.returncode == 1
    assert "error[unknown-key]" in proc.stderr
    assert not (site / "_site").exists()


@pytest.mark.parametrize(("broken", "code"), [(False, 0), (True, 1)])
def test_a_reader_that_closes_the_pipe_early_stops_the_printing_not_the_build(site: Path, broken: bool,
                                                                              code: int) -> None:
    """`build.py build 2>&1 | head -1`: the build goes on once head has left (it stopped at its next
    progress line with BrokenPipeError and wrote nothing), and its exit status is the build's."""
    if broken:
        write_site(site, {"content/speeches/second.md": speech("Second", extra="bogus: 1\n")})
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "build"], cwd=site,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert proc.stdout is not None
    assert proc.stdout.readline().split()[0] == b"load"
    proc.stdout.close()  # as head does after its line, before the build prints the next
    assert proc.wait(timeout=120) == code
    assert (site / "_site" / "en" / "speeches" / "first" / "index.html").is_file() is not broken

def test_check_writes_nothing(site: Path) -> None:
    sources = tree_digest(site)
    code, printed = run("check", "--root", str(site))
    assert code == 0 and printed.splitlines()[-1].startswith("ok: 0 errors, 0 warnings")
    assert tree_digest(site) == sources  # no output folder, nor anything else
    code, printed = run("--root", str(site))
    assert code == 0, printed
    built = tree_digest(site / "_site")
    assert "en/speeches/first/index.html" in built
    # a new speech changes what a build would write; a check still writes nothing
    write_site(site, {"content/speeches/second.md": speech("Second")})
    everything = tree_digest(site)
    code, printed = run("check", "--root", str(site))
    assert code == 0 and "2 documents" in printed.splitlines()[-1]
    assert tree_digest(site) == everything


def test_check_reports_errors(site: Path) -> None:
    write_site(site, {"content/speeches/first.md": speech(body="::: en\n[[nope]]\n:::\n")})
    code, printed = run("check", "--root", str(site))
    assert code == 1 and "error[crosslink-unknown]" in printed


def test_strict_makes_warnings_fatal(site: Path) -> None:
    write_site(site, {"content/speeches/first.md": speech(body="::: zh\n一。\n\n二。\n:::\n\n::: en\nOne.\n:::\n")})
    assert run("check", "--root", str(site))[0] == 0
    code, printed = run("check", "--root", str(site), "--strict")
    assert code == 1 and printed.rstrip().splitlines()[-1].startswith("failed: 1 error, 0 warnings")


def test_base_url_and_out_options(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "elsewhere"
    code, _ = run("--root", str(site), "--out", str(out), "--base-url", "https://u.github.io/repo/")
    assert code == 0
    html = (out / "en" / "index.html").read_text()
    # links between pages are relative; the base URL makes the absolute ones
    assert '<a class="speech-link" href="speeches/first/">' in html
    assert '<link rel="canonical" href="https://u.github.io/repo/en/">' in html
    assert '<link rel="alternate" hreflang="zh-Hans" href="https://u.github.io/repo/zh/">' in html


def test_drafts_option(site: Path) -> None:
    write_site(site, {"content/speeches/wip.md": speech("WIP", extra="draft: true\n")})
    out = site / "_site"
    code, printed = run("--root", str(site))
    assert code == 0, printed
    assert (out / "en" / "speeches" / "first" / "index.html").is_file()
    assert not (out / "en" / "speeches" / "wip").exists()
    assert "speeches/wip/" not in (out / "en" / "index.html").read_text() + (out / "sitemap.xml").read_text()
    code, printed = run("--root", str(site), "--drafts")
    assert code == 0, printed
    assert (out / "en" / "speeches" / "wip" / "index.html").is_file()
    assert 'href="speeches/wip/"' in (out / "en" / "index.html").read_text()
    assert "https://example.org/ed/en/speeches/wip/" in (out / "sitemap.xml").read_text()


def test_out_pointed_at_content_is_refused(site: Path) -> None:
    before = tree_digest(site / "content")
    code, printed = run("--root", str(site), "--out", str(site / "content"))
    assert code == 1 and "error[output-refused]" in printed
    assert tree_digest(site / "content") == before


def test_quiet_prints_nothing_on_success(site: Path) -> None:
    assert run("--root", str(site), "--quiet") == (0, "")


def test_check_format_github_line_by_line(site: Path) -> None:
    write_site(site, {"content/speeches/first.md": speech(extra="speeker: x\n",
                                                          body="::: en\nSee [[nope]], 100%.\n\n[^u]: unused\n:::\n")})
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "check", "--format", "github", "--root", str(site)],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        "::error file=content/speeches/first.md,line=8,col=1,title=error[unknown-key]::unknown field `speeker` in "
        "a speech%0Ahint: did you mean `speaker`?",
        "::error file=content/speeches/first.md,line=12,col=5,title=error[crosslink-unknown]::`[[nope]]`: the slug "
        "`nope` names no speech or page%0Ahint: check the file name in content/speeches/ or content/pages/",
        "::warning file=content/speeches/first.md,line=14,col=1,title=warning[footnote-unused]::footnote `[^u]` is "
        "defined but never referred to in the `en` section%0Ahint: refer to it with `[^u]` or remove it"]
    strict = subprocess.run([sys.executable, str(ROOT / "build.py"), "check", "--strict", "--format", "github",
                             "--root", str(site)], capture_output=True, text=True)
    assert strict.stdout.splitlines()[2].startswith("::error file=content/speeches/first.md,line=14,col=1,"
                                                    "title=error[footnote-unused]::")


def test_check_format_json(site: Path) -> None:
    write_site(site, {"content/speeches/first.md": speech(body="::: en\n[[nope]]\n:::\n")})
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "check", "--format", "json", "--root", str(site)],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    assert data["ok"] is False and data["errors"] == 1 and data["warnings"] == 0
    assert data["diagnostics"] == [{"path": "content/speeches/first.md", "line": 11, "column": 1,
                                    "severity": "error", "code": "crosslink-unknown",
                                    "message": "`[[nope]]`: the slug `nope` names no speech or page",
                                    "hint": "check the file name in content/speeches/ or content/pages/"}]


# Pagefind keeps filter values in an unordered map: its filter chunk, and the two files that name
# that chunk by its hash, vary from run to run although they hold the same filters.
PAGEFIND_UNORDERED = re.compile(r"pagefind/[^/]+/(filter/.*|pagefind-entry\.json|pagefind\..*\.pf_meta)$")


def test_two_builds_are_identical(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    assert run("--root", str(ROOT), "--out", str(a))[0] == 0
    assert run("--root", str(ROOT), "--out", str(b))[0] == 0
    da, db = tree_digest(a), tree_digest(b)
    assert len(da) == len(db) > 40
    same = {k: v for k, v in da.items() if not PAGEFIND_UNORDERED.search(k)}
    assert same == {k: v for k, v in db.items() if not PAGEFIND_UNORDERED.search(k)}
    assert any(k.startswith("pagefind/zh/fragment/") for k in same), "the index itself is reproducible"


def test_cname_is_written(site: Path) -> None:
    write_site(site, {"content/site.yml": (site / "content/site.yml").read_text() + "cname: speeches.example.org\n"})
    assert run("--root", str(site))[0] == 0
    assert (site / "_site" / "CNAME").read_text() == "speeches.example.org\n"


def test_options_before_or_after_the_command_mean_the_same(site: Path, tmp_path: Path) -> None:
    """`build.py --root X --out Y build` is `build.py build --root X --out Y`: an option written
    before the command is not reset by the command's own defaults."""
    before, after = tmp_path / "before", tmp_path / "after"
    code, printed = run("--root", str(site), "--out", str(before), "--strict", "build")
    assert code == 0, printed
    code, printed = run("build", "--root", str(site), "--out", str(after), "--strict")
    assert code == 0, printed
    def pages(folder: Path) -> dict[str, str]:  # Pagefind's bundle is not byte-reproducible
        return {k: v for k, v in tree_digest(folder).items() if not k.startswith("pagefind/")}

    assert pages(before) == pages(after) and (before / "en" / "index.html").is_file()
    broken = tmp_path / "broken"
    write_site(broken, {**base_files(), "content/speeches/x.md": speech(extra="event: nowhere\n")})
    code, printed = run("--root", str(broken), "check")
    assert code == 1 and "content/speeches/x.md:" in printed and "nowhere" in printed


def test_a_command_line_that_cannot_be_read_exits_1_as_the_spec_says(capsys: pytest.CaptureFixture[str]) -> None:
    """The spec's statuses are 0 and 1 (argparse's own would be 2)."""
    from edition.cli import main

    assert _exit_code(main, ["--bogus"]) == 1
    assert _exit_code(main, ["serve", "--port", "x"]) == 1
    assert "error: unrecognized arguments: --bogus" in capsys.readouterr().err


def _exit_code(main: object, argv: list[str]) -> int:
    try:
        return main(argv)  # type: ignore[operator,no-any-return]
    except SystemExit as e:
        return int(e.code or 0)


def test_a_refused_output_folder_does_not_hide_the_contents_problems(site: Path, tmp_path: Path) -> None:
    """The spec: "the build reports all problems of a run at once" -- the content is still checked."""
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "index.html").write_text("mine")
    (site / "content" / "speeches" / "first.md").write_text(speech().replace("ma-kai", "nobody"))
    code, printed = run("--root", str(site), "--out", str(foreign))
    assert code == 1 and "error[output-refused]" in printed and "error[unknown-person]" in printed
    assert [p.name for p in foreign.iterdir()] == ["index.html"] and (foreign / "index.html").read_text() == "mine"


def test_build_py_run_by_a_python_missing_a_dependency_uses_the_projects_environment(tmp_path: Path) -> None:
    """A Python holding Jinja2 but not mistune (a system's Python another program gave Jinja2)
    passed build.py's check, which asked for Jinja2 alone, and ended in a traceback."""
    import venv

    venv.create(tmp_path / "bare", with_pip=False)
    site = next((tmp_path / "bare" / "lib").glob("python3*/site-packages"))
    (site / "jinja2").mkdir()
    (site / "jinja2" / "__init__.py").write_text("")
    assert (ROOT / ".venv" / "bin" / "python").exists(), "tests/run.sh makes the project's environment"
    proc = subprocess.run([str(tmp_path / "bare" / "bin" / "python"), str(ROOT / "build.py"), "--help"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("usage: build.py")


def test_the_waiting_line_names_the_folder_locked_not_the_path_as_typed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from edition.cli import waiting

    (tmp_path / "edition").mkdir()
    (tmp_path / "big").mkdir()
    monkeypatch.chdir(tmp_path / "edition")
    waiting(Path("../big/_demo"))()
    assert capsys.readouterr().err == \
        f"waiting: another build is writing into {tmp_path / 'big'}/; this one starts when it ends\n"
