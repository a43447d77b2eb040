#!/usr/bin/env python3
"""What the term base costs: cold builds of the benchmark corpus with and without a term base.

    python bench/terms.py [--speeches 1000] [--terms 200] [--rounds 3] [--baseline CHECKOUT]

Both sites hold the same speeches: the corpus of bench/make_corpus.py with terms planted in
aligned paragraph pairs (a third of the pairs get a term; of those, 3 % use an avoided form and
3 % a variant, so the check has work and some warnings). One site has content/terms.yml, the other
has not. Builds alternate between the two, each in its own process, each into an empty folder;
the medians of wall time and of each stage's time are printed, with their ratio. With
`--baseline`, a third build per round runs another checkout's build.py (e.g. the main branch) on
the site without terms: what the always-on work (block positions, the alignment check) costs.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.make_corpus import EN_WORDS, ZH_PHRASES
from bench.run import corpus

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
STAGE = re.compile(r"^\s+(\w+)\s+(\d+) \w*\s+([\d.]+)s$")
# Filler words for the English forms, not among the corpus's own, so that a form occurs only where planted.
EN_FILLER = ["amber", "basalt", "cobalt", "delta", "ember", "fjord", "garnet", "harbour", "indigo", "jasper", "kestrel",
             "lagoon", "meridian", "nectar", "onyx", "prism", "quartz", "russet", "saffron", "tundra", "umber",
             "vellum", "willow", "xenon", "yarrow", "zephyr"]


def term_base(n: int, rng: random.Random) -> list[dict[str, object]]:
    terms = []
    pairs = rng.sample([(a, b) for a in EN_FILLER for b in EN_FILLER if a != b], n)
    zh_forms: set[str] = set()
    while len(zh_forms) < n:
        zh_forms.add("".join(rng.sample(ZH_PHRASES, 3)))
    for i, ((a, b), zh) in enumerate(zip(pairs, sorted(zh_forms), strict=True)):
        terms.append({"id": f"term-{i + 1:03d}", "zh": zh, "en": f"{a} {b}", "variants": [f"{a}-{b} zone"],
                      "avoid": [f"{rng.choice(EN_WORDS)} {b}"]})
    return terms


def terms_yml(terms: list[dict[str, object]]) -> str:
    lines = []
    for t in terms:
        lines += [f"{t['id']}:", f"  zh: {t['zh']}", f"  en: {t['en']}", f"  variants: {json.dumps(t['variants'])}",
                  f"  avoid: {json.dumps(t['avoid'])}",
                  '  note: {en: "A generated term of the benchmark.", zh: "基准测试生成的术语。"}']
    return "\n".join(lines) + "\n"


def plant(site: Path, terms: list[dict[str, object]], rng: random.Random) -> int:
    """Append a term to a third of the aligned paragraph pairs of every speech; returns how many."""
    planted = 0
    for path in sorted((site / "content" / "speeches").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        head, _, body = text.partition("\n::: zh\n")
        zh_part, _, rest = body.partition("\n:::\n")
        en_head, _, en_rest = rest.partition("::: en\n")
        en_part, _, tail = en_rest.partition("\n:::")
        zh_paras, en_paras = zh_part.split("\n\n"), en_part.split("\n\n")
        zi = [i for i, p in enumerate(zh_paras) if p.strip() and not p.startswith("[^")]
        ei = [i for i, p in enumerate(en_paras) if p.strip() and not p.startswith("[^")]
        for a, b in zip(zi, ei, strict=False):
            if rng.random() < 1 / 3:
                t = rng.choice(terms)
                roll = rng.random()
                en = t["avoid"][0] if roll < 0.03 else t["variants"][0] if roll < 0.06 else t["en"]  # type: ignore[index]
                zh_paras[a] += f"我们要重视{t['zh']}。"
                en_paras[b] += f" We value {en}."
                planted += 1
        path.write_text(f"{head}\n::: zh\n" + "\n\n".join(zh_paras) + "\n:::\n" + en_head + "::: en\n"
                        + "\n\n".join(en_paras) + "\n:::" + tail, encoding="utf-8")
    return planted


def sites(n: int, count: int) -> tuple[Path, Path, int]:
    base = corpus(n, None)
    plain, termed = HERE / "corpus" / f"{n}-planted", HERE / "corpus" / f"{n}-terms-{count}"
    rng = random.Random(7)
    terms = term_base(count, rng)
    planted = -1
    if not (termed / "content" / "terms.yml").is_file():
        for d in (plain, termed):
            shutil.rmtree(d, ignore_errors=True)
        shutil.copytree(base / "content", plain / "content")
        planted = plant(plain, terms, rng)
        shutil.copytree(plain / "content", termed / "content")
        (termed / "content" / "terms.yml").write_text(terms_yml(terms), encoding="utf-8")
    return plain, termed, planted


def build(site: Path, code: Path = ROOT) -> tuple[float, dict[str, float], str]:
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, str(code / "build.py"), "--root", str(site), "--out", f"{tmp}/out"],
                              capture_output=True, text=True)
        wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"build failed:\n{proc.stderr[-3000:]}")
    stages = {m.group(1): float(m.group(3)) for line in proc.stderr.splitlines() if (m := STAGE.match(line))}
    return wall, stages, proc.stderr.strip().splitlines()[-1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--speeches", type=int, default=1000)
    ap.add_argument("--terms", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--baseline", type=Path, help="another checkout of the project, built on the site without terms")
    a = ap.parse_args()
    plain, termed, planted = sites(a.speeches, a.terms)
    runs: dict[str, list[tuple[float, dict[str, float], str]]] = {"without": [], "with": []}
    if a.baseline:
        runs["baseline"] = []
    for _ in range(a.rounds):  # alternate, so that the machine's load falls on all alike
        runs["without"].append(build(plain))
        runs["with"].append(build(termed))
        if a.baseline:
            runs["baseline"].append(build(plain, a.baseline.resolve()))
    out: dict[str, object] = {"speeches": a.speeches, "terms": a.terms, "rounds": a.rounds}
    if planted >= 0:
        out["planted_pairs"] = planted
    for name, rs in runs.items():
        stages = sorted({k for _, s, _ in rs for k in s})
        out[name] = {"median_wall_s": round(statistics.median(w for w, _, _ in rs), 2),
                     "walls_s": [round(w, 2) for w, _, _ in rs],
                     "median_stage_s": {k: round(statistics.median(s.get(k, 0.0) for _, s, _ in rs), 2)
                                        for k in stages},
                     "summary": rs[-1][2]}
    w, wo = out["with"]["median_wall_s"], out["without"]["median_wall_s"]  # type: ignore[index]
    out["added_percent"] = round(100 * (w - wo) / wo, 1)
    if a.baseline:
        b = out["baseline"]["median_wall_s"]  # type: ignore[index]
        out["without_vs_baseline_percent"] = round(100 * (wo - b) / b, 1)
    print(json.dumps(out, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
