"""The gateway's migrations: ``python -m gateway.migrate [--url URL] [--revision head] [--autogenerate MSG]``.

``shared.migrate`` knows the four services; the gateway's own small database is migrated here (``make run``
calls ``upgrade()``).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config

from gateway.settings import Settings

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["database_url"] = url or Settings().database_url
    return config


def upgrade(url: str | None = None, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str | None = None, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


def autogenerate(message: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite+aiosqlite:///{scratch}/scratch.db"
        upgrade(url)
        command.revision(alembic_config(url), message=message, autogenerate=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", help="database URL (default: GATEWAY_DATABASE_URL)")
    parser.add_argument("--revision", default="head")
    parser.add_argument("--autogenerate", metavar="MESSAGE", help="write a new revision instead of migrating")
    args = parser.parse_args()
    if args.autogenerate:
        autogenerate(args.autogenerate)
        return
    upgrade(args.url, args.revision)
    print(f"migrated gateway to {args.revision}")


if __name__ == "__main__":
    main()
