"""Media upload and processing throughput against Pillow's own work on the same photo.

    python bench/media_upload.py [--duration 20] [--rounds 3]

One run, one machine, the same file (``bench/phone_photo.py``: a 4032x3024 JPEG of about
3 MB with EXIF GPS and orientation 6), the same parallelism (one worker per core):

1. ``ceiling``: :func:`phone_photo.pillow_ceiling` (decode, orient, scale to the original's
   and the preview's pixel limits, encode both) in a pool of ``--workers`` threads (Pillow
   releases the GIL while it decodes, resizes and encodes), for ``--duration`` seconds.
2. ``upload``: ``POST /api/v1/media`` (multipart, the photo as ``image/jpeg``) to a real
   ``staffroom serve`` process from ``--workers`` clients, each sending its next upload when
   the previous one is answered, for ``--duration`` seconds; every answer must be 200 with a
   ``url``. v1 is used because it processes in the request on the server's thread pool, so
   its throughput is the pipeline's; v2 hands the same work to the ``process_media`` job,
   whose throughput is the job runner's thread count (one in the web process) and whose
   completion a client only sees by polling.

Both are repeated ``--rounds`` times, alternating, and the verdict takes the median of each.
Target: upload >= 0.8 x ceiling (images/s). Neither the server nor the ceiling is pinned:
both use every core, as the workers are one per core.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from phone_photo import phone_photo, pillow_ceiling
from servers import Proc, cpu_seconds, load_average, staffroom_env, start_serve, uptime

from staffroom.db import migrate

HERE = Path(__file__).resolve().parent
TARGET = 0.8


def ceiling(data: bytes, workers: int, seconds: float) -> tuple[float, float]:
    """Images/s of :func:`pillow_ceiling` with ``workers`` threads for ``seconds``, and the
    CPU seconds per image."""
    done = 0
    cpu = time.process_time()
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def loop() -> None:
        nonlocal done
        while time.monotonic() < stop:
            pillow_ceiling(data)
            with lock:
                done += 1

    started = time.monotonic()
    with ThreadPoolExecutor(workers) as pool:
        for future in [pool.submit(loop) for _ in range(workers)]:
            future.result()
    return done / (time.monotonic() - started), (time.process_time() - cpu) / max(done, 1)


def uploads(
    server: Proc, tokens: list[str], data: bytes, workers: int, seconds: float
) -> tuple[float, float]:
    """Uploads/s through ``POST /api/v1/media`` from ``workers`` closed-loop clients, and the
    server's CPU seconds per upload."""
    done = 0
    base = server.url
    cpu = cpu_seconds(server.pid)
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def loop(token: str) -> None:
        nonlocal done
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, timeout=60, headers=headers) as client:
            while time.monotonic() < stop:
                answer = client.post(
                    "/api/v1/media",
                    files={"file": ("IMG_0001.jpg", data, "image/jpeg")},
                    data={"description": "A photo"},
                )
                if answer.status_code != 200 or not answer.json().get("url"):
                    raise SystemExit(f"upload: {answer.status_code} {answer.text[:300]}")
                with lock:
                    done += 1

    started = time.monotonic()
    with ThreadPoolExecutor(workers) as pool:
        futures = [pool.submit(loop, tokens[i % len(tokens)]) for i in range(workers)]
        for future in futures:
            future.result()
    return done / (time.monotonic() - started), (cpu_seconds(server.pid) - cpu) / max(done, 1)


def make_database(work: Path) -> tuple[Path, list[str]]:
    """A small dataset (bench/dataset.py) for its accounts and bearer tokens."""
    db = work / "media.sqlite3"
    subprocess.run(
        [sys.executable, str(HERE / "dataset.py"), "--out", str(db), "--accounts", "400",
         "--posts", "2000", "--active", "20", "--posters", "10", "--force"],
        check=True, capture_output=True,
    )  # fmt: skip
    migrate(f"sqlite:///{db}")
    return db, Path(f"{db}.post_tokens.txt").read_text().split()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8781)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=len(__import__("os").sched_getaffinity(0)))
    args = parser.parse_args()

    data = phone_photo()
    work = Path(tempfile.mkdtemp(prefix="media-upload-"))
    db, tokens = make_database(work)
    base = f"http://127.0.0.1:{args.port}"
    env = staffroom_env(f"sqlite:///{db}", base, work)
    print(f"photo: 4032x3024 JPEG, {len(data):,} bytes; workers {args.workers}; {uptime()}")
    server = start_serve("web", env, args.port, None, work)
    rows: dict[str, list[float]] = {
        k: [] for k in ("ceiling", "upload", "ceiling_cpu", "upload_cpu")
    }
    try:
        ceiling(data, args.workers, args.warmup)
        uploads(server, tokens, data, args.workers, args.warmup)
        for round_ in range(args.rounds):
            for name, (rate, cpu) in (
                ("ceiling", ceiling(data, args.workers, args.duration)),
                ("upload", uploads(server, tokens, data, args.workers, args.duration)),
            ):
                rows[name].append(rate)
                rows[f"{name}_cpu"].append(cpu)
            print(
                f"round {round_ + 1}: ceiling {rows['ceiling'][-1]:.2f} images/s "
                f"({rows['ceiling_cpu'][-1]:.3f} CPU s each), upload {rows['upload'][-1]:.2f} "
                f"images/s ({rows['upload_cpu'][-1]:.3f} server CPU s each), "
                f"ratio {rows['upload'][-1] / rows['ceiling'][-1]:.3f}; load {load_average()}",
                flush=True,
            )
    finally:
        server.stop()
    ceiling_rate = statistics.median(rows["ceiling"])
    upload_rate = statistics.median(rows["upload"])
    ratios = [u / c for u, c in zip(rows["upload"], rows["ceiling"], strict=True)]
    ratio = upload_rate / ceiling_rate
    verdict = "PASS" if ratio >= TARGET else "FAIL"
    print(
        f"VERDICT {verdict}: upload {upload_rate:.2f} images/s / ceiling {ceiling_rate:.2f} "
        f"images/s = {ratio:.3f} (target >= {TARGET}); per-round ratios "
        f"{min(ratios):.3f}-{max(ratios):.3f}; CPU seconds per image: ceiling "
        f"{statistics.median(rows['ceiling_cpu']):.3f}, server "
        f"{statistics.median(rows['upload_cpu']):.3f}"
    )
    (work / "result.json").write_text(json.dumps(rows | {"ratio": ratio}))
    print(f"details: {work / 'result.json'}; server log: {work}")


if __name__ == "__main__":
    main()
