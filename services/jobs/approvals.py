"""Maker-checker for money (payment batches, loan approvals, relief records), as a pure rule.

The officer who prepared a record can never approve or refuse it, and every decision carries a reason,
so that each fen that moves has two people and a written why behind it.
"""

from __future__ import annotations

from shared.errors import Forbidden, InvalidInput


def check_decision(*, maker: str, checker: str, reason: str | None) -> str:
    """The decision's reason, stripped; raises when the checker is the maker or gives no reason."""
    if maker == checker:
        raise Forbidden("maker-checker: the officer who prepared this cannot decide on it")
    text = (reason or "").strip()
    if not text:
        raise InvalidInput("reason", "every approval or refusal carries a reason")
    return text
