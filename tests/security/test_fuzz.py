"""Schemathesis over the gateway's merged OpenAPI, against the real platform on PostgreSQL (examples, coverage,
fuzzing and stateful phases), signed in as several roles: no 5xx, no status, media type or body the document
does not declare, no invalid input accepted. NUL bytes, huge integers and odd Unicode reach PostgreSQL through
the generated data.

Bounded for `make test` (a few examples per operation, a time budget per role). A longer run (add
MINSHENG_FUZZ_CHECKS=<list> to probe a check left out):
    MINSHENG_FUZZ_EXAMPLES=50 MINSHENG_FUZZ_SECONDS=0 MINSHENG_FUZZ_ROLES=all \\
        .venv/bin/python -m pytest tests/security/test_fuzz.py -q
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.security.conftest import ROLES

EXAMPLES = os.environ.get("MINSHENG_FUZZ_EXAMPLES", "2")
SECONDS = int(os.environ.get("MINSHENG_FUZZ_SECONDS", "35"))  # per role; 0: no limit
_roles = os.environ.get("MINSHENG_FUZZ_ROLES", "admin,resident,doctor")
FUZZ_ROLES = ROLES if _roles == "all" else tuple(_roles.split(","))

# What must hold: no 5xx; every status, media type and body as documented (each operation lists its errors as
# problem+json, shared/problem_docs.py); invalid input refused; deleted things gone, created things found.
# Left out, with the reason:
# - positive_data_acceptance: random identifiers are rightly 404, valid-looking transitions rightly 409, and
#   rules a schema cannot state (a street code on the district's list, dates in order) rightly 422.
# - ignored_auth: schemathesis adds a generated X-API-Key next to the valid bearer it is given, and the gateway
#   answers as the bearer (probed: every ST401 was that pair; requests without or with bad credentials are
#   401, see gateway/tests/test_auth.py and test_tokens.py here).
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance," \
         "negative_data_rejection,use_after_free,ensure_resource_availability"
CHECKS = os.environ.get("MINSHENG_FUZZ_CHECKS", CHECKS)  # e.g. to probe a check left out
KNOWN_TOOL_ERROR = "AST constructor recursion depth mismatch"
# Streams never end by themselves; the sign-in form has its own limit and tests.
EXCLUDE = r"(/feed/stream$|/auth/token$)"


@pytest.mark.timeout(900)
@pytest.mark.parametrize("role", FUZZ_ROLES)
def test_no_server_errors_and_no_answers_off_the_schema(platform, credentials, role, tmp_path: Path):
    headers = [arg for name, value in credentials[role].items() for arg in ("-H", f"{name}: {value}")]
    command = [sys.executable, "-m", "schemathesis.cli", "run", f"{platform.url}/openapi.json", *headers,
               "--checks", CHECKS, "--phases", "examples,coverage,fuzzing,stateful", "-n", EXAMPLES,
               "--exclude-path-regex", EXCLUDE, "--workers", "2", "--no-shrink", "--seed", "20261129",
               "--request-timeout", "15", "--suppress-health-check", "all",
               "--report", "junit", "--report-dir", str(tmp_path)]
    if SECONDS > 0:
        command += ["--max-time", str(SECONDS)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=tmp_path,
                         env={**os.environ, "SCHEMATHESIS_HOOKS": ""})
    (tmp_path / f"schemathesis-{role}.txt").write_text(run.stdout)
    failures = run.stdout.split("FAILURES", 1)[-1].split("WARNINGS", 1)[0] if "FAILURES" in run.stdout else ""
    summary = failures[:12000] + "\n...\n" + run.stdout[-1500:] + run.stderr[-2000:]
    assert run.returncode in (0, 1), f"schemathesis did not run as {role}:\n{summary}"
    assert "FAILURES" not in run.stdout, f"schemathesis found problems as {role}:\n{summary}"
    # Exit 1 without failures: only errors inside the generator (Hypothesis describing a lambda under
    # threads: "AST constructor recursion depth mismatch"); anything else is reported.
    errors = run.stdout.split("ERRORS", 1)[-1].split("SUMMARY", 1)[0] if "ERRORS" in run.stdout else ""
    unexplained = [block for block in errors.split("Runtime Error")[1:] if KNOWN_TOOL_ERROR not in block]
    assert not unexplained, f"schemathesis errors as {role}:\n{summary}"
