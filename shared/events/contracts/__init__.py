"""Event contracts, one module per producing service (the producer owns its module).

``CONTRACTS`` maps ``(type, major version)`` to the pydantic model of the event's ``data``.
"""

from __future__ import annotations

from shared.events.contracts import chronic_care, community, jobs, renovation
from shared.events.envelope import EventContract

_MODULES = (renovation, jobs, community, chronic_care)


def _collect() -> dict[tuple[str, int], type[EventContract]]:
    found: dict[tuple[str, int], type[EventContract]] = {}
    for module in _MODULES:
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, EventContract) and "event_type" in vars(obj):
                key = (obj.event_type, obj.version)
                if key in found:
                    raise RuntimeError(f"two contracts for {key}")
                found[key] = obj
    return found


CONTRACTS: dict[tuple[str, int], type[EventContract]] = _collect()


def contract_for(event_type: str, version: int) -> type[EventContract] | None:
    return CONTRACTS.get((event_type, version))
