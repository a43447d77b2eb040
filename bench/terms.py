#!/usr/bin/env python3
"""What the term base costs: cold builds of the benchmark corpus with and without a term base.

    python bench/terms.py [--speeches 1000] [--terms 200] [--rounds 3] [--baseline CHECKOUT]

Both sites hold the same speeches: the corpus of bench/make_corpus.py with terms planted in
aligned paragraph pairs (a third of the pairs get a term; of those, 3 % use an avoided form and
3 % a variant, so the check has work and some warnings). One site has content/terms.yml, the other
has not. Builds alternate between the two, each in its own process, each into an empty folder;
the medians of wall time, of CPU time (steadier on a shared machine) and of each stage's time
are printed, with the ratios. With
`--baseline`, a third build per round runs another checkout's build.py (e.g. the main branch) on
the site without terms: what the always-on work (block positions, the alignment check) costs.
"""

from __future__ import annotations

import argparse
import json
import os
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


def build(site: Path, code: Path = ROOT) -> tuple[float, float, dict[str, float], str]:
    """(wall seconds, CPU seconds of the build process, its stage times, its last line)."""
    # A cold build: no cache read or written (a checkout older than the cache has no flag for it).
    flag = ["--no-cache"] if _has_cache(code) else []
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        cmd = [sys.executable, str(code / "build.py"), "--root", str(site), "--out", f"{tmp}/out"]
        proc = subprocess.Popen(cmd + flag,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        err = proc.stderr.read() if proc.stderr else ""
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build failed:\n{err[-3000:]}")
    stages = {m.group(1): float(m.group(3)) for line in err.splitlines() if (m := STAGE.match(line))}
    return wall, usage.ru_utime + usage.ru_stime, stages, err.strip().splitlines()[-1]


def _has_cache(code: Path) -> bool:
    out = subprocess.run([sys.executable, str(code / "build.py"), "--help"], capture_output=True, text=True).stdout
    return "--no-cache" in out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--speeches", type=int, default=1000)
    ap.add_argument("--terms", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--baseline", type=Path, help="another checkout of the project, built on the site without terms")
    a = ap.parse_args()
    plain, termed, planted = sites(a.speeches, a.terms)
    variants = {"without": (plain, ROOT), "with": (termed, ROOT)}
    if a.baseline:
        variants["baseline"] = (plain, a.baseline.resolve())
    runs: dict[str, list[tuple[float, float, dict[str, float], str]]] = {name: [] for name in variants}
    names = list(variants)
    for i in range(a.rounds):  # alternate, each round starting with the next variant: the load falls alike
        for name in names[i % len(names):] + names[:i % len(names)]:
            runs[name].append(build(*variants[name]))
    out: dict[str, object] = {"speeches": a.speeches, "terms": a.terms, "rounds": a.rounds}
    if planted >= 0:
        out["planted_pairs"] = planted
    for name, rs in runs.items():
        stages = sorted({k for _, _, s, _ in rs for k in s})
        out[name] = {"median_wall_s": round(statistics.median(w for w, _, _, _ in rs), 2),
                     "walls_s": [round(w, 2) for w, _, _, _ in rs],
                     "median_cpu_s": round(statistics.median(c for _, c, _, _ in rs), 2),
                     "cpus_s": [round(c, 2) for _, c, _, _ in rs],
                     "median_stage_s": {k: round(statistics.median(s.get(k, 0.0) for _, _, s, _ in rs), 2)
                                        for k in stages},
                     "summary": rs[-1][3]}

    def added(a_: str, b_: str, what: str) -> float:
        x, y = out[a_][what], out[b_][what]  # type: ignore[index]
        return round(100 * (x - y) / y, 1)

    # CPU time is the steadier figure on a shared machine; wall time is what an editor waits.
    out["added_percent_wall"] = added("with", "without", "median_wall_s")
    out["added_percent_cpu"] = added("with", "without", "median_cpu_s")
    # The two builds of a round ran one after the other, under the same load: the median of the
    # rounds' own ratios is steadier than the ratio of the medians when the machine is shared.
    for what, i in (("wall", 0), ("cpu", 1)):
        ratios = [w[i] / o[i] for w, o in zip(runs["with"], runs["without"], strict=True)]
        out[f"added_percent_{what}_paired"] = round(100 * (statistics.median(ratios) - 1), 1)
    if a.baseline:
        out["without_vs_baseline_percent_wall"] = added("without", "baseline", "median_wall_s")
        out["without_vs_baseline_percent_cpu"] = added("without", "baseline", "median_cpu_s")
    print(json.dumps(out, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
