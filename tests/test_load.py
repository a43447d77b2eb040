from pathlib import Path

from edition.load import decode, load

from .conftest import THEME, base_files, write_site


def test_decode_strips_bom_and_normalises_line_endings() -> None:
    assert decode("\ufeffa\r\nb\rc\n".encode(), "x") == ("a\nb\nc\n", None)


def test_decode_reports_the_position_of_a_bad_byte() -> None:
    text, problem = decode(b"ok\nab\xffc", "x.md")
    assert text is None and problem is not None
    assert problem.headline() == "x.md:2:3: error[encoding]: the file is not valid UTF-8 (byte 0xff)"
    # Columns count characters, as in every other diagnostic (一 is three bytes); a BOM is not one.
    _, problem = decode("\ufeff一".encode() + b"\xff\xfe", "x.md")
    assert problem is not None and (problem.line, problem.column) == (1, 2)
    _, problem = decode(b"a\rb\r\nc\xff", "x.md")  # lines end as the text's do: CR, CRLF or LF
    assert problem is not None and (problem.line, problem.column) == (3, 2)


def test_load_reads_content_assets_and_template_folders(tmp_path: Path) -> None:
    files = {**base_files(), "content/assets/img/a.png": b"\x89PNG", "templates/home.html": "x",
             "content/speeches/notes.txt": "ignored", "content/pages/about.md": "---\ntitle: A\n---\n"}
    root = write_site(tmp_path, files)
    sources = load(root, THEME)
    assert [f.path for f in sources.files] == [
        "content/site.yml", "content/people.yml", "content/events.yml",
        "content/speeches/first.md", "content/pages/about.md"]
    assert sources.assets == ("content/assets/img/a.png",)
    assert sources.template_dirs == (str(root / "templates"), str(THEME / "templates"))
    assert (str(root / "content/assets/img/a.png"), "assets/img/a.png") in sources.static
    assert any(out == "theme/edition.css" for _, out in sources.static)


def test_a_sites_own_theme_folder_is_laid_over_the_bundled_theme(tmp_path: Path) -> None:
    """The spec: "theme/: CSS, JS, fonts, icons copied to the site". A site's theme/ adds to the
    bundled theme (its files win by name); it need not hold every template and style."""
    files = {**base_files(), "theme/extra.css": "body{}", "theme/fonts/a.woff2": b"w",
             "theme/static/print.css": "/* mine */", "theme/templates/home.html": "x"}
    root = write_site(tmp_path, files)
    sources = load(root, THEME)
    static = {dest: src for src, dest in sources.static}
    assert static["theme/extra.css"] == str(root / "theme/extra.css")
    assert static["theme/fonts/a.woff2"] == str(root / "theme/fonts/a.woff2")
    assert static["theme/print.css"] == str(root / "theme/static/print.css")  # the site's wins
    assert static["theme/edition.css"] == str(THEME / "static/edition.css")  # the rest is the bundled theme's
    assert "theme/home.html" not in static and "theme/templates/home.html" not in static
    assert sources.template_dirs == (str(root / "theme/templates"), str(THEME / "templates"))
    assert load(THEME.parent, THEME).template_dirs[-1] == str(THEME / "templates")  # this repository: one theme


def test_what_editors_and_systems_leave_beside_the_sources_is_not_read(tmp_path: Path) -> None:
    """Emacs locks a file being edited with a link to nowhere, `.#<name>`; macOS copies leave
    `._<name>` resource forks: neither is a source, and neither stops the build (Hugo skips them too).
    Any other file of a speech's folder is read as before: a hidden `.x.md` is still a bad slug."""
    root = write_site(tmp_path, {**base_files(), "content/speeches/._first.md": b"\x00\x05\x16\x07",
                                 "templates/._home.html": b"\x00\x05", "content/assets/._a.png": b"\x00"})
    (root / "content/speeches/.#first.md").symlink_to("editor@host.1234:1700000000")
    (root / "templates/.#home.html").symlink_to("editor@host.1234:1700000000")
    sources = load(root, THEME)
    assert sources.diagnostics == ()
    assert [f.path for f in sources.files][-1] == "content/speeches/first.md"
    assert sources.assets == ()
    (root / "content/speeches/.hidden.md").write_text("x")
    assert "content/speeches/.hidden.md" in [f.path for f in load(root, THEME).files]
