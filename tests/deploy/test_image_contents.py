"""What each image contains and how its entrypoint behaves, without a container engine.

deploy/docker/assemble.sh is the step of the Dockerfile that picks an app's files; here it runs on the
repository, and the result is imported in a fresh interpreter that sees nothing else of the repository: an app
that reached into another service, or into tests, would fail here as it would in its image. The entrypoint
then migrates a scratch SQLite database and waits for it, as the migration Job and init container do.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from tests.deploy.conftest import APPS, DEPLOY, ROOT, run

ASSEMBLE = DEPLOY / "docker" / "assemble.sh"
ENTRYPOINT = DEPLOY / "docker" / "entrypoint.sh"


def image_env(tree: Path, **extra: str) -> dict[str, str]:
    """Roughly the image's environment: the dependencies' interpreter, the app tree on the path, nothing else."""
    return {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "PYTHONPATH": str(tree),
            "PYTHONDONTWRITEBYTECODE": "1", "HOME": str(tree), **extra}


def tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@pytest.fixture(scope="module")
def assembled(tmp_path_factory) -> dict[str, tuple[Path, set[str]]]:
    """app -> (its image's /app, the files assemble.sh picked). The tree is then byte-compiled as the
    Dockerfile does, so that imports here cost what they cost in the image."""
    base = tmp_path_factory.mktemp("images")
    out = {}
    for app in APPS:
        root = base / app
        result = run(["sh", str(ASSEMBLE), app, str(ROOT), str(root)])
        assert result.returncode == 0, result.stderr
        picked = tree(root)
        compiled = run([sys.executable, "-m", "compileall", "-q", str(root)])
        assert compiled.returncode == 0, compiled.stdout
        out[app] = (root, picked)
    return out


@pytest.fixture(scope="module")
def trees(assembled) -> dict[str, Path]:
    return {app: root for app, (root, _) in assembled.items()}


def test_each_image_holds_only_its_app_and_shared(assembled):
    for app, (_, paths) in assembled.items():
        top = {p.split("/")[0] for p in paths}
        if app == "gateway":
            assert top == {"gateway", "console", "shared"}
        else:
            assert top == {"services", "shared"}
            assert {p.split("/")[1] for p in paths if p.count("/") >= 1 and p.startswith("services/")} == {
                "__init__.py", app}
        assert not [p for p in paths if "/tests" in f"/{p}" or p.endswith((".pyc", ".db"))]
        assert any(p.startswith("shared/events/") for p in paths)
        assert any(p.endswith("xiaoshan_areas.json") for p in paths), "shared/reference data travels along"


def test_assemble_refuses_an_unknown_app(tmp_path):
    result = run(["sh", str(ASSEMBLE), "billing", str(ROOT), str(tmp_path / "x")])
    assert result.returncode == 64 and "APP must be one of" in result.stderr


IMPORT_CHECK = """
import importlib, sys
app_module = sys.argv[1]
app = importlib.import_module(app_module).create_app()
own = app_module.rsplit(".", 1)[0]
strangers = sorted(m for m in sys.modules
                   if m.split(".")[0] in ("services", "gateway", "tests") and m != "services" and not m.startswith(own))
print("created", type(app).__name__, "other packages:", strangers)
sys.exit(1 if strangers else 0)
"""


def test_each_app_is_created_from_its_image_contents_alone(trees, tmp_path):
    """The apps' factories run with only the image's files on the path (in parallel: a second or two each)."""
    processes = {}
    for app, root in trees.items():
        if not (ROOT / APPS[app]["module"].replace(".", "/")).with_suffix(".py").exists():
            pytest.fail(f"{APPS[app]['module']} does not exist: the Dockerfile and manifests expect it")
        processes[app] = subprocess.Popen(
            [sys.executable, "-c", IMPORT_CHECK, APPS[app]["module"]], cwd=tmp_path,
            env=image_env(root), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    failures = []
    for app, process in processes.items():
        out, err = process.communicate(timeout=120)
        if process.returncode != 0:
            failures.append(f"{app}: {out.strip()} {err.strip()[-1500:]}")
    assert not failures, "\n".join(failures)


def entrypoint(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return run(["sh", str(ENTRYPOINT), *args], cwd=root, env=image_env(root, MINSHENG_APP="jobs", **env))


def test_entrypoint_migrates_to_the_head_the_init_container_waits_for(trees, tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'jobs.db'}"
    migrated = entrypoint(trees["jobs"], "migrate", JOBS_DATABASE_URL=url)
    assert migrated.returncode == 0, migrated.stderr
    wait_migrated = wait_migrated_module()
    script = ScriptDirectory.from_config(wait_migrated.alembic_config("jobs", url))
    current = asyncio.run(wait_migrated.database_heads(url))
    assert wait_migrated.verdict(script, current) == (True, f"at head {script.get_current_head()}")


def wait_migrated_module():
    sys.path.insert(0, str(DEPLOY / "docker"))
    try:
        return importlib.import_module("wait_migrated")
    finally:
        sys.path.remove(str(DEPLOY / "docker"))


def test_wait_migrated_tells_older_newer_and_empty_apart(tmp_path):
    """The verdict of the init container (in this process: the same code as in the image)."""
    wait_migrated = wait_migrated_module()
    script = ScriptDirectory.from_config(wait_migrated.alembic_config("jobs", "sqlite+aiosqlite:///unused.db"))
    head = script.get_current_head()
    base = next(r.revision for r in script.walk_revisions() if r.down_revision is None)
    assert wait_migrated.verdict(script, {head}) == (True, f"at head {head}")
    assert wait_migrated.verdict(script, set()) == (False, "no migrations applied yet")
    ready, reason = wait_migrated.verdict(script, {"f00dfeedbeef"})
    assert ready and "newer than this image" in reason
    if base != head:
        assert wait_migrated.verdict(script, {base})[0] is False
    # And the whole command gives up in time, with its reason, when the database is not there.
    waiting = run([sys.executable, str(DEPLOY / "docker" / "wait_migrated.py"), "jobs", "--timeout", "0",
                   "--url", f"sqlite+aiosqlite:///{tmp_path / 'missing' / 'jobs.db'}"],
                  env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert waiting.returncode == 1 and "gave up" in waiting.stderr


def test_entrypoint_refuses_placeholders_in_production(trees):
    refused = entrypoint(trees["jobs"], "migrate", MINSHENG_ENVIRONMENT="production",
                         JOBS_DATABASE_URL="postgresql+asyncpg://jobs:change-me-jobs@postgres:5432/jobs",
                         MINSHENG_INTERNAL_TOKEN_SECRET="dev-only-internal-token-secret-0000000000")
    assert refused.returncode == 78
    assert "JOBS_DATABASE_URL" in refused.stderr and "MINSHENG_INTERNAL_TOKEN_SECRET" in refused.stderr
    assert "change-me-jobs" not in refused.stderr, "names only, never the values"


def test_entrypoint_healthcheck_fails_without_a_server(trees):
    result = entrypoint(trees["jobs"], "healthcheck", PORT="9")
    assert result.returncode == 1 and "healthz" in result.stderr


def test_shell_scripts_parse():
    for script in (ASSEMBLE, ENTRYPOINT, DEPLOY / "k8s" / "apply.sh"):
        assert run(["sh", "-n", str(script)]).returncode == 0, script
        assert os.access(script, os.X_OK), f"{script} must be executable (the image copies its mode)"
