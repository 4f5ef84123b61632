"""The NetworkPolicies of each overlay, evaluated: who may open a connection to whom, on which port.

A small evaluator of the NetworkPolicy rules (pod and namespace selectors with matchLabels and
matchExpressions, ipBlock with except, ports) runs over the pods the overlay makes (from its Deployment and
Job templates), the pods the operators make (labelled as CloudNativePG and the RabbitMQ operator label them),
and pods elsewhere (the ingress controller, Prometheus, the operators, a stranger, the internet). Both sides
must allow a connection: the source's egress and the destination's ingress, as a cluster's CNI enforces them.
"""

from __future__ import annotations

import ipaddress
import itertools
from dataclasses import dataclass, field

import pytest

from tests.deploy.conftest import APPS, SERVICES, objects


@dataclass(frozen=True)
class Pod:
    name: str
    namespace: str
    labels: dict = field(hash=False)
    ip: str = field(default_factory=lambda: f"10.1.0.{next(_ips)}")


_ips = itertools.count(2)


def selects(selector: dict | None, labels: dict) -> bool:
    if selector is None:
        return True
    if any(labels.get(k) != v for k, v in selector.get("matchLabels", {}).items()):
        return False
    for expression in selector.get("matchExpressions", []):
        key, operator, values = expression["key"], expression["operator"], expression.get("values", [])
        ok = {"In": key in labels and labels[key] in values, "NotIn": labels.get(key) not in values,
              "Exists": key in labels, "DoesNotExist": key not in labels}[operator]
        if not ok:
            return False
    return True


def peer_matches(peer: dict, policy_namespace: str, other: Pod) -> bool:
    if "ipBlock" in peer:
        address = ipaddress.ip_address(other.ip)
        block = peer["ipBlock"]
        return address in ipaddress.ip_network(block["cidr"]) and not any(
            address in ipaddress.ip_network(e) for e in block.get("except", []))
    if other.namespace == "<internet>":
        return False
    if "namespaceSelector" in peer:
        if not selects(peer["namespaceSelector"], {"kubernetes.io/metadata.name": other.namespace}):
            return False
    elif other.namespace != policy_namespace:
        return False
    return selects(peer.get("podSelector"), other.labels)


def port_matches(rule: dict, port: int) -> bool:
    ports = rule.get("ports")
    return not ports or any(p.get("port") in (None, port) or p.get("port") <= port <= p.get("endPort", -1)
                            for p in ports)


def allowed_one_side(policies, subject: Pod, other: Pod, port: int, direction: str) -> bool:
    kind, peers_key = ("Ingress", "from") if direction == "ingress" else ("Egress", "to")
    relevant = [p for p in policies if p["metadata"]["namespace"] == subject.namespace
                and kind in p["spec"].get("policyTypes", ["Ingress"])
                and selects(p["spec"]["podSelector"], subject.labels)]
    if not relevant:
        return True  # a pod no policy selects in this direction is not isolated
    for policy in relevant:
        for rule in policy["spec"].get(direction, []):
            peers = rule.get(peers_key)
            if (not peers or any(peer_matches(peer, subject.namespace, other) for peer in peers)) and port_matches(
                    rule, port):
                return True
    return False


class Cluster:
    def __init__(self, docs):
        self.policies = objects(docs, "NetworkPolicy")
        (namespace,) = objects(docs, "Namespace")
        self.namespace = ns = namespace["metadata"]["name"]
        self.pods: dict[str, Pod] = {}
        for doc in docs:
            if doc["kind"] in ("Deployment", "Job"):
                name = doc["metadata"]["name"]
                self.pods[name] = Pod(name, ns, doc["spec"]["template"]["metadata"]["labels"])
        outside = {
            "postgres": Pod("minsheng-pg-1", ns, {"cnpg.io/cluster": "minsheng-pg", "cnpg.io/podRole": "instance"}),
            "postgres-2": Pod("minsheng-pg-2", ns, {"cnpg.io/cluster": "minsheng-pg", "cnpg.io/podRole": "instance"}),
            "rabbitmq": Pod("minsheng-rabbitmq-server-0", ns, {"app.kubernetes.io/name": "minsheng-rabbitmq",
                                                                "app.kubernetes.io/component": "rabbitmq"}),
            "rabbitmq-2": Pod("minsheng-rabbitmq-server-1", ns, {"app.kubernetes.io/name": "minsheng-rabbitmq",
                                                                  "app.kubernetes.io/component": "rabbitmq"}),
            "debug": Pod("a-debug-pod", ns, {"run": "debug"}),
            "ingress-nginx": Pod("controller", "ingress-nginx", {"app.kubernetes.io/name": "ingress-nginx"}),
            "prometheus": Pod("prometheus-0", "monitoring", {"app.kubernetes.io/name": "prometheus"}),
            "cnpg-operator": Pod("cnpg-controller-manager", "cnpg-system",
                                 {"app.kubernetes.io/name": "cloudnative-pg"}),
            "rabbitmq-operator": Pod("rabbitmq-cluster-operator", "rabbitmq-system",
                                     {"app.kubernetes.io/component": "rabbitmq-operator"}),
            "kube-dns": Pod("coredns", "kube-system", {"k8s-app": "kube-dns"}),
            "stranger": Pod("stranger", "another-team", {"app": "whatever"}),
            "internet": Pod("oidc-issuer", "<internet>", {}, ip="203.0.113.10"),
        }
        self.pods.update(outside)

    def can(self, source: str, destination: str, port: int) -> bool:
        src, dst = self.pods[source], self.pods[destination]
        egress = src.namespace == "<internet>" or allowed_one_side(self.policies, src, dst, port, "egress")
        ingress = dst.namespace == "<internet>" or allowed_one_side(self.policies, dst, src, port, "ingress")
        return egress and ingress


