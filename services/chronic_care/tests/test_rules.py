"""Pure rules at and around their edges (no database)."""

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from services.chronic_care.dispensing.rules import after_issue, next_status, start
from services.chronic_care.followups.rules import call_again_at, check_call
from services.chronic_care.monitoring.rules import implausible
from services.chronic_care.patients.rules import category, follow_up_interval, sex_from_id_number
from services.chronic_care.stock.rules import dispensable
from services.chronic_care.thresholds.rules import (
    BloodPressureThresholds,
    GlucoseThresholds,
    applicable_keys,
    bp_controlled,
    glucose_controlled,
    grade_blood_pressure,
    grade_glucose,
)

BP = BloodPressureThresholds()
GLU = GlucoseThresholds()
systolic = st.integers(40, 300)
diastolic = st.integers(20, 200)
# Glucose as meters report it: mmol/L with at most two decimals.
glucose = st.decimals(min_value="0.01", max_value="60", places=2).map(float)


@pytest.mark.parametrize(("s", "d", "grade"), [
    (139, 89, "normal"), (140, 80, "uncontrolled"), (130, 90, "uncontrolled"),
    (159, 99, "uncontrolled"), (160, 80, "high"), (150, 100, "high"),
    (179, 109, "high"), (180, 70, "critical"), (150, 110, "critical"),
    (90, 60, "normal"), (89, 60, "high"),
])
def test_blood_pressure_grades_at_the_guideline_edges(s, d, grade):
    assert grade_blood_pressure(s, d, BP).grade == grade


@given(systolic, diastolic)
def test_blood_pressure_critical_exactly_at_or_above_180_or_110(s, d):
    assessment = grade_blood_pressure(s, d, BP)
    assert (assessment.grade == "critical") == (s >= 180 or d >= 110)
    assert assessment.flagged == (s >= 160 or d >= 100 or s < 90)


@given(systolic, diastolic, st.integers(0, 30))
def test_a_higher_reading_never_grades_better(s, d, more):
    order = ["normal", "uncontrolled", "high", "critical"]
    low, high = grade_blood_pressure(s, d, BP), grade_blood_pressure(s + more, d + more, BP)
    if low.direction != "below":  # hypotension improves as pressure rises
        assert order.index(high.grade) >= order.index(low.grade)


@given(systolic, diastolic)
def test_bp_control_is_strictly_under_140_over_90(s, d):
    assert bp_controlled(s, d) == (s < 140 and d < 90)


@pytest.mark.parametrize(("value", "context", "grade"), [
    (7.0, "fasting", "normal"), (7.01, "fasting", "uncontrolled"), (9.99, "random", "normal"),
    (10.0, "postprandial", "uncontrolled"), (13.89, "random", "uncontrolled"), (13.9, "random", "high"),
    (16.69, "fasting", "high"), (16.7, "fasting", "critical"), (3.9, "fasting", "normal"),
    (3.89, "fasting", "high"), (3.0, "random", "high"), (2.99, "random", "critical"),
])
def test_glucose_grades_at_the_guideline_edges(value, context, grade):
    assert grade_glucose(value, context, GLU).grade == grade


@given(glucose, st.sampled_from(["fasting", "postprandial", "random"]))
def test_glucose_flags_exactly_outside_3_9_to_13_9(value, context):
    assessment = grade_glucose(value, context, GLU)
    assert assessment.flagged == (value < 3.9 or value >= 13.9)
    assert (assessment.grade == "critical") == (value < 3.0 or value >= 16.7)
    controlled = 3.9 <= value <= 7.0 if context == "fasting" else 3.9 <= value < 10.0
    assert glucose_controlled(value, context) == controlled


@given(st.integers(100, 200), st.integers(60, 120), systolic, diastolic)
def test_configured_thresholds_move_the_edges(high_s, high_d, s, d):
    t = BloodPressureThresholds(uncontrolled_systolic=min(140, high_s), uncontrolled_diastolic=min(90, high_d),
                                high_systolic=high_s, high_diastolic=high_d, critical_systolic=max(high_s, 180),
                                critical_diastolic=max(high_d, 110))
    grade = grade_blood_pressure(s, d, t).grade
    assert (grade in ("high", "critical") and grade_blood_pressure(s, d, t).direction == "above") == (
        s >= high_s or d >= high_d)


def test_thresholds_out_of_order_are_refused():
    with pytest.raises(ValidationError):
        BloodPressureThresholds(high_systolic=130)
    with pytest.raises(ValidationError):
        GlucoseThresholds(critical=12.0)


def test_a_patient_is_graded_by_their_conditions_thresholds_or_the_default():
    configured = {("I10", "blood_pressure"), ("E11", "glucose"), ("default", "blood_pressure")}
    assert applicable_keys({"I10", "E11"}, "blood_pressure", configured) == [("I10", "blood_pressure")]
    assert applicable_keys({"J44"}, "blood_pressure", configured) == [("default", "blood_pressure")]


@given(st.integers(40, 300), st.integers(20, 200))
def test_systolic_not_above_diastolic_is_nonsense(s, d):
    now = datetime(2026, 1, 1, tzinfo=UTC)
    problem = implausible("blood_pressure", systolic=s, diastolic=d, glucose_mmol=None, glucose_context=None,
                          measured_at=None, now=now)
    assert (problem is not None) == (s <= d)
    if problem:
        assert problem[0] == "diastolic"


@given(st.integers(0, 50), st.integers(-5, 60))
def test_dispensing_never_issues_more_than_wanted_or_held(wanted, on_hand):
    issued, partial = dispensable(wanted, on_hand)
    assert 0 <= issued <= max(wanted, 0)
    assert issued <= max(on_hand, 0)
    assert partial == (0 < issued < wanted)


def test_dispensing_paths_and_states():
    assert start(True) == ("in_catalogue", "requested")
    assert start(False) == ("out_of_catalogue", "ordered")
    assert next_status("ordered", "deliver") is None  # an order is approved before it is delivered
    assert next_status("approved", "deliver") == "delivered"
    assert next_status("dispensed", "cancel") is None
    assert after_issue(3, 5) == "partially_dispensed" and after_issue(5, 5) == "dispensed"


def test_follow_up_schedule_and_call_rules():
    assert follow_up_interval(["I10"]).days == 90  # four a year
    assert follow_up_interval(["J44", "E11.9"]).days == 90
    assert follow_up_interval(["J44"]).days == 182
    assert category("I11.9") == "I10" and category("E11.65") == "E11"
    today = date(2026, 5, 1)
    assert check_call("call_later", visit_on=None, call_on=today, removed_reason=None, today=today)[0] == "call_on"
    assert check_call("agreed_to_visit", visit_on=None, call_on=None, removed_reason=None, today=today)[0] == (
        "visit_on")
    assert check_call("removed", visit_on=None, call_on=None, removed_reason=None, today=today)[0] == (
        "removed_reason")
    assert call_again_at("agreed_to_visit", visit_on=date(2026, 5, 3), call_on=None) == datetime(
        2026, 5, 4, tzinfo=UTC)
    assert sex_from_id_number("33010919500501001X") == "M"
