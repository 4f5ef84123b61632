"""People who appear in more than one service's demo data, so that the demo shows the areas acting on each
other (a chronic patient who lives in a household with a home-safety kit, a job seeker from a zero-employment
household...). ID numbers are made up but valid (GB 11643 check character); each service derives the
``person_ref`` with the platform key, as it would for a real person. The demo user ``resident`` is RESIDENT.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shared.identity import make_id_number, person_ref


@dataclass(frozen=True)
class DemoPerson:
    key: str
    name: str
    id_number: str
    phone: str
    street_code: str  # 宁围街道
    community_code: str

    def ref(self, person_ref_key: str) -> str:
        return person_ref(self.id_number, person_ref_key)


NINGWEI = "330109005"
ZHENNING = "330109005001"
DANGSHAN = "330109011001"
GUALI = "330109011"

RESIDENT = DemoPerson("resident", "王秀英", make_id_number("330109", date(1951, 4, 12), 28), "13805710001",
                      NINGWEI, ZHENNING)  # 75, hypertensive, lives alone with a home-safety kit
SEEKER = DemoPerson("seeker", "陈建国", make_id_number("330109", date(1974, 9, 3), 15), "13905710002",
                    NINGWEI, ZHENNING)  # 52, older unemployed, zero-employment household
GRADUATE = DemoPerson("graduate", "李思雨", make_id_number("330109", date(2003, 6, 21), 42), "13605710003",
                      NINGWEI, ZHENNING)
PATIENT_DANGSHAN = DemoPerson("patient", "倪阿大", make_id_number("330109", date(1948, 1, 30), 11), "13705710004",
                              GUALI, DANGSHAN)  # diabetic, served by the 党山 village health station

ALL = (RESIDENT, SEEKER, GRADUATE, PATIENT_DANGSHAN)
