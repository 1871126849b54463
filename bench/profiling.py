"""Where the server spends its time under load: py-spy samples summarised by function/package.

``py-spy`` must be installed (``pip install py-spy``); it samples at 250 Hz, pausing the server
for each sample (non-blocking sampling tears about a third of the stacks), so figures measured
while profiling are not the benchmark's figures.
"""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

_FRAME = re.compile(r"^(?P<func>.*) \((?P<path>[^()]*)\)$")
# Leaves that mean "this thread is waiting" (e.g. the jobs worker between polls); py-spy counts
# timed waits as active, so they are left out of the shares.
_WAITING = ("Condition.wait (threading.py)", "Event.wait (threading.py)")


def _py_spy() -> str | None:
    beside = Path(sys.executable).with_name("py-spy")
    return str(beside) if beside.exists() else shutil.which("py-spy")


def package_of(path: str) -> str:
    """``.../site-packages/sqlalchemy/engine/base.py`` -> ``sqlalchemy``; ours keep the file."""
    if "site-packages/" in path:
        return path.split("site-packages/", 1)[1].split("/", 1)[0].removesuffix(".py")
    if "staffroom/" in path:
        return "staffroom/" + path.split("staffroom/", 1)[1]
    if "/lib/python" in path:
        return "stdlib:" + path.rsplit("/", 1)[-1]
    return path


def summarise_folded(text: str, top: int = 25) -> dict[str, Any]:
    """Self and inclusive sample shares per function, and self share per package."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    packages: Counter[str] = Counter()
    total = 0
    for line in text.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = stack.split(";")
        if frames[-1] in _WAITING:
            continue
        total += count
        own[frames[-1]] += count
        for frame in set(frames):
            inclusive[frame] += count
        match = _FRAME.match(frames[-1])
        packages[package_of(match["path"]) if match else frames[-1]] += count

    def shares(counter: Counter[str]) -> list[tuple[str, float]]:
        return [(name, round(100 * n / total, 1)) for name, n in counter.most_common(top)]

    return {
        "samples": total,
        "self_percent": shares(own) if total else [],
        "inclusive_percent": shares(inclusive) if total else [],
        "self_percent_by_package": shares(packages) if total else [],
    }


def profile_endpoint(
    pid: int,
    load: Callable[[float], dict[str, Any]],
    seconds: float,
    prefix: Path,
    *,
    idle: bool = False,
) -> dict[str, Any]:
    """Sample ``pid`` with py-spy while ``load(seconds)`` drives it; summarise the samples.

    ``idle=True`` keeps samples of threads waiting (I/O, locks, the event loop's poll), which
    shows where a request waits rather than computes.
    """
    spy = _py_spy()
    if spy is None:
        return {"error": "py-spy is not installed (pip install py-spy)"}
    folded = prefix.with_suffix(".folded")
    print(f"-- profile: py-spy on pid {pid} for {seconds:.0f}s", flush=True)
    recorder = subprocess.Popen(
        [spy, "record", "--pid", str(pid), "--duration", str(int(seconds) + 1), "--rate", "250",
         "--nolineno", "--format", "raw", "--output", str(folded),
         *(["--idle"] if idle else [])],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    load_result = load(seconds)
    _, errors = recorder.communicate(timeout=seconds + 60)
    if recorder.returncode != 0 or not folded.exists():
        return {"error": f"py-spy failed: {errors.strip()[-500:]}"}
    summary = summarise_folded(folded.read_text())
    summary["rps_while_profiling"] = load_result.get("ok_rps")
    summary["folded_stacks"] = str(folded)
    return summary


class Recording:
    """A py-spy recording of a process until :meth:`finish` (for runs of unknown length)."""

    def __init__(self, pid: int, prefix: Path, idle: bool = False) -> None:
        self.folded = prefix.with_suffix(".folded")
        spy = _py_spy()
        self.proc = None if spy is None else subprocess.Popen(
            [spy, "record", "--pid", str(pid), "--rate", "250", "--nolineno", "--format", "raw",
             "--output", str(self.folded), *(["--idle"] if idle else [])],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip

    def finish(self) -> dict[str, Any]:
        """Stop recording (SIGINT makes py-spy write its file) and summarise the samples."""
        if self.proc is None:
            return {"error": "py-spy is not installed (pip install py-spy)"}
        self.proc.send_signal(signal.SIGINT)
        _, errors = self.proc.communicate(timeout=60)
        if not self.folded.exists():
            return {"error": f"py-spy failed: {errors.strip()[-500:]}"}
        summary = summarise_folded(self.folded.read_text())
        summary["folded_stacks"] = str(self.folded)
        return summary


def start_recording(pid: int, prefix: Path, idle: bool = False) -> Recording:
    return Recording(pid, prefix, idle)
