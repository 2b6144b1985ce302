"""Production password hashing stays strong even though the tests lower its cost."""

from __future__ import annotations

from argon2 import PasswordHasher

from lantern.settings import Settings

# OWASP's floor for Argon2id: 19 MiB of memory and 2 passes.
MIN_MEMORY_KIB = 19 * 1024
MIN_TIME_COST = 2


def test_defaults_meet_the_owasp_floor() -> None:
    fields = Settings.model_fields
    assert fields["password_hash_memory_kib"].default >= MIN_MEMORY_KIB
    assert fields["password_hash_time_cost"].default >= MIN_TIME_COST


def test_hashes_made_at_any_cost_still_verify() -> None:
    # A hash records its own parameters, so changing the cost never locks anyone out.
    strong = PasswordHasher(time_cost=3, memory_cost=65536).hash("a long pass phrase")
    assert PasswordHasher(time_cost=1, memory_cost=64).verify(strong, "a long pass phrase")
