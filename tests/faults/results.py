"""Fault-run results: each test records its counts; they are written to artifacts/faults/results.json at the
end of the run (docs/reliability.md quotes a run of them)."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parents[2] / "artifacts" / "faults" / "results.json"


def record(scenario: str, **counts) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    existing = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    existing[scenario] = {**counts, "events_setting": os.environ.get("MINSHENG_FAULT_EVENTS", "1000"),
                          "at": datetime.now(UTC).isoformat(timespec="seconds")}
    RESULTS.write_text(json.dumps(existing, ensure_ascii=False, indent=2) + "\n")
