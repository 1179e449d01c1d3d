"""The live server on the shared sample (``sample_live``) for the tests of this folder."""

from __future__ import annotations

from tests.fixtures.live import sample_live

__all__ = ["sample_live"]
