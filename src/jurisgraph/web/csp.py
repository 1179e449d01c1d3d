"""The Content Security Policy the pages are written for: scripts and styles from this origin
only (no inline script, no inline style), no framing. The header itself is set on every
response by :class:`jurisgraph.middleware.guards.SecurityHeaders` (with the other security
headers); a test keeps the two equal."""

from __future__ import annotations

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
