"""deploy/docker/Dockerfile: hadolint finds nothing, and the rules we hold it to are asserted one by one (no
container engine runs here, so the image itself is checked through what goes into it: test_image_contents)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from tests.deploy.conftest import DEPLOY, ROOT, run, tool

DOCKERFILE = DEPLOY / "docker" / "Dockerfile"


@dataclass
class Instruction:
    keyword: str
    arguments: str
    line: int


def instructions() -> list[Instruction]:
    """The Dockerfile's instructions, continuation lines joined, comments dropped."""
    out, pending, start = [], "", 0
    for number, raw in enumerate(DOCKERFILE.read_text(encoding="utf-8").splitlines(), 1):
        stripped = raw.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if pending and stripped.startswith("#"):
            continue
        if not pending:
            start = number
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        text = pending + stripped
        pending = ""
        keyword, _, arguments = text.partition(" ")
        out.append(Instruction(keyword.upper(), arguments.strip(), start))
    return out


def stages() -> list[list[Instruction]]:
    result: list[list[Instruction]] = []
    for instruction in instructions():
        if instruction.keyword == "FROM":
            result.append([])
        if result:
            result[-1].append(instruction)
    return result


def test_hadolint_finds_nothing():
    result = run([tool("hadolint"), "--config", str(DEPLOY / "docker" / ".hadolint.yaml"), "--format", "json",
                  str(DOCKERFILE)])
    findings = json.loads(result.stdout or "[]")
    assert result.returncode == 0 and not findings, "\n".join(
        f"line {f['line']}: {f['code']} {f['message']}" for f in findings) or result.stderr


def test_multi_stage_from_one_pinned_slim_python():
    (argument,) = [i for i in instructions() if i.keyword == "ARG" and i.arguments.startswith("PYTHON_IMAGE=")]
    image = argument.arguments.split("=", 1)[1]
    assert re.fullmatch(r"python:3\.11(\.\d+)?-slim(-bookworm|-trixie)?(@sha256:[0-9a-f]{64})?", image), image
    names = []
    for stage in stages():
        base, _, name = stage[0].arguments.partition(" AS ")
        assert base == "${PYTHON_IMAGE}", "every stage starts from the one pinned base"
        names.append(name)
    assert names == ["builder", "sources", "runtime"]


def test_no_add_and_nothing_fetched_from_urls():
    for instruction in instructions():
        assert instruction.keyword != "ADD", f"line {instruction.line}: use COPY (ADD fetches URLs, unpacks tars)"
        if instruction.keyword == "RUN":
            assert not re.search(r"\b(curl|wget)\b|https?://", instruction.arguments), instruction.line


def test_dependencies_are_the_pinned_requirements_from_wheels():
    (install,) = [i for i in stages()[0] if i.keyword == "RUN"]
    assert "--no-cache-dir" in install.arguments
    assert "--only-binary=:all:" in install.arguments, "no compiler in the builder: wheels only"
    assert '-r "$requirements"' in install.arguments
    assert 'requirements="requirements.txt"' in install.arguments
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            assert re.fullmatch(r"[A-Za-z0-9_.\-\[\],]+==[^=\s]+", line.strip()), f"not pinned: {line}"


def test_runtime_stage_is_small_non_root_and_health_checked():
    runtime = stages()[-1]
    keywords = [i.keyword for i in runtime]
    (user,) = [i for i in runtime if i.keyword == "USER"]
    uid, _, gid = user.arguments.partition(":")
    assert uid.isdigit() and int(uid) >= 1000 and gid.isdigit() and int(gid) != 0, "numeric, non-root"
    assert keywords.index("USER") > max(i for i, k in enumerate(keywords) if k in ("RUN", "COPY"))
    (healthcheck,) = [i for i in runtime if i.keyword == "HEALTHCHECK"]
    assert "CMD" in healthcheck.arguments and "healthz" in healthcheck.arguments
    (entrypoint,) = [i for i in runtime if i.keyword == "ENTRYPOINT"]
    assert json.loads(entrypoint.arguments) == ["/opt/minsheng/entrypoint.sh"]  # exec form: signals reach it
    for run_step in [i for i in runtime if i.keyword == "RUN"]:
        assert not re.search(r"apt-get|apk |pip install|gcc|build-essential", run_step.arguments), (
            f"line {run_step.line}: the runtime stage installs nothing")
    copies = [i.arguments for i in runtime if i.keyword == "COPY"]
    assert "--from=builder /opt/venv /opt/venv" in copies
    assert "--from=sources /app /app" in copies
    assert any(i.keyword == "STOPSIGNAL" and i.arguments == "SIGTERM" for i in runtime)


def test_everything_copied_exists_and_passes_dockerignore():
    ignore = [line.strip() for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
              if line.strip() and not line.startswith("#")]
    assert ignore[0] == "*", ".dockerignore is an allow-list"
    allowed = {line[1:].rstrip("/") for line in ignore if line.startswith("!")}
    for instruction in instructions():
        if instruction.keyword != "COPY" or instruction.arguments.startswith("--from"):
            continue
        *sources, _destination = instruction.arguments.split()
        for source in sources:
            source = source.rstrip("/")
            if "*" not in source:
                assert (ROOT / source).exists(), f"line {instruction.line}: {source} does not exist"
            assert any(source == a or source.startswith(a + "/") for a in allowed), (
                f"line {instruction.line}: {source} is not let through by .dockerignore")
    for never in (".venv", ".git", "var", "tests", "bench", "docs"):
        assert never not in allowed
