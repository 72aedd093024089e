"""A source's two addresses: ``address``, where the publisher offers it (stat.gov.kz), and
``copy_address``, the copy that was read (a GitHub file at a commit), when they differ.

Databases built before the two were apart kept both in ``address`` as one string,
``https://stat.gov.kz/… (copy read: https://github.com/…)``, which no browser can open:
:func:`upgrade` adds the column and splits those strings, in one transaction.
"""

from __future__ import annotations

import logging
import re

from sqlalchemy import Engine, inspect, select, update

from store import schema

log = logging.getLogger(__name__)

# The one string older curated files and databases kept: "<official> (copy read: <copy>)".
COMBINED = re.compile(r"^\s*(\S+)\s+\(copy read:\s*(\S+?)\)\s*$")


def split(address: str | None) -> tuple[str | None, str | None]:
    """(official address, address of the copy read) of an address that may hold both."""
    m = COMBINED.match(address or "")
    return (m[1], m[2]) if m else (address, None)


def missing(engine: Engine) -> bool:
    """Whether the database has a ``sources`` table without ``copy_address``."""
    insp = inspect(engine)
    if schema.sources.name not in insp.get_table_names():
        return False
    return "copy_address" not in {c["name"] for c in insp.get_columns(schema.sources.name)}


def upgrade(engine: Engine) -> None:
    """Add ``sources.copy_address`` and split every combined address into the two columns."""
    log.warning("splitting the sources' addresses into address and copy_address (once)")
    s = schema.sources
    with engine.begin() as conn:
        conn.exec_driver_sql(f"ALTER TABLE {s.name} ADD COLUMN copy_address TEXT")
        for code, address in conn.execute(select(s.c.code, s.c.address)).all():
            official, copy = split(address)
            if copy:
                conn.execute(
                    update(s).where(s.c.code == code).values(address=official, copy_address=copy)
                )


__all__ = ["COMBINED", "missing", "split", "upgrade"]
