"""The `new` command's dialogue: ask for (or take from the flags) a speech's fields, check them
against the site, and write content/speeches/<slug>.md.

Input: the parsed arguments and the options. Output: the new file, what it printed, and the
exit status; part of the command line, the only package that prints.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Callable

from ..diagnostics import did_you_mean, escaped
from ..pipeline import Options, Result, read
from . import report


def _ask(prompt: str, interactive: bool) -> str:
    if not interactive:
        return ""
    try:
        return input(prompt).strip()
    except EOFError:
        return ""


def _ask_until(prompt: str, interactive: bool, problem: Callable[[str], str | None]) -> str:
    """An answer, asked again (with what was wrong) until it is right or left empty: one slip does
    not throw away the answers before it."""
    while True:
        answer = _ask(prompt, interactive)
        wrong = problem(answer) if answer else None
        if not wrong:
            return answer
        print(f"  {escaped(wrong)}", file=sys.stderr)


def _date_problem(text: str) -> str | None:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return f"date `{text}` is not a day of the calendar (check the month and the day)"
        return f"date `{text}` is not a date written YYYY-MM-DD"
    return None


def new_speech(args: argparse.Namespace, opts: Options) -> int:
    """`new`: ask for (or take) the fields, check them against the site, write the file."""
    from ..names import name_problem, shown
    from ..scaffold import NewSpeech, speech_file, suggest_slug
    from ..schema import ID_RE
    from ..sitefiles import utf8
    from ..textcheck import code_point, forbidden_in
    from ..write import create_file

    edition, diags, sources = read(opts)
    if edition is None:
        return report(Result(diags, sources), False)
    site = edition.site
    interactive = sys.stdin.isatty()
    problems: list[str] = []
    titles = dict(t.split("=", 1) for t in args.title if "=" in t)
    problems += [f"--title {t!r}: write KEY=TEXT, e.g. zh=…" for t in args.title if "=" not in t]
    if not titles:
        for lang in site.languages:
            if text := _ask(f"Title in {lang.name} [{lang.key}] (empty to skip): ", interactive):
                titles[lang.key] = text
    problems += [f"--title {k}=…: `{k}` is not a language of the site" for k in titles if k not in site.keys]
    problems += [f"--title {k}=…: control character {code_point(bad)} in the title"
                 for k, t in titles.items() if (bad := forbidden_in(t))]
    problems += [f"--title {k}=…: the title is not valid UTF-8 (is the terminal set to another encoding?)"
                 for k, t in titles.items() if not utf8(t)]
    problems += [f"--title {k}=: the title is empty" for k, t in titles.items() if not t.strip()]
    if not titles:
        problems.append("a title is needed: --title KEY=TEXT")
    people = {p.id: p for p in edition.people}

    def unknown(s: str) -> str | None:
        if s in people:
            return None
        hint = did_you_mean(s, people) or "add the person to content/people.yml first"
        return f"speaker `{s}` is not in people.yml ({hint})"
    speakers = [s for arg in args.speaker for s in arg.replace(",", " ").split()]
    if not speakers:
        if interactive:
            print("People:", *(f"  {p.id:20} {' / '.join(v for _, v in p.name.items)}" for p in edition.people),
                  sep="\n", file=sys.stderr)
        speakers = _ask_until("Speaker id(s), separated by commas: ", interactive,
                              lambda answer: next(filter(None, map(unknown, answer.replace(",", " ").split())), None)
                              ).replace(",", " ").split()
    if not speakers:
        problems.append("a speaker is needed: --speaker ID (an id of people.yml)")
    problems += [wrong for s in speakers if (wrong := unknown(s))]
    date_text = args.date or _ask_until("Date (YYYY-MM-DD): ", interactive, _date_problem)
    if wrong := _date_problem(date_text):
        problems.append(wrong)
        date = dt.date(1, 1, 1)
    else:
        date = dt.date.fromisoformat(date_text)
    event = args.event
    events = {e.id for e in edition.events}

    def event_problem(e: str) -> str | None:
        hint = did_you_mean(e, events) or "add it first"
        return None if e in events else f"event `{e}` is not in events.yml ({hint})"
    if event is None and interactive and edition.events:
        print("Events:", *(f"  {e.id:20} {' / '.join(v for _, v in e.name.items)}" for e in edition.events),
              sep="\n", file=sys.stderr)
        event = _ask_until("Event id (empty for none): ", interactive, event_problem) or None
    if event and (wrong := event_problem(event)):
        problems.append(wrong)
    original = args.original or _ask_until(
        f"Language of the original ({', '.join(site.keys)}) [{site.keys[0]}]: ", interactive,
        lambda k: None if k in site.keys else f"`{k}` is not a language of the site ({', '.join(site.keys)})"
    ) or site.keys[0]
    if original not in site.keys:
        problems.append(f"original `{original}` is not a language of the site ({', '.join(site.keys)})")
    if problems:
        for p in problems:
            print(f"new: error: {escaped(p)}", file=sys.stderr)
        return 1
    order = {k: i for i, k in enumerate(site.keys)}
    speech = NewSpeech(tuple(sorted(titles.items(), key=lambda kv: order[kv[0]])), tuple(speakers), date,
                       event, original)
    slug = args.slug or suggest_slug(speech)
    if not ID_RE.match(slug):
        print(f"new: error: `{escaped(slug)}` is not a valid slug (lowercase ASCII letters, digits, hyphens)",
              file=sys.stderr)
        return 1
    if problem := name_problem(slug):
        print(f"new: error: the slug {shown(slug)} {problem}; choose a shorter --slug", file=sys.stderr)
        return 1
    path = opts.root / "content" / "speeches" / f"{slug}.md"
    try:
        create_file(path, speech_file(speech, site.keys))
    except FileExistsError:
        print(f"new: error: {path.relative_to(opts.root)} exists already; nothing was written "
              "(choose another --slug)", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"new: error: {path.relative_to(opts.root)} cannot be written: {e.strerror}", file=sys.stderr)
        return 1
    print(f"created {path.relative_to(opts.root)}", file=sys.stderr)
    return 0
