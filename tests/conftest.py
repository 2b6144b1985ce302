"""Settings for the whole test suite, applied before Lantern is imported.

Argon2 at production cost takes a large share of a second per password check;
the tests sign in thousands of times, so they use the smallest cost Argon2
allows. Production keeps the defaults (see README, Settings).
"""

from __future__ import annotations

import os

os.environ.setdefault("LANTERN_PASSWORD_HASH_TIME_COST", "1")
os.environ.setdefault("LANTERN_PASSWORD_HASH_MEMORY_KIB", "64")
