"""Drive a URL with wrk and read requests per second and latency percentiles."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


@dataclass(frozen=True)
class Result:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int  # non-2xx/3xx responses plus socket errors


def ensure_installed() -> None:
    """Install Debian's wrk when it is missing (the bench must run on a fresh machine)."""
    if shutil.which("wrk"):
        return
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True,
                   stdout=subprocess.DEVNULL)


def run(url: str, *, seconds: int = 8, connections: int = 32, threads: int = 2,
        headers: dict[str, str] | None = None, script: str | None = None) -> Result:
    """wrk against `url`; `script` is a Lua file (e.g. one that rotates over several paths)."""
    args = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
            "--timeout", "10s"] + (["-s", script] if script else [])
    for name, value in (headers or {}).items():
        args += ["-H", f"{name}: {value}"]
    output = subprocess.run(args + [url], check=True, capture_output=True, text=True).stdout
    return parse(output)


def parse(output: str) -> Result:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    percentiles = dict(re.findall(r"^\s+(\d+)%\s+([\d.]+\w+)", output, re.MULTILINE))
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(match.group(1))
    if match := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                          output):
        errors += sum(int(n) for n in match.groups())
    return Result(rps, _ms(percentiles["50"]), _ms(percentiles["99"]), errors)


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(\w+)", value).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def rotating_script(paths: list[str], directory: str) -> str:
    """A Lua file for wrk that asks for `paths` in turn, on every connection."""
    quoted = ", ".join('"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"'
                       for path in paths)
    body = (f"local paths = {{{quoted}}}\nlocal n = 0\n"
            "request = function()\n  n = n + 1\n"
            "  return wrk.format('GET', paths[(n % #paths) + 1])\nend\n")
    path = f"{directory}/rotate.lua"
    with open(path, "w", encoding="utf-8") as out:
        out.write(body)
    return path
