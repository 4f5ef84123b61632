"""docs/operations.md says only what is true of the code: its metric names are the apps' metrics, its
commands exist, the files it points to are there."""

from __future__ import annotations

import re

from tests.deploy.conftest import DEPLOY, ROOT

DOC = ROOT / "docs" / "operations.md"


def section(title: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end != -1 else None]


def source_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for folder in ("shared", "gateway")
                     for p in (ROOT / folder).rglob("*.py") if "tests" not in p.parts)


def test_every_metric_in_the_table_is_defined_by_the_apps():
    rows = [line for line in section("Metrics").splitlines() if line.startswith("| `")]
    names = [re.match(r"\| `([a-z_]+)`", row).group(1) for row in rows]
    assert len(names) >= 8
    code = source_text()
    for name in names:
        assert f'"{name}"' in code, f"docs/operations.md lists metric {name}, which no app defines"
    for outcome in re.findall(r'outcome="([a-z]+)"', section("Metrics")):
        assert f'"{outcome}"' in code or outcome in code, outcome


def test_the_operations_commands_exist():
    ops = (ROOT / "shared" / "events" / "ops.py").read_text(encoding="utf-8")
    for command in ("lag", "backlog", "dlq"):
        assert f'"{command}"' in ops
    assert '["list", "replay"]' in ops
    entrypoint = (DEPLOY / "docker" / "entrypoint.sh").read_text(encoding="utf-8")
    for command in re.findall(r"^\| `([a-z-]+)", section("Images"), flags=re.M):
        assert f"    {command})" in entrypoint, f"the entrypoint has no {command} command"


def test_the_files_it_points_to_exist():
    for path in re.findall(r"`((?:deploy|tests|shared)/[A-Za-z0-9_./-]+)`", DOC.read_text(encoding="utf-8")):
        if "<" in path or "…" in path:
            continue
        assert (ROOT / path.rstrip("/")).exists(), path
