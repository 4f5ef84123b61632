"""The kustomize overlays render with the pinned kubectl, every core object validates strictly against the
Kubernetes schemas, and the objects fit together (probes, resources, budgets, autoscalers, secrets, settings).

The operators' custom resources (CloudNativePG ``Cluster``/``Database``, RabbitMQ ``RabbitmqCluster``) are not
in the Kubernetes schemas and no operator schema is vendored here. They get a narrower check of our own: the
fields we use are among the fields those operators document, the standard Kubernetes types inside them
(resources, affinity) validate strictly, and their references resolve. That is weaker than the operator's own
admission check, which only a cluster with the operators installed performs (docs/operations.md).
"""

from __future__ import annotations

import base64
import functools
import re

import pytest

from tests.deploy.conftest import APPS, K8S, OVERLAYS, SERVICES, module, named, objects, rendered

# The oldest Kubernetes we support (PodDisruptionBudget.unhealthyPodEvictionPolicy is GA in 1.31, beta and on by
# default since 1.27) and the newest the pinned schemas know.
KUBERNETES_VERSIONS = ("1.30.0", "1.37.0")
CUSTOM_KINDS = {
    ("postgresql.cnpg.io/v1", "Cluster"),
    ("postgresql.cnpg.io/v1", "Database"),
    ("rabbitmq.com/v1beta1", "RabbitmqCluster"),
}
TARGETS = ("base", *(f"overlays/{name}" for name in OVERLAYS))


def kubernetes_validate():
    """kubernetes-validate, with its schema files read once per run instead of once per object (3x faster)."""
    library = module("kubernetes_validate")
    if not hasattr(library.utils.schema_contents, "cache_info"):
        library.utils.schema_contents = functools.cache(library.utils.schema_contents)
    return library


def core(docs) -> list[dict]:
    return [doc for doc in docs if (doc["apiVersion"], doc["kind"]) not in CUSTOM_KINDS]


@pytest.mark.parametrize("target", TARGETS)
def test_every_core_object_validates_strictly(target):
    validate = kubernetes_validate()
    failures = []
    for doc in core(rendered(target)):
        for version in KUBERNETES_VERSIONS:
            try:
                validate.validate(doc, version, strict=True)
            except validate.utils.SchemaNotFoundError as exc:
                failures.append(f"{doc['kind']} {doc['metadata']['name']}: {exc.message}")
            except validate.utils.ValidationError as exc:
                where = ".".join(str(p) for p in exc.path)
                failures.append(f"{doc['kind']} {doc['metadata']['name']} (k8s {version}) at {where}: {exc.message}")
    assert not failures, "\n".join(failures)


def test_strict_validation_rejects_a_misspelt_field():
    """The check above is only worth something if an unknown field fails it."""
    validate = kubernetes_validate()
    deployment = named(rendered("overlays/prod"), "Deployment", "jobs")
    broken = {**deployment, "spec": {**deployment["spec"], "replica": 2}}
    with pytest.raises(validate.utils.ValidationError):
        validate.validate(broken, KUBERNETES_VERSIONS[0], strict=True)


@pytest.mark.parametrize("target", TARGETS)
def test_only_known_kinds_and_one_namespace(target):
    docs = rendered(target)
    unknown = {(d["apiVersion"], d["kind"]) for d in docs} - CUSTOM_KINDS - {
        (d["apiVersion"], d["kind"]) for d in core(docs)}
    assert not unknown
    if target == "base":
        return
    namespaces = objects(docs, "Namespace")
    assert len(namespaces) == 1
    name = namespaces[0]["metadata"]["name"]
    assert {d["metadata"].get("namespace") for d in docs if d["kind"] != "Namespace"} == {name}


# --- the apps ----------------------------------------------------------------------------------------------

def containers(pod_spec) -> list[dict]:
    return [*pod_spec.get("initContainers", []), *pod_spec["containers"]]


