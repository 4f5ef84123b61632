"""The demo data: loaded once (idempotent), at one tenth of the seed's figures, and usable through the API."""

from services.jobs.demo import load_demo
from services.jobs.tests.helpers import AUDITOR
from shared import demo_people
from shared.settings import DEV_PERSON_REF_KEY
from shared.testing import identity_headers

DEMO_OFFICER = identity_headers("jobs", subject="jobs")


async def test_demo_data_matches_the_seed_and_loads_once(make_client):
    async with make_client() as client:
        app = client.app
        await load_demo(app.state.session_factory, app.state.settings)
        await load_demo(app.state.session_factory, app.state.settings)  # a second run adds nothing
        overview = (await client.get("/stats/overview", headers=AUDITOR)).json()
        f = overview["figures"]
        assert (f["new_urban_jobs"], f["people_helped_into_work"]) == (3_320, 1_970)
        assert f["benefit_paid_fen"] == 12_200_000 * 100
        assert f["loans_disbursed_fen"] == 6_734_000 * 100 and f["loans_disbursed"] == 34
        assert (f["relief_enterprise_times"], f["relief_total_fen"]) == (23_000, 110_000_000 * 100)
        assert f["zero_employment_households"] >= 1 and f["households_cleared"] == 45

        chen = (await client.get("/seekers/me", headers=identity_headers(
            "resident", subject="seeker", person_ref=demo_people.SEEKER.ref(DEV_PERSON_REF_KEY)))).json()
        assert chen["name"] == demo_people.SEEKER.name and chen["stage"] == "in_service"
        assert "zero_employment_household" in chen["priority_groups"]
        matches = (await client.get(f"/seekers/{chen['id']}/matches", headers=DEMO_OFFICER)).json()["items"]
        assert matches and matches[0]["score"] >= matches[-1]["score"]
        household = (await client.get(f"/households/{chen['household_id']}", headers=DEMO_OFFICER)).json()
        assert household["status"] == "zero_employment"
        work = (await client.get("/worklist/summary", headers=DEMO_OFFICER)).json()
        assert any(row["follow_ups_overdue"] for row in work["by_caseworker"])
        page = (await client.get("/seekers", params={"limit": 200}, headers=DEMO_OFFICER)).json()
        assert len(page["items"]) == 200 and page["next_cursor"]
