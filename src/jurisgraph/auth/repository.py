"""Queries on users and the writes of new ones."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jurisgraph.models import User


def count_admins(session: Session) -> int:
    """Number of active admin users."""
    return session.scalar(select(func.count()).select_from(User).where(User.role == "admin")) or 0


def get_by_email(session: Session, email: str) -> User | None:
    """The user with this e-mail, if any."""
    return session.scalar(select(User).where(User.email == email))


def add_user(session: Session, user: User) -> None:
    """Insert ``user`` now (its id is set on return)."""
    session.add(user)
    session.flush()
