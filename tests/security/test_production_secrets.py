"""Secrets come only from the environment: in production every app refuses to start with a development default
(the internal identity secret, the person_ref key, and the gateway's JWT secret), and starts once they are set."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

from shared.settings import DEV_INTERNAL_TOKEN_SECRET, DEV_JWT_SECRET, DEV_PERSON_REF_KEY
from tests.support.processes import ROOT, app_target

APPS = ("gateway", "renovation", "jobs", "community", "chronic_care")
SECRETS = {"MINSHENG_INTERNAL_TOKEN_SECRET": DEV_INTERNAL_TOKEN_SECRET,
           "MINSHENG_PERSON_REF_KEY": DEV_PERSON_REF_KEY, "MINSHENG_JWT_SECRET": DEV_JWT_SECRET}
STRONG = {name: f"prod-{name.lower()}-4f1c9a7e2b8d6c3f0a5e" for name in SECRETS}


def create_app(app: str):
    module, _, factory = app_target(app).partition(":")
    return getattr(importlib.import_module(module), factory)()


@pytest.mark.parametrize("app", APPS)
@pytest.mark.parametrize("default", [n for n in SECRETS])
def test_production_refuses_each_default_secret(app, default, monkeypatch):
    monkeypatch.setenv("MINSHENG_ENVIRONMENT", "production")
    for name, value in STRONG.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv(default, SECRETS[default])
    if default == "MINSHENG_JWT_SECRET" and app != "gateway":
        create_app(app)  # only the gateway signs user tokens; a service never reads this one
        return
    with pytest.raises(ValueError, match=default):
        create_app(app)


@pytest.mark.parametrize("app", APPS)
def test_production_starts_with_secrets_from_the_environment(app, monkeypatch):
    monkeypatch.setenv("MINSHENG_ENVIRONMENT", "production")
    for name, value in STRONG.items():
        monkeypatch.setenv(name, value)
    assert create_app(app) is not None


def test_the_process_exits_at_start_up_with_the_reason(monkeypatch):
    env = {k: v for k, v in __import__("os").environ.items() if k not in SECRETS}
    run = subprocess.run([sys.executable, "-m", "uvicorn", "--factory", app_target("chronic_care"),
                          "--port", "0"], cwd=ROOT, env={**env, "MINSHENG_ENVIRONMENT": "production"},
                         capture_output=True, text=True, timeout=60)
    assert run.returncode != 0
    assert "refusing to start in production with default secrets" in run.stderr
