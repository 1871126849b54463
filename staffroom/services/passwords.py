"""Password rules and hashing (argon2id).

Rules: at least 8 characters, at most 1,024 (we refuse rather than silently truncate), and not
one of the most common passwords.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from staffroom.messages import N_, T_

MIN_LENGTH = 8
MAX_LENGTH = 1024
_hasher = PasswordHasher()


@lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    path = Path(__file__).with_name("common_passwords.txt")
    return frozenset(line.strip().lower() for line in path.read_text().splitlines() if line.strip())


def password_problem(password: str) -> str | None:
    """Why ``password`` is unacceptable, or ``None`` if it is fine."""
    if len(password) < MIN_LENGTH:
        return T_("Password is too short (minimum is %(count)s characters)", count=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return T_("Password is too long (maximum is %(count)s characters)", count=MAX_LENGTH)
    if password.lower() in _common():
        return N_("Password is one of the most common passwords; please choose another")
    return None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


_DUMMY = _hasher.hash("staffroom-timing-equaliser")


def burn_verify_time() -> None:
    """Spend the time of one verification, so unknown e-mails cannot be told apart by timing."""
    verify_password(_DUMMY, "not-the-password")
