"""Clinical thresholds and the grading of readings (pure: no I/O, tested at their edges with hypothesis).

Defaults, and where they come from:
- Blood pressure, mmHg. 中国高血压防治指南(2018年修订版) grades hypertension 1/2/3 at 140/90, 160/100, 180/110;
  国家基层高血压防治管理指南(2020版) makes >=180 and/or >=110 an urgent referral (紧急转诊), which is also
  simple.org's "critical" (simpledotorg/simple-server: critical above 180/110, controlled below 140/90).
  So: uncontrolled >=140/90 (grade 1), high >=160/100 (grade 2), critical >=180/110 (grade 3: propose a
  referral); systolic <90 is hypotension, flagged as high (falls, over-treatment).
- Glucose, mmol/L. 中国2型糖尿病防治指南(2020年版): targets fasting 4.4–7.0 and non-fasting <10.0;
  hypoglycaemia <3.9 (level 1) and <3.0 (level 2, clinically important). 国家基层糖尿病防治管理指南(2022)
  refers urgently at random glucose >=16.7. ADA advises ketone testing above ~13.9 (250 mg/dL).
  So: uncontrolled fasting >7.0 / non-fasting >=10.0, high >=13.9 or <3.9, critical >=16.7 or <3.0.
An upper threshold counts "at or above"; a lower one "below". Every value can be configured per condition.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Measure = Literal["blood_pressure", "glucose"]
GlucoseContext = Literal["fasting", "postprandial", "random"]
Grade = Literal["normal", "uncontrolled", "high", "critical"]
_ORDER = {"normal": 0, "uncontrolled": 1, "high": 2, "critical": 3}

# Control targets of the statistics are fixed (the definition, and comparable across years even when a
# station tunes its alerting thresholds): blood pressure under 140/90; glucose within the 2020 guideline targets.
BP_TARGET = (140, 90)
GLUCOSE_FASTING_TARGET = 7.0
GLUCOSE_NONFASTING_TARGET = 10.0
HYPOGLYCAEMIA = 3.9


class BloodPressureThresholds(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    uncontrolled_systolic: int = Field(140, ge=80, le=250)
    uncontrolled_diastolic: int = Field(90, ge=40, le=180)
    high_systolic: int = Field(160, ge=80, le=260)
    high_diastolic: int = Field(100, ge=40, le=190)
    critical_systolic: int = Field(180, ge=80, le=280)
    critical_diastolic: int = Field(110, ge=40, le=200)
    low_systolic: int = Field(90, ge=50, le=140, description="Below this systolic value: hypotension (high)")

    @model_validator(mode="after")
    def _ordered(self):
        if not self.low_systolic < self.uncontrolled_systolic <= self.high_systolic <= self.critical_systolic:
            raise ValueError("need low_systolic < uncontrolled_systolic <= high_systolic <= critical_systolic")
        if not self.uncontrolled_diastolic <= self.high_diastolic <= self.critical_diastolic:
            raise ValueError("need uncontrolled_diastolic <= high_diastolic <= critical_diastolic")
        return self


class GlucoseThresholds(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    fasting_uncontrolled: float = Field(7.0, gt=3, le=20, description="Fasting above this: uncontrolled")
    nonfasting_uncontrolled: float = Field(10.0, gt=3, le=25, description="Non-fasting at or above: uncontrolled")
    high: float = Field(13.9, gt=3, le=40)
    critical: float = Field(16.7, gt=3, le=50)
    low: float = Field(3.9, gt=1, le=6, description="Below this: hypoglycaemia (high)")
    critical_low: float = Field(3.0, gt=0.5, le=5, description="Below this: severe hypoglycaemia (critical)")

    @model_validator(mode="after")
    def _ordered(self):
        if not (self.critical_low < self.low < self.fasting_uncontrolled <= self.high <= self.critical
                and self.low < self.nonfasting_uncontrolled <= self.high):
            raise ValueError("need critical_low < low < fasting_uncontrolled <= high <= critical and "
                             "low < nonfasting_uncontrolled <= high")
        return self


Thresholds = BloodPressureThresholds | GlucoseThresholds
THRESHOLD_MODELS: dict[str, type[BloodPressureThresholds] | type[GlucoseThresholds]] = {
    "blood_pressure": BloodPressureThresholds, "glucose": GlucoseThresholds,
}
DEFAULT_CONDITION = "default"  # applies to a patient none of whose conditions has thresholds for the measure
# (condition category, measure) -> built-in defaults; a stored setting overrides its entry.
DEFAULTS: dict[tuple[str, str], Thresholds] = {
    ("I10", "blood_pressure"): BloodPressureThresholds(),
    ("E11", "glucose"): GlucoseThresholds(),
    (DEFAULT_CONDITION, "blood_pressure"): BloodPressureThresholds(),
    (DEFAULT_CONDITION, "glucose"): GlucoseThresholds(),
}


@dataclass(frozen=True)
class Assessment:
    grade: Grade
    direction: Literal["above", "below"] | None = None

    @property
    def flagged(self) -> bool:
        return self.grade in ("high", "critical")


def grade_blood_pressure(systolic: int, diastolic: int, t: BloodPressureThresholds) -> Assessment:
    if systolic >= t.critical_systolic or diastolic >= t.critical_diastolic:
        return Assessment("critical", "above")
    if systolic >= t.high_systolic or diastolic >= t.high_diastolic:
        return Assessment("high", "above")
    if systolic < t.low_systolic:
        return Assessment("high", "below")
    if systolic >= t.uncontrolled_systolic or diastolic >= t.uncontrolled_diastolic:
        return Assessment("uncontrolled", "above")
    return Assessment("normal")


def grade_glucose(value: float, context: GlucoseContext, t: GlucoseThresholds) -> Assessment:
    if value >= t.critical:
        return Assessment("critical", "above")
    if value < t.critical_low:
        return Assessment("critical", "below")
    if value >= t.high:
        return Assessment("high", "above")
    if value < t.low:
        return Assessment("high", "below")
    fasting = context == "fasting"
    if (fasting and value > t.fasting_uncontrolled) or (not fasting and value >= t.nonfasting_uncontrolled):
        return Assessment("uncontrolled", "above")
    return Assessment("normal")


def worst(assessments: list[Assessment]) -> Assessment:
    """A patient with several conditions is graded by the strictest of their thresholds."""
    return max(assessments, key=lambda a: _ORDER[a.grade])


def bp_controlled(systolic: int, diastolic: int) -> bool:
    return systolic < BP_TARGET[0] and diastolic < BP_TARGET[1]


def glucose_controlled(value: float, context: GlucoseContext) -> bool:
    if value < HYPOGLYCAEMIA:
        return False
    return value <= GLUCOSE_FASTING_TARGET if context == "fasting" else value < GLUCOSE_NONFASTING_TARGET


def applicable_keys(categories: set[str], measure: str, configured: set[tuple[str, str]]) -> list[tuple[str, str]]:
    """The threshold sets that grade a reading: those of the patient's conditions that have one for the
    measure (built in or configured), else the default set."""
    keys = sorted((c, measure) for c in categories if (c, measure) in configured)
    return keys or [(DEFAULT_CONDITION, measure)]
