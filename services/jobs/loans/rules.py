"""Start-up guaranteed loan rules (pure).

Limits follow the national policy: up to 300,000 yuan for an individual over at most 3 years, up to
4 million yuan for a small or micro enterprise over at most 2 years. The guarantees must cover the amount
approved. Approval and rejection are a checker's decision, never the preparing officer's.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

LoanStatus = Literal["applied", "approved", "rejected", "disbursed", "repaying", "repaid", "defaulted"]
BorrowerKind = Literal["individual", "enterprise"]
GuarantorKind = Literal["guarantee_fund", "enterprise", "person"]
LIMIT_FEN = {"individual": 30_000_000, "enterprise": 400_000_000}
MAX_TERM = {"individual": 36, "enterprise": 24}

# action -> (from statuses, to status)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "approve": (frozenset({"applied"}), "approved"),
    "reject": (frozenset({"applied"}), "rejected"),
    "disburse": (frozenset({"approved"}), "disbursed"),
    "repay": (frozenset({"disbursed", "repaying"}), "repaying"),
    "default": (frozenset({"disbursed", "repaying"}), "defaulted"),
}
OUTSTANDING = ("disbursed", "repaying")


def refusal(status: str, action: str) -> str | None:
    sources, _ = TRANSITIONS[action]
    return None if status in sources else f"cannot {action} a loan that is {status}"


def target(action: str) -> str:
    return TRANSITIONS[action][1]


def application_problems(kind: str, amount_fen: int, term_months: int) -> list[tuple[str, str]]:
    problems = []
    if amount_fen > LIMIT_FEN[kind]:
        problems.append(("amount_fen", f"an {kind} loan is at most {LIMIT_FEN[kind] // 100} yuan"))
    if term_months > MAX_TERM[kind]:
        problems.append(("term_months", f"an {kind} loan runs at most {MAX_TERM[kind]} months"))
    return problems


def guarantee_shortfall(amount_fen: int, guarantees: Iterable[int]) -> int:
    return max(amount_fen - sum(guarantees), 0)


def after_repayment(disbursed_fen: int, repaid_fen: int) -> str:
    return "repaid" if repaid_fen >= disbursed_fen else "repaying"
