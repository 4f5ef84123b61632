"""Run a service's Alembic migrations: ``python -m shared.migrate <service> [--url URL] [--revision head]``."""

from __future__ import annotations

import argparse
import importlib
import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config

SERVICES = ("renovation", "jobs", "community", "chronic_care")
ROOT = Path(__file__).resolve().parent.parent


def ensure_sqlite_dir(url: str) -> None:
    """``sqlite+aiosqlite:///./var/x.db`` needs ``./var`` to exist before the first connection."""
    if url.startswith("sqlite") and ":///" in url and ":memory:" not in url:
        Path(url.split(":///", 1)[1]).expanduser().parent.mkdir(parents=True, exist_ok=True)


def alembic_config(service: str, url: str | None = None) -> Config:
    if service not in SERVICES:
        raise SystemExit(f"unknown service {service!r}; one of {', '.join(SERVICES)}")
    config = Config()
    config.set_main_option("script_location", str(ROOT / "services" / service / "migrations"))
    config.attributes["database_url"] = url or service_database_url(service)
    return config


def service_database_url(service: str) -> str:
    settings_module = importlib.import_module(f"services.{service}.settings")
    return settings_module.Settings().database_url


def upgrade(service: str, url: str | None = None, revision: str = "head") -> None:
    command.upgrade(alembic_config(service, url), revision)


def downgrade(service: str, url: str | None = None, revision: str = "base") -> None:
    command.downgrade(alembic_config(service, url), revision)


def autogenerate(service: str, message: str) -> None:
    """Write a new revision from the models' difference to a scratch SQLite database at head."""
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite+aiosqlite:///{scratch}/scratch.db"
        upgrade(service, url)
        command.revision(alembic_config(service, url), message=message, autogenerate=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("service", choices=[*SERVICES, "all"])
    parser.add_argument("--url", help="database URL (default: the service's settings)")
    parser.add_argument("--revision", default="head")
    parser.add_argument("--autogenerate", metavar="MESSAGE", help="write a new revision instead of migrating")
    args = parser.parse_args()
    if args.autogenerate:
        autogenerate(args.service, args.autogenerate)
        return
    for service in SERVICES if args.service == "all" else (args.service,):
        upgrade(service, args.url, args.revision)
        print(f"migrated {service} to {args.revision}")


if __name__ == "__main__":
    main()
