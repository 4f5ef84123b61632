"""Architecture rules as tests: services meet only through events; shared/ knows no service."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("renovation", "jobs", "community", "chronic_care")
# shared/ modules allowed to import services dynamically: the migration runner and the test fixtures.
SHARED_MAY_LOAD_SERVICES = {"migrate.py"}


def imported_modules(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def test_no_service_imports_another():
    offences = []
    for service in SERVICES:
        for path in (ROOT / "services" / service).rglob("*.py"):
            for module in imported_modules(path):
                for other in SERVICES:
                    if other != service and (module.startswith(f"services.{other}") or module == other):
                        offences.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offences == []


def test_shared_imports_no_service_and_no_gateway():
    offences = []
    for path in (ROOT / "shared").rglob("*.py"):
        if path.name in SHARED_MAY_LOAD_SERVICES or "tests" in path.parts:
            continue
        for module in imported_modules(path):
            if module.startswith(("services", "gateway")):
                offences.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offences == []


def test_services_do_not_import_the_gateway():
    offences = [
        f"{p.relative_to(ROOT)} imports {m}"
        for p in (ROOT / "services").rglob("*.py") for m in imported_modules(p) if m.startswith("gateway")
    ]
    assert offences == []
