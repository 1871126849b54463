"""Settings, read once from the environment (``STAFFROOM_*``)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path

_TRUE = {"1", "true", "yes", "on"}


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    return default if raw is None else raw.strip().lower() in _TRUE


@dataclass(frozen=True, slots=True)
class RateLimits:
    """Requests allowed per window (Mastodon's defaults: 300 per 5 minutes per token/IP)."""

    enabled: bool = True
    per_token: int = 300
    per_ip: int = 300
    window_seconds: int = 300
    sign_ups_per_ip: int = 5
    sign_up_window_seconds: int = 1800


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable about one Staffroom instance."""

    data_dir: Path
    database_url: str
    base_url: str
    instance_title: str = "Staffroom"
    instance_description: str = "The biggest staffroom in the world."
    contact_email: str = ""
    max_status_chars: int = 140
    url_length: int = 23
    registrations_open: bool = True
    password_grant: bool = True
    secret_key: str = field(default="", repr=False)
    redis_url: str | None = None
    # Where background jobs run: "thread" (inside the web process), "external"
    # (``staffroom worker`` processes) or "inline" (right after the commit; tests).
    jobs_mode: str = "thread"
    # Redis timelines: followers active within this many days get posts written into their
    # timelines; accounts with at least this many followers are merged in at read time.
    active_days: int = 14
    large_account_followers: int = 10_000
    # Timelines written per fan-out transaction (each batch commits; a crash resumes safely).
    fanout_batch: int = 1000
    # Database connections per process. PostgreSQL: a fixed pool (no overflow: opening and
    # closing backends under load cost more than waiting for a pooled one).
    db_pool_size: int = 16
    rate_limits: RateLimits = field(default_factory=RateLimits)
    # Request bodies: refused with 413 past these sizes, before anything reads them.
    max_body_bytes: int = 2 * 1024 * 1024
    max_upload_bytes: int = 4 * 1024 * 1024  # multipart/form-data (avatars, headers)
    # Media attachments (images): larger files are refused with 422; multipart bodies of
    # media uploads may be this large (plus the form's own bytes) before a 413.
    max_image_bytes: int = 16 * 1024 * 1024
    # Media in S3-compatible object storage instead of the data directory (``media/s3.py``):
    # the bucket, where objects are read from publicly, and the service's address and region.
    s3_bucket: str | None = None
    s3_public_url: str | None = None
    s3_endpoint_url: str | None = None
    s3_region: str | None = None
    # Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (addresses or
    # networks). None by default: a client's own headers never choose its rate-limit bucket.
    trusted_proxies: tuple[str, ...] = ()
    # The directory's fields (``services/directory_fields.py``): a JSON file replacing the
    # default set for teachers (subject, level, country, languages, role).
    directory_fields_file: Path | None = None
    # Transcripts fetch the titles of shared links; private, loopback and link-local
    # addresses are refused unless this is on (tests fetch from a local server).
    fetch_private_links: bool = False

    @property
    def domain(self) -> str:
        """The host[:port] clients use, as in ``/api/v1/instance`` ``uri``."""
        return self.base_url.split("://", 1)[1].rstrip("/")

    @property
    def s3_public_origin(self) -> str | None:
        """The scheme and host media are read from when they live in object storage."""
        if not self.s3_bucket:
            return None
        url = self.s3_public_url or self.s3_endpoint_url or "https://s3.amazonaws.com"
        scheme, _, rest = url.partition("://")
        return f"{scheme}://{rest.split('/', 1)[0]}"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def with_overrides(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Build settings from ``STAFFROOM_*`` variables; ``overrides`` win."""
        data_dir = Path(os.environ.get("STAFFROOM_DATA_DIR", "data")).resolve()
        database_url = os.environ.get("STAFFROOM_DATABASE_URL") or (
            f"sqlite:///{data_dir / 'staffroom.sqlite3'}"
        )
        base_url = os.environ.get("STAFFROOM_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
        limits = RateLimits(enabled=_flag("STAFFROOM_RATE_LIMITS", True))
        settings = cls(
            data_dir=data_dir,
            database_url=database_url,
            base_url=base_url,
            instance_title=os.environ.get("STAFFROOM_TITLE", "Staffroom"),
            contact_email=os.environ.get("STAFFROOM_CONTACT_EMAIL", ""),
            max_status_chars=int(os.environ.get("STAFFROOM_MAX_STATUS_CHARS", "140")),
            registrations_open=_flag("STAFFROOM_REGISTRATIONS_OPEN", True),
            password_grant=_flag("STAFFROOM_PASSWORD_GRANT", True),
            secret_key=os.environ.get("STAFFROOM_SECRET_KEY", ""),
            redis_url=os.environ.get("STAFFROOM_REDIS_URL") or None,
            jobs_mode=os.environ.get("STAFFROOM_JOBS", "thread"),
            large_account_followers=int(
                os.environ.get("STAFFROOM_LARGE_ACCOUNT_FOLLOWERS", "10000")
            ),
            fanout_batch=max(1, int(os.environ.get("STAFFROOM_FANOUT_BATCH", "1000"))),
            active_days=max(1, int(os.environ.get("STAFFROOM_ACTIVE_DAYS", "14"))),
            db_pool_size=max(1, int(os.environ.get("STAFFROOM_DB_POOL", "16"))),
            rate_limits=limits,
            max_body_bytes=max(1024, int(os.environ.get("STAFFROOM_MAX_BODY_BYTES", 2 << 20))),
            max_upload_bytes=max(1024, int(os.environ.get("STAFFROOM_MAX_UPLOAD_BYTES", 4 << 20))),
            max_image_bytes=max(1024, int(os.environ.get("STAFFROOM_MAX_IMAGE_BYTES", 16 << 20))),
            s3_bucket=os.environ.get("STAFFROOM_S3_BUCKET") or None,
            s3_public_url=os.environ.get("STAFFROOM_S3_PUBLIC_URL") or None,
            s3_endpoint_url=os.environ.get("STAFFROOM_S3_ENDPOINT_URL") or None,
            s3_region=os.environ.get("STAFFROOM_S3_REGION") or None,
            directory_fields_file=(
                Path(os.environ["STAFFROOM_DIRECTORY_FIELDS"]).resolve()
                if os.environ.get("STAFFROOM_DIRECTORY_FIELDS")
                else None
            ),
            fetch_private_links=_flag("STAFFROOM_FETCH_PRIVATE_LINKS", False),
            trusted_proxies=tuple(
                part.strip()
                for part in os.environ.get("STAFFROOM_TRUSTED_PROXIES", "").split(",")
                if part.strip()
            ),
        )
        if overrides:
            settings = replace(settings, **overrides)  # type: ignore[arg-type]
        if not settings.secret_key:
            settings = replace(settings, secret_key=_load_or_create_secret(settings.data_dir))
        return settings


def _load_or_create_secret(data_dir: Path) -> str:
    """Keep a random signing key in the data directory so restarts keep sessions valid."""
    path = data_dir / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        path.write_text(key)
        path.chmod(0o600)
        return key
