"""``python -m staffroom`` is the command people run."""

from __future__ import annotations

import subprocess
import sys


def test_module_help_lists_every_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "staffroom", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    listed = {
        line.split()[0] for line in result.stdout.split("Commands:")[1].splitlines() if line.strip()
    }
    assert {"serve", "migrate", "createuser", "demo"} <= listed
