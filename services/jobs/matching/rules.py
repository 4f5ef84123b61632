"""The match score between a seeker and a vacancy, with the reason for every point (pure).

Out of 100: skills 45 (share of the vacancy's skills the seeker has), desired post 10 (the title matches a
post the seeker wants), place 20 (same community, same street, elsewhere in the district), salary 15 (the
vacancy's top of range reaches the seeker's minimum), priority 10 (employment-assistance groups first, then
graduates). A public-welfare post is open only to employment-assistance groups: others do not match at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from services.jobs.seekers.rules import ASSISTANCE_GROUPS

WEIGHTS = {"skills": 45, "post": 10, "place": 20, "salary": 15, "priority": 10}


@dataclass(frozen=True)
class SeekerProfile:
    skills: frozenset[str]
    desired_posts: tuple[str, ...]
    street_code: str
    community_code: str | None
    desired_salary_min_fen: int | None
    groups: frozenset[str]


@dataclass(frozen=True)
class VacancyProfile:
    title: str
    skills: frozenset[str]
    street_code: str
    community_code: str | None
    salary_min_fen: int
    salary_max_fen: int
    public_welfare: bool = False


@dataclass(frozen=True)
class Reason:
    factor: str
    points: float
    max_points: int
    detail: str


@dataclass(frozen=True)
class Match:
    score: float
    reasons: list[Reason] = field(default_factory=list)


# Each factor: its points (all a ranking needs), then its reason in words (only for the matches shown).
def _skills_points(seeker: SeekerProfile, vacancy: VacancyProfile) -> float:
    top = WEIGHTS["skills"]
    if not vacancy.skills:
        return top * 0.4
    return top * len(seeker.skills & vacancy.skills) / len(vacancy.skills)


def _skills(seeker: SeekerProfile, vacancy: VacancyProfile) -> str:
    if not vacancy.skills:
        return "the post asks for no particular skill"
    shared = sorted(seeker.skills & vacancy.skills)
    missing = sorted(vacancy.skills - seeker.skills)
    detail = f"has {len(shared)} of {len(vacancy.skills)} skills asked"
    if shared:
        detail += f" ({', '.join(shared)})"
    if missing:
        detail += f"; lacks {', '.join(missing)}"
    return detail


def _wanted_posts(seeker: SeekerProfile, vacancy: VacancyProfile) -> list[str]:
    title = vacancy.title.lower()
    return [p for p in seeker.desired_posts if p and (p in title or title in p)]


def _post_points(seeker: SeekerProfile, vacancy: VacancyProfile) -> float:
    return WEIGHTS["post"] if _wanted_posts(seeker, vacancy) else 0


def _post(seeker: SeekerProfile, vacancy: VacancyProfile) -> str:
    wanted = _wanted_posts(seeker, vacancy)
    return f"wants work as {wanted[0]}" if wanted else "not among the posts the seeker asked for"


def _place_points(seeker: SeekerProfile, vacancy: VacancyProfile) -> float:
    top = WEIGHTS["place"]
    if vacancy.community_code and vacancy.community_code == seeker.community_code:
        return top
    if vacancy.street_code == seeker.street_code:
        return top * 0.8
    return top * 0.2


def _place(seeker: SeekerProfile, vacancy: VacancyProfile) -> str:
    if vacancy.community_code and vacancy.community_code == seeker.community_code:
        return "in the seeker's own community"
    if vacancy.street_code == seeker.street_code:
        return "in the seeker's street"
    return "elsewhere in the district (a commute)"


def _salary_points(seeker: SeekerProfile, vacancy: VacancyProfile) -> float:
    top = WEIGHTS["salary"]
    want = seeker.desired_salary_min_fen
    if not want:
        return top * 2 / 3
    if vacancy.salary_max_fen >= want:
        return top
    if vacancy.salary_max_fen >= want * 0.85:
        return top * 0.5
    return 0


def _salary(seeker: SeekerProfile, vacancy: VacancyProfile) -> str:
    want = seeker.desired_salary_min_fen
    if not want:
        return "the seeker set no minimum salary"
    if want * 0.85 <= vacancy.salary_max_fen < want:
        return f"pays up to {vacancy.salary_max_fen // 100} yuan, a little under the {want // 100} wanted"
    return f"pays up to {vacancy.salary_max_fen // 100} yuan; wants {want // 100}+"


def _priority_points(seeker: SeekerProfile, vacancy: VacancyProfile) -> float:
    top = WEIGHTS["priority"]
    if ASSISTANCE_GROUPS & seeker.groups:
        return top
    return top * 0.6 if "graduate" in seeker.groups else 0


def _priority(seeker: SeekerProfile, vacancy: VacancyProfile) -> str:
    assisted = sorted(ASSISTANCE_GROUPS & seeker.groups)
    if assisted:
        return f"employment-assistance group: {', '.join(assisted)}"
    return "graduate" if "graduate" in seeker.groups else "no priority group"


FACTORS = (("skills", _skills_points, _skills), ("post", _post_points, _post), ("place", _place_points, _place),
           ("salary", _salary_points, _salary), ("priority", _priority_points, _priority))


def eligible(seeker: SeekerProfile, vacancy: VacancyProfile) -> bool:
    return not vacancy.public_welfare or bool(ASSISTANCE_GROUPS & seeker.groups)


def total(seeker: SeekerProfile, vacancy: VacancyProfile) -> float | None:
    """The score alone (what ``score`` would give, computed the same way), or None when not eligible."""
    if not eligible(seeker, vacancy):
        return None
    return round(sum(round(points(seeker, vacancy), 1) for _, points, _ in FACTORS), 1)


def score(seeker: SeekerProfile, vacancy: VacancyProfile) -> Match | None:
    """The match, or None when the seeker may not take the post at all."""
    if not eligible(seeker, vacancy):
        return None
    reasons = []
    for factor, points, detail in FACTORS:
        reasons.append(Reason(factor, round(points(seeker, vacancy), 1), WEIGHTS[factor], detail(seeker, vacancy)))
    return Match(round(sum(r.points for r in reasons), 1), reasons)


def best(candidates: Iterable[tuple[object, float | None]], limit: int) -> list[object]:
    """The ``limit`` best by their total, best first; ties keep the caller's order (which puts the
    longer-waiting or newer first). Ineligible ones (None) are left out."""
    scored = [(item, value) for item, value in candidates if value is not None]
    scored.sort(key=lambda pair: -pair[1])
    return [item for item, _ in scored[:limit]]
