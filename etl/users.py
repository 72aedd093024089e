"""``python -m etl users add|list|set-role|disable``: the accounts of the web server.

Accounts live in the application database (``DECKS_DATABASE_URL``, see
:mod:`store.accounts`), never in the indicator database. Every change is written to the
audit log with the operating-system user as the actor.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys

import config
from store import accounts, deck_access, deck_database


def add_arguments(sub: argparse._SubParsersAction) -> None:
    """The ``users`` subcommand and its actions."""
    u = sub.add_parser("users", help="web accounts: add, list, set-role, disable")
    u.add_argument(
        "--app-db",
        metavar="URL",
        help="application database URL (default: the DECKS_DATABASE_URL setting)",
    )
    acts = u.add_subparsers(dest="action", required=True)
    a = acts.add_parser("add", help="create an account")
    a.add_argument("username")
    a.add_argument("--role", default="viewer", choices=accounts.ROLES)
    a.add_argument(
        "--area",
        action="append",
        default=[],
        metavar="KATO",
        help="area the account acts for (repeatable; an oblast covers its districts)",
    )
    a.add_argument("--name", default="", help="the person's full name")
    a.add_argument("--organisation", default="", help="e.g. Aral district akimat")
    how = a.add_mutually_exclusive_group()
    how.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    how.add_argument(
        "--sso", action="store_true", help="no password: signs in only through the SSO header"
    )
    acts.add_parser("list", help="every account, as JSON lines")
    s = acts.add_parser("set-role", help="change an account's role (and areas)")
    s.add_argument("username")
    s.add_argument("role", choices=accounts.ROLES)
    s.add_argument("--area", action="append", metavar="KATO", help="replace the areas")
    d = acts.add_parser("disable", help="disable an account (it can no longer sign in)")
    d.add_argument("username")
    d.add_argument("--enable", action="store_true", help="enable it again instead")


def _password(args: argparse.Namespace) -> str | None:
    if args.sso:
        return None
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("password: ")
    if first != getpass.getpass("again: "):
        raise accounts.AccountError("the two passwords differ")
    return first


def cmd_users(args: argparse.Namespace) -> int:
    """Run one ``users`` action; 0 ok, 2 on bad input (with a message)."""
    if args.app_db:
        deck_database.use(args.app_db)
    if deck_access.read_only():
        print("error: DECKS_READONLY is on: this server has no accounts", file=sys.stderr)
        return 2
    actor = f"cli:{_os_user()}"
    try:
        if args.action == "list":
            for user in accounts.list_users():
                print(json.dumps(user, default=str, ensure_ascii=False))
            return 0
        if args.action == "add":
            user = accounts.add_user(
                args.username,
                name=args.name,
                organisation=args.organisation,
                role=args.role,
                areas=args.area,
                password=_password(args),
            )
            detail = f"role={user['role']} areas={','.join(user['areas'])}"
        elif args.action == "set-role":
            user = accounts.set_role(args.username, args.role, args.area)
            detail = f"role={user['role']} areas={','.join(user['areas'])}"
        else:
            user = accounts.set_active(args.username, bool(args.enable))
            detail = "enabled" if args.enable else "disabled"
    except accounts.AccountError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    accounts.audit(f"account.{args.action}", actor=actor, target=user["username"], detail=detail)
    print(f"{args.action}: {user['username']} ({detail})", file=sys.stderr)
    return 0


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in a container
        return os.environ.get("USER", "unknown")


def audit_cli(action: str, target: str | None, detail: str | None = None) -> None:
    """Append a command-line action (a load) to the audit log of the application database,
    when that database exists already (a load never creates it) and is writable."""
    from store.db import sqlite_path

    url = config.get("DECKS_DATABASE_URL")
    path = sqlite_path(url)
    if deck_access.read_only() or (path is not None and not path.exists()):
        return
    try:
        accounts.audit(action, actor=f"cli:{_os_user()}", target=target, detail=detail)
    except Exception:  # noqa: BLE001 - the load is done; the log says the entry failed
        logging.getLogger(__name__).exception("audit: could not record %s %s", action, target)
