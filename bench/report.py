"""Machine facts, the targets, and the printed table of a benchmark run."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

# The acceptance targets.
HOME_VS_RAW_MIN = 0.5
HOME_P99_MAX_MS = 20.0
POSTS_PER_SECOND_MIN = 500.0


def machine_facts() -> dict[str, Any]:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = ""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            memory = f"{int(line.split()[1]) // 1024} MiB"
            break
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.splitlines()
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory": memory,
        "load_average": os.getloadavg(),
        "wrk": wrk[0] if wrk else "",
    }


def _ms(result: dict[str, Any], key: str) -> float:
    if "latency_ms" in result:
        return float(result["latency_ms"][key])
    return float(result["latency_us"][key]) / 1000


def evaluate(results: dict[str, Any]) -> dict[str, Any]:
    """Ratios and pass/fail per target (``None`` where a figure is missing)."""
    out: dict[str, Any] = {}
    trivial, raw, home = results.get("trivial"), results.get("raw_home"), results.get("home")
    if home and raw:
        ratio = home["ok_rps"] / raw["ok_rps"]
        out["home_vs_raw"] = {"ratio": round(ratio, 3), "target": f">= {HOME_VS_RAW_MIN}",
                              "pass": ratio >= HOME_VS_RAW_MIN}  # fmt: skip
    if home and trivial:
        out["home_vs_trivial"] = {"ratio": round(home["ok_rps"] / trivial["ok_rps"], 3)}
    if raw and trivial:
        out["raw_vs_trivial"] = {"ratio": round(raw["ok_rps"] / trivial["ok_rps"], 3)}
    fixed = results.get("home_fixed")
    if fixed:
        p99 = _ms(fixed, "p99")
        complete = fixed["ok"] == fixed["requests"] and not fixed["errors"]
        out["home_p99_at_half_peak"] = {
            "p99_ms": p99, "rate": fixed["target_rate"], "target": f"<= {HOME_P99_MAX_MS} ms",
            "pass": p99 <= HOME_P99_MAX_MS and complete,
        }  # fmt: skip
    post = results.get("post")
    if post:
        rate = min(post["ok_rps"], post.get("delivered_rps", post["ok_rps"]))
        out["posts_per_second"] = {
            "acknowledged": post["ok_rps"], "delivered": post.get("delivered_rps"),
            "target": f">= {POSTS_PER_SECOND_MIN}",
            "pass": rate >= POSTS_PER_SECOND_MIN and post["all_landed"],
            "all_landed": post["all_landed"],
            "fan_out_rows_per_post": round(
                post["landed"]["feed_rows"] / max(1, post["landed"]["posts"]), 1
            ),
            "followers_per_post": round(
                post["landed"].get("followers", 0) / max(1, post["landed"]["posts"]), 1
            ),
        }  # fmt: skip
    return out


def _row(name: str, result: dict[str, Any] | None) -> str:
    if not result:
        return f"{name:<22}{'(not measured)':>12}"
    rate = result.get("ok_rps", result.get("achieved_rate"))
    errors = result.get("errors")
    if isinstance(errors, dict):
        errors = sum(errors.values())
    disk = result.get("usage", {})
    usage = f"{disk['cpu_percent']:>8.0f}{disk['read_mib']:>10,.1f}" if disk else ""
    return (
        f"{name:<22}{rate:>12,.1f}{_ms(result, 'p50'):>10.2f}{_ms(result, 'p99'):>10.2f}"
        f"{_ms(result, 'max'):>10.2f}{errors:>8}{usage}"
    )


def print_table(record: dict[str, Any]) -> None:
    results = record["results"]
    print()
    widths = "".join(f"{h:>10}" for h in ("p50 ms", "p99 ms", "max ms"))
    print(f"{'measurement':<22}{'req/s':>12}{widths}{'errors':>8}{'CPU %':>8}{'read MiB':>10}")
    print(_row("trivial (ceiling)", results.get("trivial")))
    print(_row("raw_home (ceiling)", results.get("raw_home")))
    print(_row("home (peak)", results.get("home")))
    print(_row("home (half peak, open)", results.get("home_fixed")))
    print(_row("trivial (same rate)", results.get("trivial_fixed")))
    print(_row("post", results.get("post")))
    print()
    for name, verdict in record["evaluation"].items():
        shown = {k: v for k, v in verdict.items() if k != "pass"}
        mark = "" if "pass" not in verdict else ("PASS" if verdict["pass"] else "FAIL")
        print(f"{name:<24}{shown}  {mark}")
    for key in ("home_profile", "post_profile"):
        profile = results.get(key)
        if profile and "error" not in profile:
            print(f"\n{key} ({profile['samples']} samples), top self time:")
            for name, share in profile["self_percent"][:15]:
                print(f"  {share:5.1f}%  {name}")
            print("by package (self):")
            for name, share in profile["self_percent_by_package"][:12]:
                print(f"  {share:5.1f}%  {name}")
        elif profile:
            print(f"\n{key}: {profile['error']}")
