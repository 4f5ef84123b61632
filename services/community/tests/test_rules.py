"""The pure rules at their edges: walking model, opening hours, meal subsidy, alert severity, the work-order
state machine, escalation deadlines, places and ages."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.community.alerts.rules import category_of, severity_for, timing_problem
from services.community.canteen.rules import cut_off, price_meal
from services.community.childcare.rules import age_refusal as childcare_age_refusal
from services.community.courses.rules import placement, promotions
from services.community.escalation.rules import RANK, assignee_at, missed_deadlines
from services.community.residents.rules import age_in_months, age_on, groups_of
from services.community.stations.rules import WalkingModel, distance_m, hours_problem, is_open
from services.community.workorders.rules import STATUSES, TRANSITIONS, refusal, target

LAT = st.floats(29.9, 30.4)
LON = st.floats(120.1, 120.7)


def test_distance_and_the_15_minute_circle():
    assert distance_m(30.0, 120.0, 31.0, 120.0) == pytest.approx(111_195, rel=1e-3)
    model = WalkingModel()
    assert model.reach_m(15) == pytest.approx(769.6, abs=0.5)
    assert model.minutes(model.reach_m(15)) == pytest.approx(15)


@given(LAT, LON, LAT, LON, st.floats(0, 2000))
def test_walking_time_grows_with_distance_and_the_box_holds_the_circle(lat1, lon1, lat2, lon2, radius):
    d = distance_m(lat1, lon1, lat2, lon2)
    assert d == pytest.approx(distance_m(lat2, lon2, lat1, lon1))
    model = WalkingModel()
    assert model.minutes(d) <= model.minutes(d + 1)
    lat_lo, lat_hi, lon_lo, lon_hi = model.box(lat1, lon1, radius)
    if d <= radius:
        assert lat_lo <= lat2 <= lat_hi and lon_lo <= lon2 <= lon_hi


def test_opening_hours_edges():
    hours = [{"days": [1, 2, 3, 4, 5], "opens": "08:00", "closes": "17:30"}]
    monday = datetime(2026, 3, 2, tzinfo=UTC)  # 08:00 local = 00:00 UTC
    assert is_open(hours, monday) and not is_open(hours, monday - timedelta(seconds=1))
    assert not is_open(hours, monday + timedelta(hours=9, minutes=30))  # 17:30 local: closed
    assert not is_open(hours, monday + timedelta(days=5, hours=2))  # Saturday
    assert hours_problem([{"days": [1], "opens": "08:00", "closes": "12:00"},
                          {"days": [1], "opens": "12:00", "closes": "17:00"}]) is None  # touching is fine
    assert "overlap" in hours_problem([{"days": [1], "opens": "08:00", "closes": "12:01"},
                                       {"days": [1], "opens": "12:00", "closes": "17:00"}])


@given(st.integers(0, 20_000), st.integers(0, 110), st.booleans())
def test_meal_subsidy_never_exceeds_the_price_and_grows_with_age(price, age, low_income):
    p = price_meal(price_fen=price, age=age, low_income=low_income)
    assert p.subsidy_fen + p.payable_fen == price and 0 <= p.subsidy_fen <= price
    assert price_meal(price_fen=price, age=age + 1, low_income=low_income).subsidy_fen >= p.subsidy_fen
    assert price_meal(price_fen=price, age=age, low_income=True).subsidy_fen >= p.subsidy_fen
    if age < 60:
        assert p.subsidy_fen == 0


def test_meal_cut_offs_are_local_times():
    assert cut_off(date(2026, 3, 2), "lunch") == datetime(2026, 3, 2, 1, 30, tzinfo=UTC)  # 09:30 local
    assert cut_off(date(2026, 3, 2), "breakfast") == datetime(2026, 3, 1, 12, 0, tzinfo=UTC)  # 20:00 the day before


@given(st.sampled_from(["smoke", "gas", "emergency_button", "door_sensor"]),
       st.sampled_from(["alarm", "low_battery", "offline", "tamper", "test"]))
def test_a_vulnerable_household_never_gets_a_lower_severity(device, kind):
    plain, vulnerable = severity_for(device, kind, vulnerable=False), severity_for(device, kind, vulnerable=True)
    assert (plain is None) == (vulnerable is None) == (category_of(kind) is None)
    if plain is not None:
        assert RANK[vulnerable] >= RANK[plain]


def test_alert_severities_and_timing():
    assert severity_for("smoke", "alarm", vulnerable=False) == "critical"
    assert severity_for("door_sensor", "no_activity", vulnerable=True) == "critical"
    assert severity_for("door_sensor", "low_battery", vulnerable=True) == "low"  # a door sensor is no lifeline
    now = datetime(2026, 3, 2, tzinfo=UTC)
    assert timing_problem(now + timedelta(minutes=5), now) is None
    assert timing_problem(now + timedelta(minutes=6), now) and timing_problem(now - timedelta(hours=25), now)


@given(st.lists(st.sampled_from(list(TRANSITIONS)), max_size=12),
       st.sampled_from(["handled", "false_alarm", "resolved_remotely", "device_replaced"]))
def test_work_orders_only_move_forward_along_the_loop(verbs, resolution):
    status = "raised"
    for verb in verbs:
        if refusal(status, verb, resolution=resolution) is None:
            new = target(verb)
            assert STATUSES.index(new) > STATUSES.index(status)
            status = new
    if status == "reviewed":
        assert "resolve" in verbs and "acknowledge" in verbs


def test_resolving_without_going_on_site_is_only_for_remote_outcomes():
    assert refusal("acknowledged", "resolve", resolution="false_alarm") is None
    assert refusal("acknowledged", "resolve", resolution="handled") is not None
    assert refusal("dispatched", "resolve", resolution="false_alarm") is not None
    assert refusal("raised", "dispatch") is not None


@given(st.integers(0, 10_000), st.integers(1, 3600))
def test_every_missed_deadline_is_one_escalation(late_by, limit_s):
    due = datetime(2026, 3, 2, tzinfo=UTC)
    limit = timedelta(seconds=limit_s)
    missed, following = missed_deadlines(due_at=due, now=due + timedelta(seconds=late_by), limit=limit,
                                         max_steps=20_000)
    assert len(missed) == late_by // limit_s + 1
    assert following > due + timedelta(seconds=late_by)
    assert assignee_at(["a", "b"], len(missed)) == ("a" if not missed else "b")


def test_escalation_catch_up_is_bounded_per_sweep():
    due = datetime(2026, 3, 2, tzinfo=UTC)
    missed, following = missed_deadlines(due_at=due, now=due + timedelta(days=1), limit=timedelta(minutes=1))
    assert len(missed) == 10 and following <= due + timedelta(days=1)  # the next sweep goes on


@given(st.integers(0, 50), st.integers(1, 50), st.integers(0, 50), st.integers(0, 50))
def test_places_are_never_over_booked(enrolled, capacity, waitlisted, waitlist_capacity):
    enrolled = min(enrolled, capacity)
    where = placement(enrolled=enrolled, capacity=capacity, waitlisted=waitlisted,
                      waitlist_capacity=waitlist_capacity)
    assert (where == "enrolled") == (enrolled < capacity)
    moving = promotions(enrolled=enrolled, capacity=capacity, waitlisted=waitlisted)
    assert enrolled + moving <= capacity and moving <= waitlisted


def test_ages():
    assert age_on(date(1951, 4, 12), date(2026, 4, 11)) == 74 and age_on(date(1951, 4, 12), date(2026, 4, 12)) == 75
    assert age_in_months(date(2024, 6, 15), date(2026, 3, 14)) == 20
    assert childcare_age_refusal(36, 6, 36) and childcare_age_refusal(35, 6, 36) is None
    assert childcare_age_refusal(5, 6, 36) and childcare_age_refusal(6, 6, 36) is None
    assert groups_of(birth=date(2024, 1, 1), today=date(2026, 3, 2), lives_alone=False, disabled=True,
                     low_income=False) == ["child", "infant", "disabled"]
