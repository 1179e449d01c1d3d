"""`jurisgraph users` and `jurisgraph keys`: accounts and API keys from the command line."""

from __future__ import annotations

import typer
from rich.table import Table

from jurisgraph.auth import service
from jurisgraph.auth.passwords import generate_password
from jurisgraph.cli.common import console, container_scope
from jurisgraph.db import session_scope

users_app = typer.Typer(help="User accounts (each with a private workspace).", no_args_is_help=True)
keys_app = typer.Typer(help="API keys (shown once at creation; stored hashed).", no_args_is_help=True)

EMAIL = typer.Option(..., "--email", help="The user's e-mail.")


def _password_note(generated: str | None) -> str:
    return f"  password: [bold]{generated}[/] (shown once)" if generated else ""


@users_app.command("create")
def create(
    email: str = EMAIL,
    password: str | None = typer.Option(
        None, "--password", help="Password (at least 8 characters); generated when not given."
    ),
    role: str = typer.Option("user", "--role", help="user or admin."),
    name: str | None = typer.Option(None, "--name", help="Display name."),
) -> None:
    """Create a user with its private workspace."""
    generated = None if password else generate_password()
    with container_scope() as container, session_scope(container.sessions) as session:
        user = service.create_user(session, email=email, password=password or generated, role=role, name=name)
        line = f"created user {user.id} {user.email} ({user.role}){_password_note(generated)}"
    console.print(line)


@users_app.command("create-admin")
def create_admin(
    email: str = EMAIL,
    password: str | None = typer.Option(None, "--password", help="Password; generated when not given."),
    name: str | None = typer.Option(None, "--name", help="Display name."),
) -> None:
    """Create an admin with its private workspace."""
    create(email=email, password=password, role="admin", name=name)


@users_app.command("list")
def list_users(
    limit: int = typer.Option(100, "--limit", min=1, max=1000),
    offset: int = typer.Option(0, "--offset", min=0),
) -> None:
    """Users in id order."""
    with container_scope() as container, session_scope(container.sessions) as session:
        rows = [service.user_dict(u) for u in service.list_users(session, limit=limit, offset=offset)]
    table = Table("id", "e-mail", "name", "role", "active", "last sign-in", title="Users")
    for row in rows:
        table.add_row(
            str(row["id"]),
            row["email"] or "",
            row["name"] or "",
            row["role"],
            "yes" if row["is_active"] else "no",
            row["last_signed_in"] or "—",
        )
    console.print(table)


@users_app.command("disable")
def disable(
    email: str = EMAIL,
    enable: bool = typer.Option(False, "--enable", help="Enable the user again instead."),
) -> None:
    """Disable a user (its sessions and API keys stop working), or enable it with --enable."""
    with container_scope() as container, session_scope(container.sessions) as session:
        user = service.update_user(session, service.user_by_email(session, email).id, is_active=enable)
        line = f"user {user.id} {user.email} {'enabled' if user.is_active else 'disabled'}"
    console.print(line)


@users_app.command("reset-password")
def reset_password(
    email: str = EMAIL,
    password: str | None = typer.Option(None, "--password", help="New password; generated when not given."),
) -> None:
    """Set a new password; every session of the user ends."""
    with container_scope() as container, session_scope(container.sessions) as session:
        user = service.user_by_email(session, email)
        generated = service.reset_password(session, user.id, password)
        line = f"password of {user.email} reset{_password_note(generated)}"
    console.print(line)


@keys_app.command("create")
def create_key(
    email: str = EMAIL,
    name: str = typer.Option("cli", "--name", help="A label for the key."),
    expires_days: int | None = typer.Option(None, "--expires-days", min=1, help="Expire after N days."),
) -> None:
    """Create an API key and print it once (only its hash is kept)."""
    with container_scope() as container, session_scope(container.sessions) as session:
        user = service.user_by_email(session, email)
        row, plaintext = service.create_key(session, user.id, name=name, expires_days=expires_days)
        key_id = row.id
    console.print(f"API key {key_id} for {email} (shown once, store it now):")
    typer.echo(plaintext)


@keys_app.command("list")
def list_keys(email: str | None = typer.Option(None, "--email", help="Only this user's keys.")) -> None:
    """API keys (never the keys themselves): prefix, owner, last use, expiry, revocation."""
    with container_scope() as container, session_scope(container.sessions) as session:
        owner = service.user_by_email(session, email).id if email else None
        rows = [service.key_dict(k) for k in service.list_keys(session, user_id=owner)]
    table = Table(
        "id", "user", "name", "prefix", "created", "last used", "expires", "revoked", title="API keys"
    )
    for row in rows:
        table.add_row(
            str(row["id"]),
            str(row["user_id"]),
            row["name"],
            row["prefix"],
            row["created_at"] or "",
            row["last_used_at"] or "—",
            row["expires_at"] or "—",
            row["revoked_at"] or "—",
        )
    console.print(table)


@keys_app.command("revoke")
def revoke_key(key_id: int = typer.Argument(..., help="The key's id (see `keys list`).")) -> None:
    """Revoke an API key."""
    with container_scope() as container, session_scope(container.sessions) as session:
        service.revoke_key(session, key_id, owner_id=None)
    console.print(f"API key {key_id} revoked")
