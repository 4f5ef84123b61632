"""JSON Schema snapshots of every event contract, committed beside the code.

A test fails when a contract drifts from its snapshot; regenerate deliberately with
``python -m shared.events.snapshots`` after checking the change is additive (or is a new major version).
"""

from __future__ import annotations

import json
from pathlib import Path

from shared.events.contracts import CONTRACTS

SCHEMA_DIR = Path(__file__).with_name("schemas")


def snapshot_name(event_type: str, version: int) -> str:
    return f"{event_type}.v{version}.json"


def current_schemas() -> dict[str, str]:
    return {
        snapshot_name(t, v): json.dumps(cls.model_json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        for (t, v), cls in sorted(CONTRACTS.items())
    }


def write() -> None:
    SCHEMA_DIR.mkdir(exist_ok=True)
    for old in SCHEMA_DIR.glob("*.json"):
        old.unlink()
    for name, text in current_schemas().items():
        (SCHEMA_DIR / name).write_text(text, encoding="utf-8")
        print(f"wrote {name}")


if __name__ == "__main__":
    write()