def test_each_app_has_deployment_service_budget_autoscaler_and_migration(docs):
    for app, info in APPS.items():
        name = info["k8s"]
        deployment = named(docs, "Deployment", name)
        pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
        selector = deployment["spec"]["selector"]["matchLabels"]
        assert selector.items() <= pod_labels.items()

        service = named(docs, "Service", name)
        assert service["spec"]["selector"].items() <= pod_labels.items()
        assert service["spec"]["ports"] == [{"name": "http", "port": 8000, "targetPort": "http", "protocol": "TCP"}]

        budget = named(docs, "PodDisruptionBudget", name)
        assert budget["apiVersion"] == "policy/v1"
        assert budget["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()
        assert budget["spec"]["maxUnavailable"] == 1

        hpa = named(docs, "HorizontalPodAutoscaler", name)
        assert hpa["apiVersion"] == "autoscaling/v2"
        assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": name}
        assert 1 <= hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]
        assert "replicas" not in deployment["spec"], f"{name}: the HPA owns the replica count"

        job = named(docs, "Job", f"migrate-{name}")
        job_pod = job["spec"]["template"]["spec"]
        assert job_pod["restartPolicy"] == "Never"
        assert job_pod["containers"][0]["args"] == ["migrate"]
        assert job_pod["containers"][0]["image"] == deployment["spec"]["template"]["spec"]["containers"][0]["image"]
        job_labels = job["spec"]["template"]["metadata"]["labels"]
        assert job_labels["minsheng/role"] == "migration"
        assert not budget["spec"]["selector"]["matchLabels"].items() <= job_labels.items()
        assert not service["spec"]["selector"].items() <= job_labels.items()


def test_production_keeps_two_replicas_or_more():
    for hpa in objects(rendered("overlays/prod"), "HorizontalPodAutoscaler"):
        assert hpa["spec"]["minReplicas"] >= 2, hpa["metadata"]["name"]


