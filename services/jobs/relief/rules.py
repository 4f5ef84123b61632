"""Enterprise relief rules (pure): prepared → approved | refused, by a checker other than the preparer."""

from __future__ import annotations

from typing import Literal

ReliefKind = Literal["reduce", "refund", "defer"]
ReliefStatus = Literal["prepared", "approved", "refused"]
# The district's relief policies (降返补 / 减返缓): the kind each one is.
POLICIES: dict[str, str] = {
    "unemployment_insurance_rate_cut": "reduce",  # 阶段性降低失业保险费率
    "work_injury_insurance_rate_cut": "reduce",
    "job_retention_refund": "refund",  # 失业保险稳岗返还
    "training_subsidy_refund": "refund",
    "social_insurance_deferral": "defer",  # 缓缴社会保险费
}
_TARGET = {"approve": "approved", "refuse": "refused"}


def policy_problem(policy: str, kind: str) -> str | None:
    expected = POLICIES.get(policy)
    if expected is None:
        return f"unknown policy; one of {', '.join(sorted(POLICIES))}"
    if expected != kind:
        return f"{policy} is a {expected} policy, not {kind}"
    return None


def refusal(status: str, action: str) -> str | None:
    return None if status == "prepared" else f"cannot {action} a relief record that is {status}"


def target(action: str) -> str:
    return _TARGET[action]
