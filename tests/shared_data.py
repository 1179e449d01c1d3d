"""Where the real STJ files shipped beside the project are: ``../shared/data/stj`` from the repository.

``JURISGRAPH_STJ_DATA`` overrides it.
"""

from __future__ import annotations

import os
from pathlib import Path

SHARED_DATA = Path(
    os.environ.get("JURISGRAPH_STJ_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data" / "stj"
)
