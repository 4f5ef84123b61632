"""Pure rules at their edges (hypothesis): ages from ID numbers, the loop, periods, the score, credit codes."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.jobs.benefits.rules import payable, stop_period_after_placement
from services.jobs.employers.rules import CHARSET, credit_code_problem, make_credit_code
from services.jobs.households.rules import MemberFacts, household_status
from services.jobs.matching.rules import WEIGHTS, SeekerProfile, VacancyProfile, score, total
from services.jobs.periods import add_months, months_between, next_period, period_of, shift_period
from services.jobs.placements.rules import follow_up_dates, follow_up_refusal
from services.jobs.seekers.rules import STAGES, TRANSITIONS, age_on, is_working_age, next_stage, sex_from_id
from shared.identity import make_id_number

days = st.dates(min_value=date(1940, 1, 1), max_value=date(2030, 12, 31))
skills = st.frozensets(st.sampled_from(["电工", "焊工", "叉车", "仓储", "会计", "厨师"]), max_size=6)


@given(born=days, seq=st.integers(0, 999))
def test_sex_follows_the_17th_character(born, seq):
    number = make_id_number("330109", born, seq)
    assert sex_from_id(number) == ("M" if seq % 2 else "F")


@given(born=st.dates(min_value=date(1950, 1, 1), max_value=date(2010, 12, 31)), sex=st.sampled_from("MF"))
def test_working_age_is_sixteen_up_to_retirement(born, sex):
    limit = {"M": 60, "F": 55}[sex]
    assert not is_working_age(born, sex, add_months(born, 16 * 12 - 1))
    assert is_working_age(born, sex, add_months(born, 16 * 12)) or (born.month, born.day) == (2, 29)
    assert not is_working_age(born, sex, add_months(born, limit * 12)) or (born.month, born.day) == (2, 29)


def test_age_counts_birthdays():
    assert age_on(date(1974, 9, 3), date(2026, 9, 2)) == 51
    assert age_on(date(1974, 9, 3), date(2026, 9, 3)) == 52


@given(st.sampled_from(STAGES), st.sampled_from(sorted(TRANSITIONS)))
def test_the_loop_only_moves_along_its_edges(stage, event):
    target = next_stage(stage, event)
    allowed = {("registered", "serve"): "in_service", ("registered", "place"): "placed",
               ("in_service", "place"): "placed", ("placed", "close"): "followed_up",
               ("placed", "lose_job"): "in_service", ("followed_up", "reopen"): "in_service"}
    assert target == allowed.get((stage, event))


@given(members=st.lists(st.tuples(st.dates(min_value=date(1940, 1, 1), max_value=date(2015, 1, 1)),
                                  st.sampled_from("MF"), st.booleans()), max_size=6))
def test_zero_employment_means_working_age_members_and_none_employed(members):
    today = date(2026, 3, 1)
    facts = [MemberFacts(b, s, e) for b, s, e in members]
    working = [f for f in facts if is_working_age(f.birth_date, f.sex, today)]
    flagged = household_status(facts, today) == "zero_employment"
    assert flagged == (bool(working) and not any(f.employed for f in working))


@given(day=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)), n=st.integers(-30, 30))
def test_periods_and_months(day, n):
    p = period_of(day)
    assert months_between(p, shift_period(p, n)) == n
    assert next_period(p) > p and len(next_period(p)) == 7
    later = add_months(day, n)
    assert months_between(period_of(day), period_of(later)) == n and later.day <= day.day


def test_follow_ups_at_one_three_six_months_clamped_to_month_end():
    assert follow_up_dates(date(2026, 1, 31)) == [(1, date(2026, 2, 28)), (3, date(2026, 4, 30)),
                                                   (6, date(2026, 7, 31))]
    assert follow_up_refusal("pending", date(2026, 4, 10), date(2026, 4, 3)) is None
    assert "a week before" in follow_up_refusal("pending", date(2026, 4, 10), date(2026, 4, 2))
    assert follow_up_refusal("done", date(2026, 4, 10), date(2026, 4, 10)) == "this follow-up is done"


@given(placed=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)))
def test_a_placement_stops_the_benefit_from_the_next_period(placed):
    stop = stop_period_after_placement(placed)
    this_month = period_of(placed)
    common = {"status": "approved", "start_period": "2019-01", "months_entitled": 24, "months_used": 0}
    assert payable(stop_from_period=stop, period=this_month, **common)
    assert not payable(stop_from_period=stop, period=stop, **common)


@given(a=skills, b=skills, street=st.booleans(), want=st.one_of(st.none(), st.integers(0, 2_000_000)),
       top=st.integers(0, 2_000_000), groups=st.frozensets(st.sampled_from(["graduate", "disabled"])))
def test_the_score_is_bounded_and_explained(a, b, street, want, top, groups):
    seeker = SeekerProfile(skills=a, desired_posts=(), street_code="330109005", community_code=None,
                           desired_salary_min_fen=want, groups=groups)
    vacancy = VacancyProfile(title="岗位", skills=b, street_code="330109005" if street else "330109001",
                             community_code=None, salary_min_fen=0, salary_max_fen=top)
    match = score(seeker, vacancy)
    assert 0 <= match.score <= 100
    assert abs(match.score - sum(r.points for r in match.reasons)) < 0.6
    assert all(0 <= r.points <= r.max_points == WEIGHTS[r.factor] for r in match.reasons)
    more = SeekerProfile(**{**seeker.__dict__, "skills": a | b})
    assert score(more, vacancy).score >= match.score  # having the skills asked never lowers the score
    assert total(seeker, vacancy) == match.score  # matching ranks by total, explains only the shown


@given(welfare=st.booleans(), groups=st.frozensets(st.sampled_from(["graduate", "disabled"])))
def test_the_total_is_the_scores_own_and_none_where_not_eligible(welfare, groups):
    seeker = SeekerProfile(skills=frozenset({"电工"}), desired_posts=("电工",), street_code="330109005",
                           community_code="330109005001", desired_salary_min_fen=500_000, groups=groups)
    vacancy = VacancyProfile(title="电工", skills=frozenset({"电工", "焊工"}), street_code="330109005",
                             community_code="330109005001", salary_min_fen=0, salary_max_fen=450_000,
                             public_welfare=welfare)
    match = score(seeker, vacancy)
    assert (match is None) == (total(seeker, vacancy) is None) == (welfare and "disabled" not in groups)
    if match:
        assert total(seeker, vacancy) == match.score
        reasons = {r.factor: r.detail for r in match.reasons}
        assert reasons["salary"] == "pays up to 4500 yuan, a little under the 5000 wanted"
        assert reasons["place"] == "in the seeker's own community" and reasons["post"] == "wants work as 电工"


@given(serial=st.integers(0, 10**9 - 1))
def test_credit_codes(serial):
    code = make_credit_code("330109", serial)
    assert credit_code_problem(code) is None
    wrong = code[:17] + next(c for c in CHARSET if c != code[17])
    assert credit_code_problem(wrong) == "check character does not match (GB 32100)"


@pytest.mark.parametrize("bad", ["91330109MA2B12345", "91330109MA2B1234OX", ""])
def test_malformed_credit_codes(bad):
    assert credit_code_problem(bad) is not None
