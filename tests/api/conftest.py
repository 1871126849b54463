"""Counts the requests the schemathesis run sends, and prints the count in the summary."""

from __future__ import annotations

from collections import Counter

import pytest

REQUESTS: Counter[str] = Counter()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if REQUESTS:
        total = sum(REQUESTS.values())
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(REQUESTS.items()))
        terminalreporter.write_line(f"schemathesis: {total} requests ({statuses})")
