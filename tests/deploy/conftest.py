"""Shared helpers of the deploy checks: paths, the pinned tools, rendered kustomize overlays.

The tools come from requirements-deploy.txt (pip wheels that carry the upstream kubectl and hadolint binaries).
A missing tool fails the test that needs it with the command that installs it; nothing is skipped.
"""

from __future__ import annotations

import functools
import importlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
OVERLAYS = ("dev", "prod")
INSTALL_HINT = f"install the deploy tools: {sys.executable} -m pip install -r requirements-deploy.txt"

# app (package) -> its name in Kubernetes, Compose and image names, its settings prefix, its database and role
APPS = {
    "gateway": {"k8s": "gateway", "prefix": "GATEWAY_", "db": "gateway", "module": "gateway.app"},
    "renovation": {"k8s": "renovation", "prefix": "RENOVATION_", "db": "renovation",
                   "module": "services.renovation.app"},
    "jobs": {"k8s": "jobs", "prefix": "JOBS_", "db": "jobs", "module": "services.jobs.app"},
    "community": {"k8s": "community", "prefix": "COMMUNITY_", "db": "community", "module": "services.community.app"},
    "chronic_care": {"k8s": "chronic-care", "prefix": "CHRONIC_CARE_", "db": "chronic_care",
                     "module": "services.chronic_care.app"},
}
SERVICES = [app for app in APPS if app != "gateway"]


def tool(name: str) -> str:
    """Path of a command-line tool: the virtual environment's own first (the pinned wheel), then PATH."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found:
        return found
    pytest.fail(f"`{name}` is not installed, and the deploy checks need it: {INSTALL_HINT}", pytrace=False)


def module(name: str):
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        pytest.fail(f"Python package `{name}` is missing ({exc}): {INSTALL_HINT}", pytrace=False)


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    kwargs.setdefault("capture_output", True)
    kwargs.setdefault("text", True)
    kwargs.setdefault("timeout", 120)
    return subprocess.run(command, check=False, **kwargs)


@functools.cache
def rendered(target: str) -> tuple[dict, ...]:
    """``kubectl kustomize`` of deploy/k8s/<target> (``base`` or ``overlays/<name>``), as a tuple of objects."""
    result = run([tool("kubectl"), "kustomize", str(K8S / target)])
    if result.returncode != 0:
        pytest.fail(f"kubectl kustomize {target} failed:\n{result.stderr}", pytrace=False)
    return tuple(doc for doc in yaml.safe_load_all(result.stdout) if doc)


def objects(docs, kind: str) -> list[dict]:
    return [doc for doc in docs if doc["kind"] == kind]


def named(docs, kind: str, name: str) -> dict:
    for doc in docs:
        if doc["kind"] == kind and doc["metadata"]["name"] == name:
            return doc
    raise AssertionError(f"no {kind} {name!r} in the rendered manifests")


@pytest.fixture(params=OVERLAYS)
def overlay(request) -> str:
    return request.param


@pytest.fixture
def docs(overlay) -> tuple[dict, ...]:
    return rendered(f"overlays/{overlay}")
