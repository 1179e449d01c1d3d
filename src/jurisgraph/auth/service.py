"""User accounts: the first admin and password checks."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from jurisgraph.auth import repository
from jurisgraph.auth.passwords import generate_password, hash_password
from jurisgraph.db import Session
from jurisgraph.models import User


@dataclass(frozen=True)
class AdminBootstrap:
    """Outcome of :func:`ensure_admin`: the generated password is shown once, never stored."""

    created: bool
    email: str
    generated_password: str | None


def ensure_admin(session: Session, *, email: str, password: str | None) -> AdminBootstrap:
    """Create an admin when none exists, with ``password`` or a generated one."""
    if repository.count_admins(session) > 0:
        return AdminBootstrap(created=False, email=email, generated_password=None)
    generated = None if password else generate_password()
    user = User(
        open_id=f"local:{uuid.uuid4().hex}",
        name="Administrador",
        email=email,
        login_method="password",
        role="admin",
        password_hash=hash_password(password or generated or ""),
    )
    repository.add_user(session, user)
    return AdminBootstrap(created=True, email=email, generated_password=generated)
