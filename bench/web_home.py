"""The signed-in home page (HTML) against the API's home timeline (JSON), same viewer.

One server process, one run, one viewer: an active user of the dataset following about 150
accounts with a full home timeline. Measured, in this order:

1. ``api``: ``GET /api/v1/timelines/home?limit=20`` with ``Authorization: Bearer`` and
   ``Accept-Encoding: gzip, deflate`` (as Mastodon apps send it: Mastodon.py and toot through
   requests, web clients through the browser), closed loop at saturation (``wrk -t1 -c16``, a
   warm-up then the measured run): the ceiling the page is compared with, since the page reads
   the same timeline through the same services.
2. ``page``: ``GET /`` (20 posts) with the session cookie and ``Accept-Encoding: gzip, deflate,
   br``, as a browser sends it, at saturation the same way.
3. ``api (identity)`` and ``page (identity)``: both again with ``Accept-Encoding:
   identity``, so that neither pays for compression: the cost of making HTML against the cost
   of making JSON.
4. ``page (half peak, open)``: the page at half its own saturation throughput, open loop
   (``bench/openloop.py``: latency counts from the scheduled send time).
5. ``trivial (same rate)``: ``/bench/trivial`` open loop at that rate, the generator's floor.

Targets: page / api >= 0.7, compressed as clients ask and uncompressed alike, and the page's
p99 at half its peak <= 25 ms. The server is pinned to CPU 0 and the load generators to CPU 1,
as in ``bench/run.py``.

    python bench/dataset.py --out bench/out/webhome.sqlite3 --accounts 5000 --posts 100000 --force
    python bench/web_home.py --db bench/out/webhome.sqlite3 [--profile 15]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import httpx
from openloop import send_at_rate, summarise
from servers import CpuWatch, Proc, pinned, staffroom_env, start_serve, two_cpus

from staffroom.db import migrate

HERE = Path(__file__).resolve().parent
PASSWORD = "bench-password-1"  # bench/dataset.py gives every user this password
API_PATH = "/api/v1/timelines/home?limit=20"
RATIO_TARGET = 0.7
P99_TARGET_MS = 25.0


def pick_viewer(db: Path, following: int) -> dict[str, Any]:
    """The active user (one with a bearer token) whose following count is nearest ``following``
    and whose home timeline holds at least 20 posts."""
    accounts = [int(x) for x in Path(f"{db}.home_accounts.txt").read_text().split()]
    tokens = Path(f"{db}.home_tokens.txt").read_text().split()
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        best: dict[str, Any] | None = None
        for account_id, token in zip(accounts, tokens, strict=True):
            row = conn.execute(
                "SELECT a.username, a.following_count, u.email FROM accounts a "
                "JOIN users u ON u.account_id = a.id WHERE a.id = ?",
                (account_id,),
            ).fetchone()
            if row is None:
                continue
            feed = conn.execute(
                "SELECT count(*) FROM home_feed WHERE account_id = ?", (account_id,)
            ).fetchone()[0]
            if feed < 20:
                continue
            candidate = {
                "account_id": account_id,
                "username": row[0],
                "following": row[1],
                "email": row[2],
                "token": token,
                "home_feed": feed,
            }
            if best is None or abs(row[1] - following) < abs(best["following"] - following):
                best = candidate
    finally:
        conn.close()
    if best is None:
        raise SystemExit("no active user with a home timeline of 20 posts in this dataset")
    return best


def session_cookie(base: str, email: str) -> str:
    """Sign in through the web form as a browser does; the ``Cookie`` header it then sends."""
    with httpx.Client(base_url=base, follow_redirects=False, timeout=30) as client:
        page = client.get("/auth/sign_in")
        found = re.search(r'name="authenticity_token" value="([^"]+)"', page.text)
        if found is None:
            raise SystemExit("no CSRF field on the sign-in page")
        answer = client.post(
            "/auth/sign_in",
            data={"authenticity_token": found[1], "email": email, "password": PASSWORD},
        )
        if answer.status_code != 303 or "staffroom_session" not in client.cookies:
            raise SystemExit(f"sign-in failed: {answer.status_code} {answer.text[:300]}")
        return "; ".join(f"{name}={value}" for name, value in client.cookies.items())


def check(base: str, path: str, headers: dict[str, str]) -> dict[str, Any]:
    """One request: status, bytes on the wire, and for the page how many posts it shows."""
    answer = httpx.get(base + path, headers=headers, timeout=30)
    if answer.status_code != 200:
        raise SystemExit(f"{path}: {answer.status_code} {answer.text[:300]}")
    wire = int(answer.headers.get("content-length", len(answer.content)))
    facts: dict[str, Any] = {"bytes": wire, "encoding": answer.headers.get("content-encoding")}
    if "json" in answer.headers.get("content-type", ""):
        facts["posts"] = len(answer.json())
    else:
        facts["posts"] = answer.text.count("<article")
    return facts


def wrk(
    base: str, path: str, headers: dict[str, str], seconds: float, connections: int, cpu: int | None
) -> dict[str, Any]:
    """``wrk -t1 -c<connections>`` for ``seconds``: requests/s, non-2xx count, latency."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{int(seconds)}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    done = subprocess.run(
        pinned(cpu, [*command, base + path]), capture_output=True, text=True, check=True
    )
    out = done.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])  # type: ignore[index]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    total = int(re.search(r"(\d+) requests in", out)[1])  # type: ignore[index]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    return {
        "rps": rps,
        "requests": total,
        "non_2xx": int(bad[1]) if bad else 0,
        "p99_ms_closed": round(float(p99[1]) * scale[p99[2]], 2) if p99 else None,
    }


