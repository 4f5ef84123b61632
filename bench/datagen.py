"""Data at scale, generated inside PostgreSQL (INSERT ... SELECT generate_series over asyncpg) into databases
migrated by each service's Alembic head; then each service's running totals are rebuilt as after any bulk load.

Nothing is shipped: the rows are synthetic (bench-* references, no real ID numbers or names) and the
databases are dropped at the end of the run. Scale (issue 10): 100,000 seekers + 20,000 vacancies;
50,000 patients + 2,000,000 readings; 1,000 kits (4 devices each) + 200,000 alerts.
"""

from __future__ import annotations

import time

import asyncpg

from shared.areas import xiaoshan
from shared.database import create_engine, create_session_factory, unit_of_work

STREETS = [a.code for a in xiaoshan().streets()]
SKILLS = ["电工", "焊工", "保洁", "厨师", "保安", "驾驶", "收银", "仓储", "缝纫", "护理",
          "育婴", "养老护理", "数控", "装配", "质检", "物流", "销售", "客服", "会计", "电商"]
# One year of history ending now, so that "this year" and the monthly totals both have data.
SPAN = "interval '365 days'"


def _arr(values: list[str]) -> str:
    return "ARRAY[" + ",".join(f"'{v}'" for v in values) + "]"


S, K = _arr(STREETS), _arr(SKILLS)
NS, NK = len(STREETS), len(SKILLS)

JOBS = [
    f"""INSERT INTO employers (id, name, credit_code, street_code, industry, size, created_at, updated_at)
    SELECT gen_random_uuid(), 'bench employer ' || g, 'B' || lpad(g::text, 17, '0'), ({S})[1 + g % {NS}],
           'manufacturing',
           'small', now(), now() FROM generate_series(1, 2000) g""",
    f"""INSERT INTO vacancies (id, employer_id, title, salary_min_fen, salary_max_fen, street_code, headcount, filled,
        status, public_welfare, opened_at, created_at, updated_at)
    SELECT gen_random_uuid(), e.a[1 + g % 2000], ({K})[1 + g % {NK}] || '岗位', 300000 + (g % 40) * 10000,
           500000 + (g % 40) * 10000, ({S})[1 + g % {NS}], 1 + g % 5, 0, CASE WHEN g % 10 = 0 THEN 'closed'
           ELSE 'open' END, g % 25 = 0, now() - {SPAN} * (g::float / 20000), now(), now()
    FROM generate_series(1, 20000) g, (SELECT array_agg(id ORDER BY id) a FROM employers) e""",
    f"""INSERT INTO vacancy_skills (vacancy_id, skill)
    SELECT id, ({K})[1 + (n + k * 7) % {NK}] FROM
      (SELECT id, row_number() OVER (ORDER BY id) n FROM vacancies) v, generate_series(0, 1) k""",
    f"""INSERT INTO seekers (id, id_number, person_ref, name, sex, birth_date, street_code, groups, desired_posts,
        caseworker, stage, registered_at, created_at, updated_at)
    SELECT gen_random_uuid(), 'B' || lpad(g::text, 17, '0'), 'bench-s-' || g, 'bench seeker ' || g,
           CASE WHEN g % 2 = 0 THEN 'F' ELSE 'M' END, date '1970-01-01' + (g % 12000), ({S})[1 + g % {NS}],
           CASE WHEN g % 7 = 0 THEN ',graduate,' ELSE '' END, '[]', 'bench-jobs',
           (ARRAY['registered','in_service','in_service','placed','followed_up'])[1 + g % 5],
           now() - {SPAN} * (g::float / 100000), now(), now()
    FROM generate_series(1, 100000) g""",
    f"""INSERT INTO seeker_skills (seeker_id, skill)
    SELECT id, ({K})[1 + (n + k * 3) % {NK}] FROM
      (SELECT id, row_number() OVER (ORDER BY id) n FROM seekers) s, generate_series(0, 2) k""",
]

