"""The pure rules, over every sequence hypothesis can think of."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from services.renovation.acceptance.rules import round_passes
from services.renovation.communities import rules as fc
from services.renovation.participation.rules import replaces
from services.renovation.projects import rules as projects

T0 = datetime(2026, 4, 1, tzinfo=UTC)


@given(st.lists(st.sampled_from(sorted(projects.TRANSITIONS)), max_size=12))
def test_a_project_only_ever_moves_one_step_forward(actions):
    status = "planned"
    for action in actions:
        target = projects.next_status(status, action)
        if target is None:
            assert projects.refusal(status, action) is not None
            continue
        assert projects.STATUSES.index(target) == projects.STATUSES.index(status) + 1
        status = target
    # The verb API never accepts: only an inspection does.
    assert projects.refusal(status, "accept") is not None


@given(st.lists(st.sampled_from(sorted(fc.TRANSITIONS)), max_size=12))
def test_decided_applications_stay_decided(actions):
    status = "applied"
    for action in actions:
        target = fc.next_status(status, action)
        if status in ("accepted", "rejected"):
            assert target is None
        if target is not None:
            status = target


@given(st.lists(st.tuples(st.sampled_from(["for", "against", "abstain"]), st.integers(0, 10_000)),
                min_size=1, max_size=20))
def test_a_households_vote_is_its_latest_cast_whatever_the_order_of_entry(ballots):
    """Ballots (choice, minutes after opening) entered in any order leave the one cast last."""
    recorded = None
    for choice, minutes in ballots:
        cast_at = T0 + timedelta(minutes=minutes)
        if recorded is None or replaces(recorded[1], cast_at):
            recorded = (choice, cast_at)
    latest = max(m for _, m in ballots)
    assert recorded[1] == T0 + timedelta(minutes=latest)
    # Among ballots cast at the same latest moment, the last entered wins.
    assert recorded[0] == [c for c, m in ballots if m == latest][-1]


@given(st.integers(0, 3), st.integers(0, 3), st.lists(st.sampled_from(["open", "rectified", "verified"]),
                                                      max_size=6))
def test_a_round_passes_only_with_nothing_new_reopened_or_open(new, reopened, statuses):
    passes = round_passes(new_defects=new, reopened=reopened, statuses_before=statuses)
    assert passes == (new == 0 and reopened == 0 and "open" not in statuses)
