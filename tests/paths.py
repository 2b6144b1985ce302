"""Where the tests find the project's shared material: `../shared` beside the clone.

Tests may read it; Lantern itself never does. LANTERN_SHARED overrides the place.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("LANTERN_SHARED", str(ROOT.parent / "shared")))
DATA = SHARED / "data"
EVAL = SHARED / "eval"