@pytest.fixture
def cluster(docs) -> Cluster:
    return Cluster(docs)


SERVICE_NAMES = [APPS[s]["k8s"] for s in SERVICES]
MIGRATIONS = [f"migrate-{info['k8s']}" for info in APPS.values()]


def test_only_the_gateway_reaches_the_services(cluster):
    for service in SERVICE_NAMES:
        assert cluster.can("gateway", service, 8000)
        callers = [*SERVICE_NAMES, *MIGRATIONS, "minsheng-redis", "postgres", "rabbitmq", "debug", "ingress-nginx",
                   "stranger", "cnpg-operator", "internet"]
        for caller in callers:
            if caller != service:
                assert not cluster.can(caller, service, 8000), f"{caller} -> {service}"
        # The one exception, documented: Prometheus scrapes /metrics on the HTTP port.
        assert cluster.can("prometheus", service, 8000)


def test_the_gateway_is_reached_from_the_ingress_controller(cluster):
    assert cluster.can("ingress-nginx", "gateway", 8000)
    for caller in [*SERVICE_NAMES, "debug", "stranger", "internet", "rabbitmq"]:
        assert not cluster.can(caller, "gateway", 8000), caller


def test_services_reach_postgres_and_rabbitmq_and_nothing_else(cluster):
    for service in SERVICE_NAMES:
        assert cluster.can(service, "postgres", 5432)
        assert cluster.can(service, "rabbitmq", 5672)
        assert cluster.can(service, "kube-dns", 53)
        for other in ["gateway", "minsheng-redis", "stranger", "internet", *SERVICE_NAMES]:
            if other != service:
                for port in (8000, 6379, 443):
                    assert not cluster.can(service, other, port), f"{service} -> {other}:{port}"
        assert not cluster.can(service, "rabbitmq", 15672), "the management API is for the operator"


def test_the_gateway_reaches_its_database_and_redis_but_not_the_broker(cluster):
    assert cluster.can("gateway", "postgres", 5432)
    assert cluster.can("gateway", "minsheng-redis", 6379)
    assert cluster.can("gateway", "internet", 443)  # the OIDC issuer's keys
    assert not cluster.can("gateway", "rabbitmq", 5672)
    assert not cluster.can("gateway", "stranger", 8000)


def test_migrations_reach_postgres_only(cluster):
    for job in MIGRATIONS:
        assert cluster.can(job, "postgres", 5432)
        for other, port in [("rabbitmq", 5672), ("gateway", 8000), ("internet", 443), ("minsheng-redis", 6379)]:
            assert not cluster.can(job, other, port), f"{job} -> {other}"


def test_data_pods_are_fenced(cluster):
    for stranger in ("debug", "stranger", "ingress-nginx"):
        assert not cluster.can(stranger, "postgres", 5432)
        assert not cluster.can(stranger, "rabbitmq", 5672)
        assert not cluster.can(stranger, "minsheng-redis", 6379)
    for service in SERVICE_NAMES:
        assert not cluster.can(service, "minsheng-redis", 6379)


def test_operators_and_peers_keep_working(cluster):
    assert cluster.can("cnpg-operator", "postgres", 8000)
    assert cluster.can("cnpg-operator", "postgres", 5432)
    assert cluster.can("postgres-2", "postgres", 5432)  # streaming replication
    assert cluster.can("rabbitmq-operator", "rabbitmq", 15672)
    assert cluster.can("rabbitmq-2", "rabbitmq", 25672)  # clustering
    assert cluster.can("rabbitmq-2", "rabbitmq", 4369)  # epmd
    assert cluster.can("prometheus", "rabbitmq", 15692)
    assert cluster.can("prometheus", "postgres", 9187)


def test_the_evaluator_denies_what_no_rule_opens():
    """Without the allow rules, the default deny leaves nothing open (the evaluator is not permissive)."""
    from tests.deploy.conftest import rendered

    docs = [d for d in rendered("overlays/prod")
            if d["kind"] != "NetworkPolicy" or d["metadata"]["name"] == "minsheng-default-deny"]
    bare = Cluster(docs)
    assert not bare.can("gateway", "jobs", 8000)
    assert not bare.can("ingress-nginx", "gateway", 8000)
    assert bare.can("stranger", "postgres", 5432)  # not ours to isolate without postgres-ingress
