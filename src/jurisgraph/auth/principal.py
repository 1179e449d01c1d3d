"""Who is calling: an anonymous visitor, or a user signed in by cookie, bearer token or API key, or
named on the command line of a local process (``local``: ``jurisgraph mcp --user``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Role = Literal["anonymous", "user", "admin"]
Via = Literal["anonymous", "cookie", "bearer", "api_key", "local"]


@dataclass(frozen=True)
class Principal:
    """The caller of a request or command."""

    user_id: int | None
    email: str | None
    role: Role
    via: Via

    @property
    def is_authenticated(self) -> bool:
        """True for a signed-in user (any role but anonymous)."""
        return self.user_id is not None and self.role != "anonymous"

    @property
    def is_admin(self) -> bool:
        """True for a signed-in admin."""
        return self.is_authenticated and self.role == "admin"


ANONYMOUS = Principal(user_id=None, email=None, role="anonymous", via="anonymous")