def saturate(
    server: Proc, base: str, path: str, headers: dict[str, str], args: argparse.Namespace, cpu: int
) -> dict[str, Any]:
    wrk(base, path, headers, args.warmup, args.connections, cpu)
    with CpuWatch(lambda: [("server", server.pid)]) as watch:
        result = wrk(base, path, headers, args.duration, args.connections, cpu)
    result["server_cpu_pct"] = watch.percent_of_one_core().get("server")
    if result["non_2xx"]:
        raise SystemExit(f"{path}: {result['non_2xx']} non-2xx answers under load")
    return result


def open_loop(
    server: Proc,
    base: str,
    path: str,
    headers: dict[str, str],
    rate: float,
    args: argparse.Namespace,
) -> dict[str, Any]:
    """``path`` at ``rate``/s open loop from CPU 1 (a child process, like wrk)."""
    host_port = base.removeprefix("http://")
    host, port = host_port.split(":")
    lines = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    request = f"GET {path} HTTP/1.1\r\nHost: {host_port}\r\n{lines}\r\n"
    job = {
        "host": host,
        "port": int(port),
        "request": request,
        "rate": rate,
        "duration": args.duration,
        "warmup": 3.0,
        "connections": 32,
    }
    command = [sys.executable, __file__, "--open-loop-child", json.dumps(job)]
    with CpuWatch(lambda: [("server", server.pid)]) as watch:
        done = subprocess.run(
            pinned(1 if two_cpus() else None, command), capture_output=True, text=True, check=True
        )
    result: dict[str, Any] = json.loads(done.stdout)
    result["server_cpu_pct"] = watch.percent_of_one_core().get("server")
    return result


def _open_loop_child(job: dict[str, Any]) -> None:
    run = send_at_rate(
        job["host"],
        job["port"],
        [job["request"].encode()],
        job["rate"],
        job["duration"],
        job["warmup"],
        job["connections"],
    )
    try:
        import uvloop
    except ImportError:
        out = asyncio.run(run)
    else:
        out = uvloop.run(run)
    print(json.dumps(summarise(out, job["rate"], job["duration"])))