CHRONIC = [
    f"""INSERT INTO stations (id, code, name, street_code, created_at, updated_at)
    SELECT gen_random_uuid(), 'bench-st-' || g, 'bench station ' || g, ({S})[1 + g % {NS}], now(), now()
    FROM generate_series(1, 30) g""",
    f"""INSERT INTO patients (id, person_ref, id_number, name, sex, birth_date, station_id, family_doctor,
        street_code, status, registered_at, last_grade_rank, created_at, updated_at)
    SELECT gen_random_uuid(), 'bench-p-' || g, 'B' || lpad(g::text, 17, '0'), 'bench patient ' || g,
           CASE WHEN g % 2 = 0 THEN 'F' ELSE 'M' END, date '1940-01-01' + (g % 12000), st.a[1 + g % 30],
           'bench-doctor', ({S})[1 + (g % 30) % {NS}], 'active', now() - {SPAN} * (g::float / 50000), 0, now(), now()
    FROM generate_series(1, 50000) g, (SELECT array_agg(id ORDER BY code) a FROM stations) st""",
    # Registered with consent in force (PIPL): without it every reading posted in the load run is a 409.
    """INSERT INTO consents (id, person_ref, purpose, granted_at, granted_by)
    SELECT gen_random_uuid(), person_ref, 'health_data', registered_at, 'bench-doctor' FROM patients""",
    """INSERT INTO patient_conditions (patient_id, code, category)
    SELECT id, 'I10', 'I10' FROM patients UNION ALL
    SELECT id, 'E11', 'E11' FROM (SELECT id, row_number() OVER (ORDER BY id) n FROM patients) p WHERE n % 3 = 0""",
    f"""INSERT INTO readings (id, patient_id, station_id, measure, systolic, diastolic, pulse, glucose_mmol,
        glucose_context, measured_at, source, recorded_by, grade, controlled, flagged, created_at, updated_at)
    SELECT gen_random_uuid(), p.id, p.station_id,
           CASE WHEN g % 4 = 0 THEN 'glucose' ELSE 'blood_pressure' END,
           CASE WHEN g % 4 = 0 THEN NULL ELSE 110 + g % 50 END, CASE WHEN g % 4 = 0 THEN NULL ELSE 70 + g % 25 END,
           CASE WHEN g % 4 = 0 THEN NULL ELSE 60 + g % 30 END, CASE WHEN g % 4 = 0 THEN 5 + (g % 40) / 10.0 END,
           CASE WHEN g % 4 = 0 THEN 'fasting' END, now() - {SPAN} * (g::float / 2000000), 'device', 'bench',
           CASE WHEN g % 20 = 0 THEN 'high' ELSE 'normal' END, g % 20 <> 0, false, now(), now()
    FROM generate_series(0, 1999999) g
    JOIN (SELECT id, station_id, row_number() OVER (ORDER BY id) - 1 n FROM patients) p ON p.n = g % 50000""",
]

COMMUNITY = [
    f"""INSERT INTO households (id, label, address, street_code, community_code, created_at, updated_at)
    SELECT gen_random_uuid(), 'bench household ' || g, 'bench address ' || g, ({S})[1 + g % {NS}],
           ({S})[1 + g % {NS}] || '001', now(), now() FROM generate_series(1, 1000) g""",
    """INSERT INTO devices (id, household_id, street_code, community_code, type, serial_no, vendor_code,
        installed_at, status, created_at, updated_at)
    SELECT gen_random_uuid(), h.id, h.street_code, h.community_code, t.type, 'bench-' || h.id || '-' || t.type,
           'bench-vendor', now() - interval '400 days', 'active', now(), now()
    FROM households h, unnest(ARRAY['smoke','gas','emergency_button','door_sensor']) t(type)""",
    f"""INSERT INTO alerts (id, device_id, household_id, street_code, community_code, device_type, kind, severity,
        occurred_at, received_at, repeat, posted_by)
    SELECT gen_random_uuid(), d.id, d.household_id, d.street_code, d.community_code, d.type,
           CASE WHEN g % 5 = 0 THEN 'test' ELSE 'low_battery' END, CASE WHEN g % 5 = 0 THEN NULL ELSE 'low' END,
           now() - {SPAN} * (g::float / 200000), now() - {SPAN} * (g::float / 200000), false, 'bench-vendor'
    FROM generate_series(0, 199999) g
    JOIN (SELECT id, household_id, street_code, community_code, type, row_number() OVER (ORDER BY id) - 1 n
          FROM devices) d ON d.n = g % 4000""",
]

PLANS = {"jobs": JOBS, "chronic_care": CHRONIC, "community": COMMUNITY}


def asyncpg_dsn(sqlalchemy_url: str) -> str:
    return sqlalchemy_url.replace("postgresql+asyncpg://", "postgresql://")


async def generate(service: str, url: str) -> dict:
    """Run the service's statements in one transaction, ANALYZE, rebuild its running totals; timings in s."""
    started = time.perf_counter()
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        async with conn.transaction():
            for statement in PLANS[service]:
                await conn.execute(statement)
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
    generated = time.perf_counter()
    await rebuild_totals(service, url)
    return {"generate_s": round(generated - started, 1), "rebuild_s": round(time.perf_counter() - generated, 1)}


async def rebuild_totals(service: str, url: str) -> None:
    """The services' own rebuild after a bulk load (chronic care's counters, community's monthly figures, jobs'
    seeker tallies); renovation computes its overview from the rows with aggregate SQL."""
    if service == "chronic_care":
        from services.chronic_care.stats.rebuild import rebuild_counters as rebuild
    elif service == "community":
        from services.community.figures.service import rebuild
    elif service == "jobs":
        from services.jobs.stats.tallies import rebuild
    else:
        return
    engine = create_engine(url)
    try:
        async with create_session_factory(engine)() as session, unit_of_work(session):
            await rebuild(session)
    finally:
        await engine.dispose()
