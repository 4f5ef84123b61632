"""deploy/compose: the file validates against the Compose Specification schema (as written and with .env.example
interpolated), the services fit together (health checks, start order, migrations first, one database per app),
and the PostgreSQL init script does what it says on a real PostgreSQL 15 of our own.

No container engine runs here, so ``docker compose config`` cannot be used; check-jsonschema carries the
Compose Specification's own JSON schema (vendor.compose-spec), which is what ``docker compose`` validates
against, and the checks below cover what the schema cannot (references between services, interpolation).
"""

from __future__ import annotations

import os
import re
import subprocess

import pytest
import yaml

from shared.testing_servers import PrivatePostgres
from tests.deploy.conftest import APPS, DEPLOY, SERVICES, run, tool
from tests.deploy.test_kubernetes import settings_names

COMPOSE = DEPLOY / "compose" / "compose.yaml"
ENV_EXAMPLE = DEPLOY / "compose" / ".env.example"
INIT_SCRIPT = DEPLOY / "compose" / "postgres" / "init-databases.sh"
VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")


def env_example() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def interpolate(text: str, values: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}."""

    def one(match: re.Match) -> str:
        name, operator, argument = match.groups()
        value = values.get(name)
        if operator in (":-", "-"):
            return argument if value is None or (operator == ":-" and value == "") else value
        if operator in (":?", "?") and (value is None or (operator == ":?" and value == "")):
            raise AssertionError(f"${{{name}}} is required: {argument}")
        return value if value is not None else ""

    return VARIABLE.sub(one, text)


def compose(values: dict[str, str] | None = None) -> dict:
    text = COMPOSE.read_text(encoding="utf-8")
    return yaml.safe_load(interpolate(text, values) if values is not None else text)


def validate(path) -> None:
    result = run([tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", str(path)])
    assert result.returncode == 0, f"{path} is not a valid Compose file:\n{result.stdout}{result.stderr}"


def test_compose_file_validates_against_the_compose_spec():
    validate(COMPOSE)


def test_compose_file_validates_once_interpolated_with_the_example_env(tmp_path):
    resolved = tmp_path / "compose.yaml"
    resolved.write_text(interpolate(COMPOSE.read_text(encoding="utf-8"), env_example()), encoding="utf-8")
    validate(resolved)


def test_the_schema_check_rejects_a_misspelt_key(tmp_path):
    broken = tmp_path / "compose.yaml"
    broken.write_text(COMPOSE.read_text(encoding="utf-8").replace("shm_size:", "shm_sise:"), encoding="utf-8")
    result = run([tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", str(broken)])
    assert result.returncode != 0 and "shm_sise" in result.stdout


def test_every_variable_is_in_env_example_or_has_a_default():
    example = env_example()
    for name, operator, _ in VARIABLE.findall(COMPOSE.read_text(encoding="utf-8")):
        assert name in example or operator in (":-", "-"), f"${{{name}}} is neither in .env.example nor defaulted"
    # Without a .env the required secrets stop Compose before anything starts.
    with pytest.raises(AssertionError, match="is required"):
        compose({})


def test_env_example_holds_placeholders_not_secrets():
    example = env_example()
    secrets = [k for k in example if k.endswith(("_PASSWORD", "_SECRET", "_KEY")) or k.startswith("DB_PASSWORD_")]
    assert len(secrets) >= 10
    for key in secrets:
        assert example[key].startswith("change-me"), f"{key} in .env.example must be a change-me placeholder"
        assert re.fullmatch(r"[A-Za-z0-9._~-]+", example[key]), f"{key}: keep URL-safe characters"
    assert example["MINSHENG_ENVIRONMENT"] == "production"
    assert (DEPLOY / "compose" / ".gitignore").read_text(encoding="utf-8").split().count(".env") == 1


def compose_name(app: str) -> str:
    return APPS[app]["k8s"]


def test_each_app_is_built_from_the_one_dockerfile_and_migrated_first():
    services = compose(env_example())["services"]
    for app, info in APPS.items():
        name = compose_name(app)
        service, migrate = services[name], services[f"migrate-{name}"]
        for one in (service, migrate):
            assert one["build"] == {"context": "../..", "dockerfile": "deploy/docker/Dockerfile", "args": {"APP": app}}
            assert one["image"] == f"minsheng/{name}:local"
        assert migrate["command"] == ["migrate"]
        assert migrate["restart"] == "no"
        assert migrate["depends_on"] == {"postgres": {"condition": "service_healthy"}}
        assert service["depends_on"][f"migrate-{name}"] == {"condition": "service_completed_successfully"}
        assert service["depends_on"]["postgres"] == {"condition": "service_healthy"}
        assert service["healthcheck"]["test"] == ["CMD", "/opt/minsheng/entrypoint.sh", "healthcheck", "readyz"]
        assert service["init"] is True
        url = service["environment"][f"{info['prefix']}DATABASE_URL"]
        assert url == migrate["environment"][f"{info['prefix']}DATABASE_URL"]
        db = info["db"]
        assert url == f"postgresql+asyncpg://{db}:change-me-{name}@postgres:5432/{db}"
    for app in SERVICES:
        assert services[compose_name(app)]["depends_on"]["rabbitmq"] == {"condition": "service_healthy"}


def test_the_gateway_starts_last_and_is_the_only_published_app():
    services = compose(env_example())["services"]
    gateway = services["gateway"]
    for app in SERVICES:
        assert gateway["depends_on"][compose_name(app)] == {"condition": "service_healthy"}
        assert gateway["environment"][f"GATEWAY_UPSTREAM_{app.upper()}"] == f"http://{compose_name(app)}:8000"
    assert gateway["ports"] == ["127.0.0.1:8000:8000"]
    published = {name for name, s in services.items() if s.get("ports")}
    assert published == {"gateway", "rabbitmq"}
    assert all(p.startswith("127.0.0.1:") for p in services["rabbitmq"]["ports"])


def test_every_container_has_a_health_check_or_runs_once():
    services = compose(env_example())["services"]
    for name, service in services.items():
        assert "healthcheck" in service or service.get("restart") == "no", name
        for dependency, condition in service.get("depends_on", {}).items():
            assert dependency in services, f"{name} depends on unknown {dependency}"
            assert condition["condition"] in ("service_healthy", "service_completed_successfully")


def test_apps_get_real_settings_names():
    services = compose(env_example())["services"]
    for app in APPS:
        for name in (compose_name(app), f"migrate-{compose_name(app)}"):
            unknown = set(services[name]["environment"]) - settings_names(app)
            assert not unknown, f"{name}: {sorted(unknown)} are not settings of {app}"
        assert services[compose_name(app)]["environment"]["MINSHENG_EVENT_BUS"] == "rabbitmq"


def test_postgres_init_script_covers_every_app_database():
    services = compose(env_example())["services"]
    postgres = services["postgres"]
    assert postgres["image"].startswith("postgres:15")
    assert "./postgres/init-databases.sh:/docker-entrypoint-initdb.d/10-init-databases.sh:ro" in postgres["volumes"]
    script = INIT_SCRIPT.read_text(encoding="utf-8")
    listed = re.search(r'apps="\$\{MINSHENG_DB_APPS:-([^}]*)\}"', script).group(1).split()
    assert sorted(listed) == sorted(info["db"] for info in APPS.values())
    for db in listed:
        assert f"DB_PASSWORD_{db.upper()}" in postgres["environment"]
    assert run(["bash", "-n", str(INIT_SCRIPT)]).returncode == 0


def test_postgres_init_script_on_a_real_postgres():
    """Roles own their databases, can create tables there (PostgreSQL 15 no longer lets PUBLIC create in the
    public schema of a database it does not own), and cannot connect to another app's database."""
    server = PrivatePostgres()
    try:
        server.start()
        env = {**os.environ, "PGHOST": "127.0.0.1", "PGPORT": str(server.port), "POSTGRES_USER": "postgres",
               "POSTGRES_DB": "postgres", **{f"DB_PASSWORD_{info['db'].upper()}": f"pw-{info['db']}"
                                             for info in APPS.values()}}
        result = run(["bash", str(INIT_SCRIPT)], env=env)
        assert result.returncode == 0, result.stderr

        def psql(user: str, database: str, sql: str) -> subprocess.CompletedProcess:
            return run(["psql", "-X", "-v", "ON_ERROR_STOP=1", "-At", "-U", user, "-d", database, "-c", sql], env=env)

        facts = psql("postgres", "postgres", "SELECT d.datname, pg_get_userbyid(d.datdba), "
                     "a.rolpassword LIKE 'SCRAM-SHA-256$%', has_database_privilege('jobs', d.datname, 'CONNECT') "
                     "FROM pg_database d JOIN pg_authid a ON a.rolname = d.datname WHERE d.datname <> 'postgres'")
        rows = {line.split("|")[0]: line.split("|")[1:] for line in facts.stdout.split()}
        assert set(rows) == {info["db"] for info in APPS.values()}, facts.stderr
        for db, (owner, scram, jobs_may_connect) in rows.items():
            assert owner == db and scram == "t"
            assert jobs_may_connect == ("t" if db == "jobs" else "f"), db
            created = psql(db, db, "CREATE TABLE deploy_check (id int); DROP TABLE deploy_check;")
            assert created.returncode == 0, created.stderr
        refused = psql("jobs", "renovation", "SELECT 1")
        assert refused.returncode != 0 and "permission denied" in refused.stderr
    finally:
        server.stop_and_remove()
