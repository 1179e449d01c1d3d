"""Queries on users and API keys and the writes of new ones."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jurisgraph.models import ApiKey, User


def count_admins(session: Session) -> int:
    """Number of active admin users."""
    return (
        session.scalar(
            select(func.count()).select_from(User).where(User.role == "admin", User.is_active.is_(True))
        )
        or 0
    )


def get(session: Session, user_id: int) -> User | None:
    """The user with this id, if any."""
    return session.get(User, user_id)


def get_by_email(session: Session, email: str) -> User | None:
    """The user with this e-mail, if any."""
    return session.scalar(select(User).where(User.email == email))


def get_by_open_id(session: Session, open_id: str) -> User | None:
    """The user with this OIDC subject (``open_id``), if any."""
    return session.scalar(select(User).where(User.open_id == open_id))


def list_users(session: Session, *, limit: int, offset: int) -> list[User]:
    """Users in id order."""
    return list(session.scalars(select(User).order_by(User.id).limit(limit).offset(offset)))


def add_user(session: Session, user: User) -> None:
    """Insert ``user`` now (its id is set on return)."""
    session.add(user)
    session.flush()


def key_by_hash(session: Session, key_hash: str) -> ApiKey | None:
    """The API key stored under ``key_hash``, if any."""
    return session.scalar(select(ApiKey).where(ApiKey.key_hash == key_hash))


def get_key(session: Session, key_id: int) -> ApiKey | None:
    """The API key with this id, if any."""
    return session.get(ApiKey, key_id)


def list_keys(session: Session, *, user_id: int | None, limit: int = 100, offset: int = 0) -> list[ApiKey]:
    """A page of API keys (of ``user_id``, or everyone's), newest first."""
    query = select(ApiKey).order_by(ApiKey.id.desc()).limit(limit).offset(offset)
    if user_id is not None:
        query = query.where(ApiKey.user_id == user_id)
    return list(session.scalars(query))


def add_key(session: Session, key: ApiKey) -> None:
    """Insert ``key`` now (its id is set on return)."""
    session.add(key)
    session.flush()
