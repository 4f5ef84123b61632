"""Each service's retention command runs weekly as a CronJob that sees the same database as the app."""

from __future__ import annotations

from tests.deploy.conftest import APPS, SERVICES, named


def test_each_service_anonymises_on_a_schedule_against_its_own_database(docs):
    for app in SERVICES:
        info = APPS[app]
        cron = named(docs, "CronJob", f"retention-{info['k8s']}")["spec"]
        assert cron["concurrencyPolicy"] == "Forbid" and cron["timeZone"] == "Asia/Shanghai"
        pod = cron["jobTemplate"]["spec"]["template"]["spec"]
        container = pod["containers"][0]
        assert container["args"] == ["python", "-m", f"services.{app}.retention"]
        assert pod["restartPolicy"] == "Never" and pod["securityContext"]["runAsNonRoot"] is True
        assert container["securityContext"]["readOnlyRootFilesystem"] is True and container["resources"]["limits"]
        # The same database, settings and secrets as the migration Job (and so as the app).
        migrate = named(docs, "Job", f"migrate-{info['k8s']}")["spec"]["template"]["spec"]["containers"][0]
        assert (container["env"], container["envFrom"], container["image"]) == (
            migrate["env"], migrate["envFrom"], migrate["image"])
        # PostgreSQL only: the pods wear the role the migrations' network policy lets through.
        labels = cron["jobTemplate"]["spec"]["template"]["metadata"]["labels"]
        assert labels["minsheng/role"] == "migration"
