"""Routine lab tests done in the village (常规检验不出村): ordered → sample_taken → resulted; or cancelled."""

from __future__ import annotations

from typing import Literal

LabStatus = Literal["ordered", "sample_taken", "resulted", "cancelled"]
# The routine panels a village station samples for chronic patients (the lab runs them at the centre).
TestCode = Literal["blood_routine", "urine_routine", "hba1c", "fasting_glucose", "lipids", "liver_function",
                   "renal_function", "electrolytes", "uric_acid", "ecg"]
Action = Literal["sample", "result", "cancel"]

TRANSITIONS: dict[str, dict[str, LabStatus]] = {
    "sample": {"ordered": "sample_taken"},
    "result": {"sample_taken": "resulted"},
    "cancel": {"ordered": "cancelled", "sample_taken": "cancelled"},
}


def next_status(current: str, action: str) -> LabStatus | None:
    return TRANSITIONS.get(action, {}).get(current)