def test_probes_shutdown_and_security(docs):
    for info in APPS.values():
        pod = named(docs, "Deployment", info["k8s"])["spec"]["template"]["spec"]
        app = pod["containers"][0]
        assert app["args"] == ["serve"]
        assert app["ports"] == [{"name": "http", "containerPort": 8000, "protocol": "TCP"}]
        assert app["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
        assert app["startupProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
        assert app["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
        # preStop sleep, then uvicorn's graceful shutdown (20 s, deploy/docker/entrypoint.sh), inside the grace.
        pre_stop = app["lifecycle"]["preStop"]["exec"]["command"]
        assert pre_stop[0] == "/bin/sleep"
        assert int(pre_stop[1]) + 20 + 5 <= pod["terminationGracePeriodSeconds"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["runAsUser"] == 10001  # the image's user
        assert pod["automountServiceAccountToken"] is False
        init = pod["initContainers"][0]
        assert init["args"][0] == "wait-migrated" and init["image"] == app["image"]


def test_every_container_has_requests_limits_and_a_locked_down_context(docs):
    for doc in docs:
        if doc["kind"] not in ("Deployment", "Job"):
            continue
        for container in containers(doc["spec"]["template"]["spec"]):
            where = f"{doc['kind']} {doc['metadata']['name']}/{container['name']}"
            resources = container["resources"]
            assert {"cpu", "memory"} <= resources["requests"].keys(), where
            assert {"cpu", "memory"} <= resources["limits"].keys(), where
            assert quantity(resources["requests"]["memory"]) <= quantity(resources["limits"]["memory"]), where
            context = container["securityContext"]
            assert context["allowPrivilegeEscalation"] is False, where
            assert context["readOnlyRootFilesystem"] is True, where
            assert context["capabilities"]["drop"] == ["ALL"], where


def quantity(value) -> float:
    units = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "m": 1e-3, "": 1}
    number, unit = re.fullmatch(r"([0-9.]+)([A-Za-z]*)", str(value)).groups()
    return float(number) * units[unit]


def test_init_container_and_migration_job_see_the_same_database_as_the_app(docs):
    for info in APPS.values():
        pod = named(docs, "Deployment", info["k8s"])["spec"]["template"]["spec"]
        job = named(docs, "Job", f"migrate-{info['k8s']}")["spec"]["template"]["spec"]["containers"][0]
        app = pod["containers"][0]
        url_name = f"{info['prefix']}DATABASE_URL"
        for other in (pod["initContainers"][0], job):
            assert other["envFrom"] == app["envFrom"]
            assert other["env"] == [e for e in app["env"] if e in other["env"]]
            assert url_name in {e["name"] for e in other["env"]}
        url = next(e["value"] for e in app["env"] if e["name"] == url_name)
        assert url == (f"postgresql+asyncpg://$(DB_USERNAME):$(DB_PASSWORD)@minsheng-pg-rw:5432/{info['db']}")


def test_only_services_get_the_broker(docs):
    for app, info in APPS.items():
        app_container = named(docs, "Deployment", info["k8s"])["spec"]["template"]["spec"]["containers"][0]
        env = {e["name"] for e in app_container["env"]}
        assert ("MINSHENG_BROKER_URL" in env) == (app != "gateway"), app


# --- settings: every variable we set is one the apps read ---------------------------------------------------

HELPER_VARIABLES = {"DB_USERNAME", "DB_PASSWORD", "BROKER_USERNAME", "BROKER_PASSWORD"}


@functools.cache
def settings_names(app: str) -> set[str]:
    """The environment variables an app's settings class reads."""
    settings = module("gateway.settings" if app == "gateway" else f"services.{app}.settings").Settings
    prefix = settings.model_config.get("env_prefix", "")
    names = set()
    for field_name, field in settings.model_fields.items():
        alias = field.validation_alias
        names.add(alias if isinstance(alias, str) else f"{prefix}{field_name}".upper())
    return names


def test_configmaps_and_env_name_real_settings(docs):
    configmaps = {c["metadata"]["name"]: c["data"] for c in objects(docs, "ConfigMap")}
    everything = set().union(*(settings_names(app) for app in APPS))
    for name, data in configmaps.items():
        unknown = set(data) - everything
        assert not unknown, f"ConfigMap {name} sets variables no app reads: {sorted(unknown)}"
    for app, info in APPS.items():
        pod = named(docs, "Deployment", info["k8s"])["spec"]["template"]["spec"]
        for container in containers(pod):
            names = {e["name"] for e in container["env"]} - HELPER_VARIABLES
            for ref in container["envFrom"]:
                names |= {n for n in configmaps[ref["configMapRef"]["name"]]
                          if n.startswith(("MINSHENG_", info["prefix"]))}
            unknown = names - settings_names(app)
            assert not unknown, f"{app}/{container['name']}: {sorted(unknown)} are not settings of {app}"


def test_gateway_routes_every_area_to_its_service(docs):
    data = named(docs, "ConfigMap", "minsheng-gateway")["data"]
    for app in SERVICES:
        assert data[f"GATEWAY_UPSTREAM_{app.upper()}"] == f"http://{APPS[app]['k8s']}:8000"
    assert data["GATEWAY_READY_REQUIRES_UPSTREAMS"] == "false"


def test_database_connections_fit_postgres(docs):
    """At every HPA maximum, 2 x pool per replica (pool + overflow), plus room for migrations and operators."""
    platform = named(docs, "ConfigMap", "minsheng-platform")["data"]
    gateway = named(docs, "ConfigMap", "minsheng-gateway")["data"]
    total = 0
    for app, info in APPS.items():
        pool = int({**platform, **gateway}.get(f"{info['prefix']}DATABASE_POOL_SIZE", 10))
        total += 2 * pool * named(docs, "HorizontalPodAutoscaler", info["k8s"])["spec"]["maxReplicas"]
    limit = int(named(docs, "Cluster", "minsheng-pg")["spec"]["postgresql"]["parameters"]["max_connections"])
    assert total + 20 <= limit, f"{total} app connections + 20 > max_connections {limit}"


# --- secrets ------------------------------------------------------------------------------------------------

def secret_references(docs) -> dict[str, set[str]]:
    refs: dict[str, set[str]] = {}
    for doc in docs:
        if doc["kind"] not in ("Deployment", "Job"):
            continue
        for container in containers(doc["spec"]["template"]["spec"]):
            for env in container.get("env", []):
                ref = env.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    refs.setdefault(ref["name"], set()).add(ref["key"])
    for role in named(docs, "Cluster", "minsheng-pg")["spec"]["managed"]["roles"]:
        refs.setdefault(role["passwordSecret"]["name"], set()).update({"username", "password"})
    for ingress in objects(docs, "Ingress"):
        for tls in ingress["spec"].get("tls", []):
            refs.setdefault(tls["secretName"], set()).update({"tls.crt", "tls.key"})
    return refs


OPERATOR_SECRETS = {"minsheng-rabbitmq-default-user"}  # made by the RabbitMQ operator


def test_dev_generates_every_secret_it_uses():
    docs = rendered("overlays/dev")
    secrets = {s["metadata"]["name"]: s for s in objects(docs, "Secret")}
    for name, keys in secret_references(docs).items():
        if name in OPERATOR_SECRETS:
            continue
        assert name in secrets, f"dev uses Secret {name} but does not generate it"
        assert keys <= secrets[name]["data"].keys(), name


def test_prod_generates_no_secret_and_the_doc_lists_the_ones_it_needs():
    docs = rendered("overlays/prod")
    assert not objects(docs, "Secret"), "production secrets are made outside Git"
    doc = (K8S.parents[1] / "docs" / "operations.md").read_text(encoding="utf-8")
    for name, keys in secret_references(docs).items():
        assert f"`{name}`" in doc, f"docs/operations.md does not list Secret {name}"
        for key in keys:
            assert f"`{key}`" in doc, f"docs/operations.md does not list key {key} of {name}"


def test_database_role_secrets_match_their_roles():
    docs = rendered("overlays/dev")
    secrets = {s["metadata"]["name"]: s for s in objects(docs, "Secret")}
    for role in named(docs, "Cluster", "minsheng-pg")["spec"]["managed"]["roles"]:
        secret = secrets[role["passwordSecret"]["name"]]
        assert secret["type"] == "kubernetes.io/basic-auth"
        assert base64.b64decode(secret["data"]["username"]).decode() == role["name"]


# --- the operators' custom resources (a narrower check: see the module docstring) ---------------------------

# Fields of the operators' APIs that these manifests may use (CloudNativePG 1.25+ postgresql.cnpg.io/v1,
# RabbitMQ Cluster Operator 2.x rabbitmq.com/v1beta1), from their API references. A misspelt or made-up
# field fails here instead of at the cluster's admission.
CNPG_CLUSTER_SPEC = {"instances", "imageName", "primaryUpdateStrategy", "enableSuperuserAccess", "storage",
                     "walStorage", "resources", "postgresql", "affinity", "managed", "bootstrap", "backup",
                     "monitoring", "inheritedMetadata", "description", "plugins"}
CNPG_STORAGE = {"size", "storageClass", "resizeInUseVolumes", "pvcTemplate"}
CNPG_AFFINITY = {"enablePodAntiAffinity", "topologyKey", "podAntiAffinityType", "nodeSelector", "tolerations",
                 "additionalPodAntiAffinity", "additionalPodAffinity", "nodeAffinity"}
CNPG_ROLE = {"name", "ensure", "login", "passwordSecret", "comment", "superuser", "createdb", "createrole",
             "inherit", "replication", "bypassrls", "connectionLimit", "validUntil", "inRoles", "disablePassword"}
CNPG_DATABASE_SPEC = {"cluster", "name", "owner", "ensure", "databaseReclaimPolicy", "encoding", "locale",
                      "template", "connectionLimit", "allowConnections", "isTemplate", "schemas", "extensions"}
RABBITMQ_SPEC = {"replicas", "image", "persistence", "resources", "rabbitmq", "affinity", "tolerations",
                 "override", "service", "tls", "terminationGracePeriodSeconds", "imagePullSecrets",
                 "secretBackend", "skipPostDeploySteps", "delayStartSeconds", "autoEnableAllFeatureFlags"}
RABBITMQ_PERSISTENCE = {"storage", "storageClassName"}
RABBITMQ_CONFIG = {"additionalConfig", "additionalPlugins", "advancedConfig", "envConfig", "erlangInetConfig"}


def kubernetes_type(obj, definition: str, version: str = KUBERNETES_VERSIONS[0]) -> list[str]:
    """Validate a standard Kubernetes type nested in a custom resource against the strict schemas."""
    jsonschema = module("jsonschema")
    referencing = module("referencing")
    utils = kubernetes_validate().utils
    definitions = utils.schema_contents(f"kubernetes-json-schema/v{version}-local-strict/_definitions.json",
                                        version)
    schema = {"$id": "https://kubernetes.io/api/nested.json",
              "$ref": f"/api/_definitions.json#/$defs/{definition}"}
    registry = referencing.Resource.from_contents(definitions) @ referencing.Registry()
    validator = jsonschema.Draft202012Validator(schema, registry=registry)
    return [f"{'.'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(obj)]


def test_postgres_cluster_uses_known_fields_and_valid_types(docs):
    cluster = named(docs, "Cluster", "minsheng-pg")
    spec = cluster["spec"]
    assert cluster["apiVersion"] == "postgresql.cnpg.io/v1"
    assert set(spec) <= CNPG_CLUSTER_SPEC, set(spec) - CNPG_CLUSTER_SPEC
    assert set(spec["storage"]) <= CNPG_STORAGE
    assert set(spec.get("walStorage", {})) <= CNPG_STORAGE
    assert set(spec["affinity"]) <= CNPG_AFFINITY
    assert spec["affinity"]["podAntiAffinityType"] in ("preferred", "required")
    assert isinstance(spec["instances"], int) and spec["instances"] >= 1
    assert re.fullmatch(r"ghcr\.io/cloudnative-pg/postgresql:15(\.\d+)?", spec["imageName"])
    # CloudNativePG takes parameters as strings only.
    assert all(isinstance(v, str) for v in spec["postgresql"]["parameters"].values())
    assert not kubernetes_type(spec["resources"], "io.k8s.api.core.v1.ResourceRequirements")
    roles = spec["managed"]["roles"]
    for role in roles:
        assert set(role) <= CNPG_ROLE, role
        assert role["ensure"] == "present" and role["login"] is True
    assert {r["name"] for r in roles} == {info["db"] for info in APPS.values()}


def test_each_app_has_its_own_database_owned_by_its_role(docs):
    databases = objects(docs, "Database")
    assert len(databases) == len(APPS)
    roles = {r["name"] for r in named(docs, "Cluster", "minsheng-pg")["spec"]["managed"]["roles"]}
    for database in databases:
        spec = database["spec"]
        assert database["apiVersion"] == "postgresql.cnpg.io/v1"
        assert set(spec) <= CNPG_DATABASE_SPEC
        assert spec["cluster"] == {"name": "minsheng-pg"}
        assert spec["owner"] == spec["name"] and spec["owner"] in roles
        assert spec["databaseReclaimPolicy"] == "retain"
    assert {d["spec"]["name"] for d in databases} == {info["db"] for info in APPS.values()}


def test_rabbitmq_cluster_uses_known_fields_and_valid_types(docs, overlay):
    cluster = named(docs, "RabbitmqCluster", "minsheng-rabbitmq")
    spec = cluster["spec"]
    assert cluster["apiVersion"] == "rabbitmq.com/v1beta1"
    assert set(spec) <= RABBITMQ_SPEC, set(spec) - RABBITMQ_SPEC
    assert set(spec["persistence"]) <= RABBITMQ_PERSISTENCE
    assert set(spec["rabbitmq"]) <= RABBITMQ_CONFIG
    assert re.fullmatch(r"rabbitmq:3\.\d+(\.\d+)?-management", spec["image"])
    # Quorum queues need a majority: an odd node count, three in production.
    assert spec["replicas"] % 2 == 1
    if overlay == "prod":
        assert spec["replicas"] == 3
    assert not kubernetes_type(spec["resources"], "io.k8s.api.core.v1.ResourceRequirements")
    assert not kubernetes_type(spec["affinity"], "io.k8s.api.core.v1.Affinity")
    # RabbitMQ would refuse to boot on a malformed rabbitmq.conf line.
    for line in spec["rabbitmq"]["additionalConfig"].splitlines():
        assert not line.strip() or line.lstrip().startswith("#") or re.fullmatch(r"[a-z0-9_.]+ = \S+", line)


def test_nested_type_check_catches_a_bad_field():
    assert kubernetes_type({"requests": {"cpu": "1"}, "limitz": {}}, "io.k8s.api.core.v1.ResourceRequirements")


def test_ingress_sends_everything_to_the_gateway(docs, overlay):
    (ingress,) = objects(docs, "Ingress")
    (rule,) = ingress["spec"]["rules"]
    (path,) = rule["http"]["paths"]
    assert path["path"] == "/" and path["pathType"] == "Prefix"
    assert path["backend"]["service"] == {"name": "gateway", "port": {"name": "http"}}
    if overlay == "prod":
        assert ingress["spec"]["tls"][0]["hosts"] == [rule["host"]]
