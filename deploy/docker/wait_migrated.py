"""Wait until an app's database carries this image's migrations: ``wait_migrated.py APP [--timeout S]``.

Runs as the init container of every Deployment, so that a pod of a new release starts only once its migration
Job has finished, while the pods of the old release keep serving. The database counts as ready when its
revision is this image's head, or a revision this image does not know (a newer release migrated it already:
migrations are written expand-then-contract, so older code keeps working on a newer schema). It is not ready
while it is empty, unreachable, or at an older revision that this image knows.

Exit status: 0 ready, 1 timed out (the last reason is printed), 64 bad arguments.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import pool
from sqlalchemy.ext.asyncio import create_async_engine

APPS = ("gateway", "renovation", "jobs", "community", "chronic_care")


def alembic_config(app: str, url: str | None) -> Config:
    if app == "gateway":
        from gateway.migrate import alembic_config as gateway_config

        return gateway_config(url)
    from shared.migrate import alembic_config as service_config

    return service_config(app, url)


async def database_heads(url: str) -> set[str]:
    engine = create_async_engine(url, poolclass=pool.NullPool)
    try:
        async with engine.connect() as connection:
            heads = await connection.run_sync(lambda sync: MigrationContext.configure(sync).get_current_heads())
    finally:
        await engine.dispose()
    return set(heads)


def _known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except Exception:  # alembic raises when the id is not among this image's revisions
        return False


def verdict(script: ScriptDirectory, current: set[str]) -> tuple[bool, str]:
    wanted = set(script.get_heads())
    if current == wanted:
        return True, f"at head {', '.join(sorted(wanted))}"
    if not current:
        return False, "no migrations applied yet"
    if not all(_known(script, revision) for revision in current):
        return True, f"at {', '.join(sorted(current))}, newer than this image's head (assumed compatible)"
    return False, f"at {', '.join(sorted(current))}, waiting for {', '.join(sorted(wanted))}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("app", choices=APPS)
    parser.add_argument("--url", help="database URL (default: the app's own settings)")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds to wait (default 600)")
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between checks (default 2)")
    args = parser.parse_args(argv)

    config = alembic_config(args.app, args.url)
    url = config.attributes["database_url"]
    script = ScriptDirectory.from_config(config)
    deadline = time.monotonic() + args.timeout
    while True:
        try:
            ready, reason = verdict(script, asyncio.run(database_heads(url)))
        except Exception as exc:  # the database may not be up yet: that is a reason to wait, not to crash
            ready, reason = False, f"database unreachable: {type(exc).__name__}: {exc}"
        if ready:
            print(f"{args.app}: database ready ({reason})", flush=True)
            return 0
        if time.monotonic() >= deadline:
            print(f"{args.app}: gave up after {args.timeout:.0f}s: {reason}", file=sys.stderr, flush=True)
            return 1
        print(f"{args.app}: waiting: {reason}", flush=True)
        time.sleep(args.interval)


if __name__ == "__main__":
    sys.exit(main())
