"""``staffroom serve | migrate | createuser | demo``."""

from __future__ import annotations

import click

from staffroom.config import Settings
from staffroom.db import migrate as run_migrations
from staffroom.extras import StartupProblem, check_engines, check_reachable


@click.group()
def cli() -> None:
    """Staffroom: microblogging for professional learning networks."""


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int, help="Web processes.")
@click.option("--base-url", default=None, help="Public URL (default http://HOST:PORT).")
@click.option("--demo", is_flag=True, help="Fill an empty instance with demo data first.")
@click.option("--no-migrate", is_flag=True, help="Do not apply migrations at start-up.")
def serve(
    host: str, port: int, workers: int, base_url: str | None, demo: bool, no_migrate: bool
) -> None:
    """Run the web server (migrating the database first)."""
    import ipaddress
    import os

    import uvicorn

    if base_url is None and "STAFFROOM_BASE_URL" not in os.environ:
        os.environ["STAFFROOM_BASE_URL"] = f"http://{host}:{port}"
    elif base_url is not None:
        os.environ["STAFFROOM_BASE_URL"] = base_url
    settings = Settings.from_env()
    check_reachable(settings)
    os.environ.setdefault("STAFFROOM_SECRET_KEY", settings.secret_key)
    if workers > 1 and not settings.redis_url:
        click.echo(
            "warning: with several web processes, set STAFFROOM_REDIS_URL so that streaming "
            "events reach clients on every process",
            err=True,
        )
    _check_port_free(host, port)
    for proxy in settings.trusted_proxies:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            raise click.ClickException(
                f"STAFFROOM_TRUSTED_PROXIES: {proxy!r} is not an IP address or network"
            ) from None
    if not no_migrate:
        run_migrations(settings.database_url)
    if demo:
        from staffroom.cli.demo import fill_demo

        fill_demo(settings, only_if_empty=True)
    click.echo(f"Staffroom is running at {settings.base_url}  (database: {settings.database_url})")
    if demo:
        from staffroom.cli.demo import demo_accounts_present, print_demo_logins

        if demo_accounts_present(settings):
            print_demo_logins()
        else:
            click.echo("(--demo added nothing: this instance already had its own accounts.)")
    click.echo("Press Ctrl+C to stop.")
    uvicorn.run(
        "staffroom.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
        # Forwarded headers count only from the proxies the settings name (none by default).
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=",".join(settings.trusted_proxies) or None,
        server_header=False,
        timeout_graceful_shutdown=5,  # open event streams must not block a restart
        # websockets' sans-I/O protocol without per-message compression keeps an idle
        # streaming connection under 30 KiB (measured, docs/PERFORMANCE.md).
        ws="websockets-sansio",
        ws_per_message_deflate=False,
    )


def _check_port_free(host: str, port: int) -> None:
    """Fail in one line, before any work, when another program already listens there."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise click.ClickException(f"cannot use host {host!r}: {exc.strerror}") from exc
    family, _, _, _, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise click.ClickException(
                f"cannot listen on {host}:{port} ({exc.strerror}); "
                "pick another port with --port, e.g. --port 8080"
            ) from exc


@cli.command()
@click.option("--threads", default=1, show_default=True, type=int, help="Worker threads.")
def worker(threads: int) -> None:
    """Run background jobs (fan-out, notifications, streams) beside the web processes."""
    import asyncio
    import signal
    import threading

    from staffroom.runtime import Runtime

    settings = Settings.from_env(jobs_mode="external")
    check_reachable(settings)
    rt = Runtime.build(settings)
    asyncio.run(rt.broker.start())
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    from staffroom.jobs.worker import Worker

    workers = [Worker(rt) for _ in range(max(1, threads))]
    for w in workers:
        w.start_thread()
    click.echo(f"Staffroom worker running {len(workers)} thread(s) on {settings.database_url}")
    stop.wait()
    for w in workers:
        w.stop()
    rt.close()


@cli.command()
@click.option("--retry", "retry_id", type=int, default=None, help="Requeue a failed job.")
def jobs(retry_id: int | None) -> None:
    """Show pending and failed background jobs (and requeue a failed one)."""
    from staffroom.db import create_database
    from staffroom.jobs import queue

    settings = Settings.from_env()
    check_engines(settings)
    db = create_database(settings.database_url)
    try:
        if retry_id is not None:
            if not db.write(queue.retry, retry_id):
                raise click.ClickException(f"No failed job {retry_id}")
            click.echo(f"Job {retry_id} queued again.")
            return
        counts = db.read(queue.counts)
        click.echo(f"pending: {counts['pending']}  failed: {counts['failed']}")
        for row in db.read(queue.failed):
            last_line = (row.last_error or "").strip().splitlines()[-1:] or [""]
            click.echo(f"{row.id}  {row.kind}  attempts={row.attempts}  {last_line[0]}")
    finally:
        db.dispose()


@cli.command()
def migrate() -> None:
    """Apply database migrations."""
    settings = Settings.from_env()
    check_engines(settings)
    run_migrations(settings.database_url)
    click.echo("Database is up to date.")


def main() -> None:
    from staffroom.cli import demo, users

    cli.add_command(users.createuser)
    cli.add_command(demo.demo)
    try:
        cli()
    except StartupProblem as exc:
        click.echo(f"Error: {exc}", err=True)
        raise SystemExit(1) from None
