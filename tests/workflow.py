"""Run a job of .github/workflows/pages.yml the way GitHub Actions would, on this machine.

The job's own `run` steps are read from the workflow (PyYAML) and run in order with bash, as the
runner does (`bash --noprofile --norc -eo pipefail`), in a clone of a test repository. The `uses`
steps are emulated, each by what it does for this job:

- `actions/checkout`: `git clone` at the step's `fetch-depth` (actions/checkout's default, 1,
  when absent; 0 = the full history), then the ref the event builds.
- `actions/setup-python`: the test's own virtual environment stands for it: its `bin/` comes first
  on PATH, so a step's `python` is the venv's interpreter.
- a `run` step that only installs the generator with pip (`python -m pip install -e .`) is skipped:
  the venv already holds the dependencies, and installing the clone would point the venv's editable
  install of `edition` at a temporary folder.
- `actions/configure-pages` and the upload actions: their outputs come from the test; an upload
  step is recorded with its `path` (the test checks that it is the built site).
- `actions/cache`: nothing to restore in a fresh clone; recorded.

`${{ … }}` expressions are replaced from a table the test gives; an expression missing from it, a
`uses` or an `if:` this module does not know fails the test, so a change to the workflow cannot
slip past it unemulated.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
PIP_ONLY = re.compile(r"^python3? -m pip install( -e)? \.$")


def workflow() -> dict[str, Any]:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps(job: str) -> list[dict[str, Any]]:
    return workflow()["jobs"][job]["steps"]


def checkout_depth(job: str) -> int:
    """The `fetch-depth` the job's checkout step asks for (actions/checkout's default is 1)."""
    step = next(s for s in steps(job) if s.get("uses", "").startswith("actions/checkout@"))
    return int((step.get("with") or {}).get("fetch-depth", 1))


@dataclass
class Ran:
    name: str
    code: int
    output: str


@dataclass
class Job:
    workspace: Path
    ran: list[Ran] = field(default_factory=list)
    uploads: dict[str, Path] = field(default_factory=dict)  # action -> the folder it would upload
    caches: list[dict[str, Any]] = field(default_factory=list)  # the `with` of each actions/cache step
    failed: bool = False

    def output(self) -> str:
        return "\n".join(r.output for r in self.ran)


def substitute(text: str, context: dict[str, str]) -> str:
    def one(m: re.Match[str]) -> str:
        if m.group(1) not in context:
            raise KeyError(f"the workflow uses ${{{{ {m.group(1)} }}}}: give the test a value for it")
        return context[m.group(1)]
    return EXPR.sub(one, text)


def _runs(condition: str | None, failed: bool) -> bool:
    if condition is None:
        return not failed
    condition = EXPR.sub(lambda m: m.group(1), str(condition)).strip()
    if condition in ("!cancelled()", "always()", "success() || failure()"):
        return True
    raise AssertionError(f"the test does not know the step condition `if: {condition}`")


def run_job(job: str, source: Path, workspace: Path, context: dict[str, str], env: dict[str, str] | None = None,
            ref: str | None = None, depth: int | None = None) -> Job:
    """Run `job` on a clone of the repository `source` in `workspace`. `ref` is the branch the event
    builds; `depth` overrides the checkout's fetch-depth (to try what a shallow clone does)."""
    result = Job(workspace)
    venv_bin = str(Path(sys.executable).parent)
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "RUNNER_"))}
    base_env.update({"PATH": venv_bin + os.pathsep + os.environ.get("PATH", ""), "CI": "true",
                     "GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(workspace), **(env or {})})
    for step in steps(job):
        name = step.get("name") or step.get("uses") or step.get("id", "")
        if not _runs(step.get("if"), result.failed):
            continue
        uses = step.get("uses", "")
        if uses.startswith("actions/cache@"):
            result.caches.append(step["with"])  # its key (hashFiles) is checked by the test as written
            continue
        with_ = {k: substitute(str(v), context) for k, v in (step.get("with") or {}).items()}
        if uses.startswith("actions/checkout@"):
            fetch = int(with_.get("fetch-depth", 1)) if depth is None else depth
            args = ["git", "clone", "-q", *(["--depth", str(fetch)] if fetch else []),
                    *(["--branch", ref] if ref else []), source.resolve().as_uri(), str(workspace)]
            subprocess.run(args, check=True, capture_output=True)
        elif uses.startswith(("actions/setup-python@", "actions/configure-pages@")):
            pass  # the venv is on PATH; configure-pages' outputs are in `context`
        elif uses.startswith(("actions/upload-artifact@", "actions/upload-pages-artifact@")):
            folder = workspace / with_["path"]
            if not folder.is_dir():
                result.failed = True  # the action fails: nothing to upload
            result.uploads[uses.split("@")[0]] = folder
        elif "run" in step:
            script = substitute(step["run"], context).strip()
            if PIP_ONLY.match(script):
                continue
            step_env = {**base_env, **{k: substitute(str(v), context) for k, v in (step.get("env") or {}).items()}}
            proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                                  cwd=workspace, env=step_env, capture_output=True, text=True, timeout=600)
            result.ran.append(Ran(name, proc.returncode, proc.stdout + proc.stderr))
            if proc.returncode != 0 and not step.get("continue-on-error"):
                result.failed = True
        else:
            raise AssertionError(f"the test does not emulate the step `{uses}` of job `{job}`")
    return result
