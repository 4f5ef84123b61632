"""The demo data reproduces the seed's figures for the 梅林 station, and loads once."""

from datetime import UTC, datetime

from sqlalchemy import func, select

from services.chronic_care.demo import demo_year, load_demo
from services.chronic_care.patients.models import Patient
from services.chronic_care.tests.helpers import AUDITOR
from shared import demo_people
from shared.testing import identity_headers


async def test_demo_matches_the_seed_and_loads_once(make_client):
    async with make_client() as client:
        settings = client.app.state.settings
        factory = client.app.state.session_factory
        await load_demo(factory, settings)
        await load_demo(factory, settings)  # idempotent
        async with factory() as session:
            assert await session.scalar(select(func.count()).select_from(Patient)) == 220
        year = demo_year(datetime.now(UTC))
        r = await client.get("/stats/overview", headers=AUDITOR, params={
            "station_code": "meilin", "date_from": f"{year}-01-01", "date_to": f"{year}-10-31"})
        figures = r.json()["figures"]
        assert figures["dispensing_services"] == 566
        assert figures["drug_kinds_dispensed"] == 295
        assert figures["new_out_of_catalogue_drugs"] == 174
        assert figures["drugs_added_to_catalogue"] == 40
        district = (await client.get("/stats/overview", params={"year": year}, headers=AUDITOR)).json()["figures"]
        assert district["dispensing_services"] == 566 and 0 < district["bp_control_rate"] < 1
        # The counters rebuilt after the bulk load agree with a recount of the records.
        from services.chronic_care.stats.service import overview

        async with factory() as session:
            args = {"year": year, "street_code": None, "station_code": None, "date_from": None, "date_to": None,
                    "now": datetime.now(UTC)}
            fast, slow = await overview(session, **args), await overview(session, **args, exact_only=True)
        assert fast["figures"] == slow["figures"] and fast["by_station"] == slow["by_station"]
        # The demo resident sees her own record; the demo doctor has her on the overdue list.
        resident = identity_headers("resident", subject="resident",
                                    person_ref=demo_people.RESIDENT.ref(settings.person_ref_key.get_secret_value()))
        mine = (await client.get("/patients", headers=resident)).json()["items"]
        assert [p["name"] for p in mine] == [demo_people.RESIDENT.name]
        overdue = (await client.get("/follow-ups/overdue", headers=identity_headers("doctor", subject="doctor"),
                                    params={"limit": 200})).json()["items"]
        assert demo_people.RESIDENT.name in [o["patient_name"] for o in overdue]
