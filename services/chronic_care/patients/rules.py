"""Pure rules about patients: condition codes, follow-up intervals, grades of risk."""

from __future__ import annotations

import re
from datetime import timedelta

# Conditions are ICD-10 codes (category, optionally with a subdivision: "I10", "E11.9").
CONDITION_CODE = re.compile(r"^[A-Z][0-9]{2}(\.[0-9]{1,2})?$")
HYPERTENSION = "I10"
DIABETES_T2 = "E11"
# ICD-10 I10–I15 are the hypertensive diseases: all are managed (and counted) as hypertension.
_HYPERTENSIVE = {"I10", "I11", "I12", "I13", "I15"}
KNOWN_CONDITIONS = {
    "I10": "hypertension (高血压)", "E11": "type-2 diabetes (2型糖尿病)", "E10": "type-1 diabetes",
    "I25": "chronic ischaemic heart disease (冠心病)", "J44": "COPD (慢阻肺)",
    "I69": "sequelae of stroke (脑卒中后遗症)",
    "N18": "chronic kidney disease", "E78": "dyslipidaemia", "M81": "osteoporosis", "F03": "dementia",
}

# 国家基本公共卫生服务规范（第三版）: hypertensive and type-2 diabetic patients get at least four face-to-face
# follow-ups a year, i.e. one every quarter. Other chronic conditions: twice a year.
FOLLOW_UP_DAYS = {HYPERTENSION: 90, DIABETES_T2: 90}
DEFAULT_FOLLOW_UP_DAYS = 182

# Grades of a reading, from best to worst; the rank orders the overdue call list (worst first).
GRADES = ("normal", "uncontrolled", "high", "critical")
GRADE_RANK = {grade: rank for rank, grade in enumerate(GRADES, start=1)}  # 0 = no reading yet


def category(code: str) -> str:
    """The condition family rules are written for: I11.9 counts as hypertension, E11.65 as type-2 diabetes."""
    head = code[:3]
    return HYPERTENSION if head in _HYPERTENSIVE else head


def follow_up_interval(codes: list[str] | set[str]) -> timedelta:
    """The tightest schedule among the patient's conditions."""
    days = [FOLLOW_UP_DAYS.get(category(c), DEFAULT_FOLLOW_UP_DAYS) for c in codes] or [DEFAULT_FOLLOW_UP_DAYS]
    return timedelta(days=min(days))


def sex_from_id_number(id_number: str) -> str:
    """GB 11643: the 17th character is odd for men, even for women."""
    return "M" if int(id_number[16]) % 2 else "F"
