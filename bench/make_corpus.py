#!/usr/bin/env python3
"""Write a deterministic benchmark edition in the content format of docs/content-format.md.

    python make_corpus.py N OUT_DIR [--seed 42]

OUT_DIR/content/ receives site.yml, people.yml (20 speakers), events.yml (15 events),
tags.yml (50 tags) and N speeches of about 2,000 Chinese characters and 1,200 English words
each, in aligned sections of 8-14 paragraphs, with 3-8 footnotes, 2-4 cross-links (some to a
paragraph) and 2-4 related speeches. The same N and seed always give the same files.
The text is generated filler, not real speech.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
from pathlib import Path

SPEAKERS = [
    ("Zhou Wenqing", "周文清"), ("Li Mingde", "李明德"), ("Wang Shuhua", "王淑华"),
    ("Chen Guoliang", "陈国良"), ("Zhang Yifan", "张一帆"), ("Liu Jianping", "刘建平"),
    ("Yang Huimin", "杨慧敏"), ("Huang Zhiyuan", "黄志远"), ("Zhao Lixin", "赵立新"),
    ("Wu Haitao", "吴海涛"), ("Xu Yuelan", "徐月兰"), ("Sun Deming", "孙德明"),
    ("Ma Qingshan", "马青山"), ("Zhu Xiaohong", "朱晓红"), ("Hu Changjiang", "胡长江"),
    ("Guo Ruixue", "郭瑞雪"), ("He Jinsong", "何劲松"), ("Lin Shuyi", "林书仪"),
    ("Luo Tianyu", "罗天宇"), ("Gao Wenjing", "高文静"),
]
EVENTS = [
    ("National Science Conference", "全国科学大会"), ("Provincial Education Forum", "全省教育论坛"),
    ("University Commencement", "大学毕业典礼"), ("Annual Economic Work Meeting", "年度经济工作会议"),
    ("Writers' Association Congress", "作家协会代表大会"), ("Rural Work Conference", "农村工作会议"),
    ("Cultural Exchange Symposium", "文化交流研讨会"), ("Anniversary Commemoration", "周年纪念大会"),
    ("Academy of Sciences Assembly", "科学院院士大会"), ("Trade Union Congress", "工会代表大会"),
    ("Youth League Meeting", "共青团会议"), ("Water Conservancy Conference", "水利工作会议"),
    ("Medical Association Plenary", "医学会全体会议"), ("Press Reception", "记者招待会"),
    ("Library Dedication Ceremony", "图书馆落成典礼"),
]
TAGS = """education economy science technology agriculture industry culture literature history
philosophy law governance reform diplomacy trade health environment energy transport housing
labour youth women family rural-development urbanisation finance taxation welfare pensions
defence security media publishing language arts music sport tourism religion ethnic-affairs
water forestry fisheries mining space computing medicine archaeology commemoration""".split()
TOPICS = [
    ("Learning", "学习"), ("Science", "科学"), ("the Countryside", "农村"), ("Industry", "工业"),
    ("Reform", "改革"), ("Culture", "文化"), ("Youth", "青年"), ("the Future", "未来"),
    ("Education", "教育"), ("Trade", "贸易"), ("Health", "健康"), ("History", "历史"),
    ("Literature", "文学"), ("Law", "法治"), ("Water", "水利"), ("Labour", "劳动"),
    ("Friendship", "友谊"), ("Knowledge", "知识"), ("the City", "城市"), ("Technology", "技术"),
]
ZH_PHRASES = """同志们 朋友们 我们 今天 在这里 大家 我国 人民 国家 社会 经济 发展 建设 科学技术 教育事业
文化 历史 传统 现代化 改革开放 实事求是 群众 干部 工作 问题 任务 目标 方针 政策 实践 理论 经验 教训
困难 成绩 进步 努力 团结 合作 学习 研究 调查 思想 精神 力量 基础 条件 环境 资源 农业 工业 农村 城市
青年 知识分子 工人 农民 学生 教师 必须 应当 可以 已经 正在 继续 进一步 认真 全面 深入 坚持 加强 改进
提高 推动 促进 解决 克服 总结 认识 重要 根本 长期 艰巨 伟大 光荣 具体 实际 明确 正确 的 了 和 与 是
在 有 不 也 都 要 把 对 为 这个 那些 一切 各个方面 新的形势 几十年来 从今以后 归根到底 互联网 网络安全""".split()
ZH_SENTENCES = [
    "我们要把这件事情办好，不能辜负人民的期望。", "这是一个长期的任务，不可能一蹴而就。",
    "历史的经验值得注意，我们必须认真总结。", "没有知识，没有人才，就不可能实现现代化。",
    "教育要面向现代化，面向世界，面向未来。", "这些问题不是一朝一夕能够解决的。",
    "大家要团结起来，同心同德，共同奋斗。", "我们既要看到成绩，也要看到存在的问题。",
    "青年是国家的未来，也是民族的希望。", "只有坚持学习，才能适应新的形势。",
]
EN_WORDS = """the of and to in a is that for it as was with be by on not this are or from at which
but have an they you were there been one all we their has would when if so no will more can out
up about into them some could time these two may then do first any now such like our over even
most made after also did many before must through back years where much way well down should
because each just those people how little state good very make world still own see work long get
here between both life being under never day same another know while last might great old year
come since against country nation science education progress reform history culture labour
teachers students workers farmers knowledge development economy industry agriculture future
friends comrades colleagues together difficult important necessary fundamental experience
practice theory principle policy responsibility generation tradition modern modernisation
cooperation unity effort struggle achievement problem task goal conditions resources environment
society community research investigation understand improve strengthen promote solve overcome
governance sovereignty internet security openness""".split()
EN_SENTENCES = [
    "We must do this well and must not disappoint the expectations of the people.",
    "This is a long-term task; it cannot be accomplished in a single stroke.",
    "The lessons of history deserve our attention, and we must sum them up carefully.",
    "Without knowledge and without talented people, modernisation is impossible.",
    "We should see our achievements, and we should also see our problems.",
    "Youth is the future of the country and the hope of the nation.",
]


def ident(name: str) -> str:
    return name.lower().replace("'", "").replace(" ", "-")


def zh_paragraph(rng: random.Random, chars: int) -> str:
    out, n = [], 0
    while n < chars:
        if rng.random() < 0.18:
            s = rng.choice(ZH_SENTENCES)
        else:
            parts = ["".join(rng.choice(ZH_PHRASES) for _ in range(rng.randint(2, 4)))
                     for _ in range(rng.randint(3, 7))]
            s = "".join(p + rng.choice("，，，、；") for p in parts[:-1]) + parts[-1] + rng.choice("。。。！？")
        out.append(s)
        n += len(s)
    return "".join(out)


def en_paragraph(rng: random.Random, words: int) -> str:
    out, n = [], 0
    while n < words:
        if rng.random() < 0.12:
            s = rng.choice(EN_SENTENCES)
        else:
            w = [rng.choice(EN_WORDS) for _ in range(rng.randint(8, 22))]
            if rng.random() < 0.15:
                i = rng.randrange(len(w))
                w[i] = "*" + w[i] + "*"
            s = " ".join(w)
            s = s[0].upper() + s[1:] + rng.choice("....?")
        out.append(s)
        n += len(s.split())
    return " ".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int)
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    content = a.out / "content"
    if content.exists():
        shutil.rmtree(content)
    (content / "speeches").mkdir(parents=True)
    (content / "site.yml").write_text(
        'title: {en: "Benchmark Edition", zh: "基准文集"}\n'
        'description: {en: "Generated filler for benchmarks.", zh: "用于基准测试的生成文本。"}\n'
        'base_url: "https://example.org/bench/"\n'
        "languages:\n  en: {name: \"English\", lang: \"en\"}\n  zh: {name: \"中文\", lang: \"zh-Hans\"}\n",
        encoding="utf-8")
    (content / "people.yml").write_text("".join(
        f"{ident(en)}:\n  name: {{zh: \"{zh}\", en: \"{en}\"}}\n" for en, zh in SPEAKERS), encoding="utf-8")
    (content / "events.yml").write_text("".join(
        f"{ident(en)}:\n  name: {{zh: \"{zh}\", en: \"{en}\"}}\n" for en, zh in EVENTS), encoding="utf-8")
    (content / "tags.yml").write_text("".join(f"{t}: {{en: \"{t.replace('-', ' ')}\"}}\n" for t in TAGS),
                                      encoding="utf-8")

    start, end = dt.date(1949, 10, 1).toordinal(), dt.date(2020, 12, 31).toordinal()
    metas = []
    for i in range(1, a.n + 1):
        t1, t2 = rng.sample(TOPICS, 2)
        date = dt.date.fromordinal(rng.randint(start, end))
        metas.append({"slug": f"{date.isoformat()}-speech-{i:05d}", "i": i, "t1": t1, "t2": t2,
                      "speaker": ident(rng.choice(SPEAKERS)[0]), "date": date,
                      "event": ident(rng.choice(EVENTS)[0]), "tags": sorted(rng.sample(TAGS, rng.randint(2, 5))),
                      "paras": rng.randint(8, 14)})
    for m in metas:
        k = m["paras"]
        zh = [zh_paragraph(rng, 2000 // k) for _ in range(k)]
        en = [en_paragraph(rng, 1200 // k) for _ in range(k)]
        notes_zh, notes_en = [], []
        for n in range(1, rng.randint(3, 8) + 1):
            vol, page = rng.randint(1, 12), rng.randint(1, 600)
            if rng.random() < 0.4:
                p = rng.randrange(k)
                zh[p] += f"[^n{n}]"
                notes_zh.append(f"[^n{n}]: 参见《讲话集》第{vol}卷，第{page}页。")
            else:
                p = rng.randrange(k)
                en[p] += f"[^n{n}]"
                notes_en.append(f"[^n{n}]: See *Collected Speeches*, vol. {vol}, p. {page}.")
        if a.n > 1:
            for _ in range(rng.randint(2, 4)):
                t = rng.choice(metas)
                if t is m:
                    continue
                anchor = f"#p{rng.randint(1, t['paras'])}" if rng.random() < 0.5 else ""
                p = rng.randrange(k)
                en[p] += f" (compare [[{t['slug']}{anchor}]])"
                zh[p] += f"（参见[[{t['slug']}{anchor}]]）"
            related = sorted({t["slug"] for t in rng.sample(metas, min(4, len(metas))) if t is not m})[:rng.randint(2, 4)]
        else:
            related = []
        t1, t2 = m["t1"], m["t2"]
        front = [
            "---",
            "title:",
            f"  zh: \"论{t1[1]}与{t2[1]}（第{m['i']}篇）\"",
            f"  en: \"On {t1[0]} and {t2[0]} ({m['i']})\"",
            f"speaker: {m['speaker']}",
            f"date: {m['date'].isoformat()}",
            f"event: {m['event']}",
            "original: zh",
            f"tags: [{', '.join(m['tags'])}]",
            f"related: [{', '.join(related)}]",
            "---",
            "",
        ]
        body = ["::: zh", "", "\n\n".join(zh), "", *notes_zh, ":::", "", "::: en", "",
                "\n\n".join(en), "", *notes_en, ":::", ""]
        (content / "speeches" / f"{m['slug']}.md").write_text("\n".join(front + body), encoding="utf-8")


if __name__ == "__main__":
    main()