def warm_page_cache(db: Path) -> None:
    """Read the dataset once so it is in the page cache (see bench/README.md)."""
    with db.open("rb", buffering=0) as file:
        while file.read(8 << 20):
            pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, default=HERE / "out" / "webhome.sqlite3")
    parser.add_argument("--port", type=int, default=8771)
    parser.add_argument("--following", type=int, default=150, help="pick a viewer near this")
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--profile", type=float, default=0.0, help="py-spy the page N seconds")
    parser.add_argument("--open-loop-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.open_loop_child:
        _open_loop_child(json.loads(args.open_loop_child))
        return
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install -y wrk)")
    if not args.db.is_file():
        raise SystemExit(f"no dataset at {args.db}; build one with bench/dataset.py (see --help)")

    work = Path(tempfile.mkdtemp(prefix="webhome-"))
    db = work / "bench.sqlite3"
    shutil.copyfile(args.db, db)  # the sign-in and the first reads write; keep the original
    for suffix in (".home_accounts.txt", ".home_tokens.txt"):
        shutil.copyfile(f"{args.db}{suffix}", f"{db}{suffix}")
    migrate(f"sqlite:///{db}")
    viewer = pick_viewer(db, args.following)
    warm_page_cache(db)

    base = f"http://127.0.0.1:{args.port}"
    env = staffroom_env(f"sqlite:///{db}", base, work)
    server_cpu = 0 if two_cpus() else None
    load_cpu = 1 if two_cpus() else None
    server = start_serve("web", env, args.port, server_cpu, work)
    try:
        cookie = session_cookie(base, viewer["email"])
        page_headers = {
            "Cookie": cookie,
            "Accept": "text/html,application/xhtml+xml",
            "Accept-Encoding": "gzip, deflate, br",
            "Accept-Language": "en",
        }
        api_headers = {
            "Authorization": f"Bearer {viewer['token']}",
            "Accept": "application/json",
            "Accept-Encoding": "gzip, deflate",
        }
        plain_page = page_headers | {"Accept-Encoding": "identity"}
        plain_api = api_headers | {"Accept-Encoding": "identity"}
        facts = {
            "page": check(base, "/", page_headers),
            "api": check(base, API_PATH, api_headers),
            "page (identity)": check(base, "/", plain_page),
            "api (identity)": check(base, API_PATH, plain_api),
        }
        print(f"viewer @{viewer['username']}: following {viewer['following']}, "
              f"home_feed {viewer['home_feed']}; {json.dumps(facts)}", flush=True)  # fmt: skip

        rows: dict[str, dict[str, Any]] = {}
        rows["api"] = saturate(server, base, API_PATH, api_headers, args, load_cpu or 0)
        rows["page"] = saturate(server, base, "/", page_headers, args, load_cpu or 0)
        rows["api (identity)"] = saturate(server, base, API_PATH, plain_api, args, load_cpu or 0)
        rows["page (identity)"] = saturate(server, base, "/", plain_page, args, load_cpu or 0)
        half = round(rows["page"]["rps"] / 2, 1)
        rows["page (half peak, open)"] = open_loop(server, base, "/", page_headers, half, args)
        rows["trivial (same rate)"] = open_loop(server, base, "/bench/trivial", {}, half, args)

        if args.profile:
            from profiling import profile_endpoint

            def load(seconds: float) -> dict[str, Any]:
                result = wrk(base, "/", page_headers, seconds, args.connections, load_cpu)
                result["ok_rps"] = result["rps"]
                return result

            profile = profile_endpoint(server.pid, load, args.profile, work / "page-profile")
            print(json.dumps(profile, indent=1)[:6000])
    finally:
        server.stop()

    ratio = rows["page"]["rps"] / rows["api"]["rps"]
    plain_ratio = rows["page (identity)"]["rps"] / rows["api (identity)"]["rps"]
    p99 = float(rows["page (half peak, open)"]["latency_ms"]["p99"])
    print(f"\n{'row':<24} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'server CPU %':>13}")
    for name, row in rows.items():
        lat = row.get("latency_ms")
        rps = row.get("rps", row.get("achieved_rate"))
        p50 = f"{lat['p50']:.2f}" if lat else "-"
        p99_text = f"{lat['p99']:.2f}" if lat else f"({row['p99_ms_closed']})"
        print(f"{name:<24} {rps:>9} {p50:>8} {p99_text:>8} {row['server_cpu_pct']!s:>13}")
    print(f"\npage bytes {facts['page']['bytes']} ({facts['page']['encoding']}), "
          f"api bytes {facts['api']['bytes']} ({facts['api']['encoding']}); "
          f"uncompressed {facts['page (identity)']['bytes']} and "
          f"{facts['api (identity)']['bytes']}")  # fmt: skip
    print(f"page/api = {ratio:.3f} compressed, {plain_ratio:.3f} uncompressed")
    ok_ratio = min(ratio, plain_ratio) >= RATIO_TARGET
    ok_p99 = p99 <= P99_TARGET_MS
    verdict = "PASS" if ok_ratio and ok_p99 else "FAIL"
    print(
        f"VERDICT {verdict}: page/api {ratio:.2f} compressed, {plain_ratio:.2f} uncompressed "
        f"(target >= {RATIO_TARGET}) "
        f"{'ok' if ok_ratio else 'missed'}; page p99 at {half}/s open loop {p99:.1f} ms "
        f"(target <= {P99_TARGET_MS:.0f}) {'ok' if ok_p99 else 'missed'}"
    )
    (work / "result.json").write_text(json.dumps({"viewer": viewer | {"token": "-"}, **rows}))
    print(f"details: {work / 'result.json'}; server log: {work}")


if __name__ == "__main__":
    main()
