"""``newsdesk user``: the people who may change things through the web application."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import typer

from newsdesk.cli.common import fail, out, state

app = typer.Typer(help="Add, list and remove web users; passwords and API tokens.", no_args_is_help=True)

PASSWORD_STDIN = typer.Option(False, "--password-stdin", help="Read the password from standard input.")


def _password(from_stdin: bool) -> str:
    from newsdesk.web.passwords import hash_password

    if from_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        return hash_password(password)
    except ValueError as exc:
        fail(str(exc))


@app.command("add")
def add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The log-in name."),
    password_stdin: bool = PASSWORD_STDIN,
) -> None:
    """Create an admin user (asks for a password)."""
    from newsdesk.store import users

    hashed = _password(password_stdin)
    with state(ctx).open_store(create=True).session() as session:
        try:
            users.add_user(session, name, hashed, datetime.now(UTC))
        except ValueError as exc:
            fail(str(exc))
    out.print(f"user {name} added")


@app.command("password")
def password(
    ctx: typer.Context, name: str = typer.Argument(...), password_stdin: bool = PASSWORD_STDIN
) -> None:
    """Set a user's password (and end their log-in sessions)."""
    from newsdesk.store import users

    hashed = _password(password_stdin)
    with state(ctx).store.session() as session:
        if not users.set_password(session, name, hashed):
            fail(f"no user {name!r}")
    out.print(f"password of {name} changed")


@app.command("remove")
def remove(ctx: typer.Context, name: str = typer.Argument(...)) -> None:
    """Remove a user and their tokens."""
    from newsdesk.store import users

    with state(ctx).store.session() as session:
        if not users.remove_user(session, name):
            fail(f"no user {name!r}")
    out.print(f"user {name} removed")


@app.command("list")
def list_(ctx: typer.Context) -> None:
    """Users and their API tokens."""
    from rich.table import Table

    from newsdesk.store import users

    table = Table("user", "created", "API tokens")
    with state(ctx).store.session() as session:
        for user in users.list_users(session):
            tokens = users.list_tokens(session, user.id)
            table.add_row(
                user.name, user.created.strftime("%Y-%m-%d"), ", ".join(t.name or "-" for t in tokens)
            )
    out.print(table)


@app.command("token")
def token(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The user the token acts for."),
    label: str = typer.Option("script", "--name", help="What the token is for."),
) -> None:
    """Print a new API token for scripts (send it as `Authorization: Bearer TOKEN`)."""
    from newsdesk.store import users
    from newsdesk.web.passwords import new_secret, secret_hash

    secret = new_secret()
    with state(ctx).store.session() as session:
        user = users.find_user(session, name)
        if user is None:
            fail(f"no user {name!r}")
        users.add_token(session, user.id, users.API, secret_hash(secret), datetime.now(UTC), name=label)
    typer.echo(secret)
