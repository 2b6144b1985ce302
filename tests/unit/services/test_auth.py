"""Password rules, token hashing and the rate limiter (no database)."""

from __future__ import annotations

import pytest

from lantern.services import Invalid
from lantern.services.auth import hash_password, token_hash, verify_password
from lantern.services.public_reports import RateLimiter


def test_passwords_hash_and_verify() -> None:
    hashed = hash_password("correct horse battery staple")
    assert hashed.startswith("$argon2")
    assert verify_password(hashed, "correct horse battery staple")
    assert not verify_password(hashed, "Correct horse battery staple")
    assert not verify_password("not a hash", "x")


@pytest.mark.parametrize("password", ["short", "x" * 257])
def test_password_length_rules(password: str) -> None:
    with pytest.raises(Invalid):
        hash_password(password)


def test_token_hash_is_sha256_hex() -> None:
    assert len(token_hash("abc")) == 64 and token_hash("abc") != token_hash("abd")


def test_rate_limiter_window() -> None:
    limiter = RateLimiter(2, 60)
    assert limiter.hit("a", now=0) and limiter.hit("a", now=1)
    assert not limiter.hit("a", now=2)
    assert limiter.hit("b", now=2)
    assert limiter.hit("a", now=61)
