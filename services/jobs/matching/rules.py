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


def _skills(seeker: SeekerProfile, vacancy: VacancyProfile) -> Reason:
    top = WEIGHTS["skills"]
    if not vacancy.skills:
        return Reason("skills", top * 0.4, top, "the post asks for no particular skill")
    shared = sorted(seeker.skills & vacancy.skills)
    missing = sorted(vacancy.skills - seeker.skills)
    points = top * len(shared) / len(vacancy.skills)
    detail = f"has {len(shared)} of {len(vacancy.skills)} skills asked"
    if shared:
        detail += f" ({', '.join(shared)})"
    if missing:
        detail += f"; lacks {', '.join(missing)}"
    return Reason("skills", points, top, detail)


def _post(seeker: SeekerProfile, vacancy: VacancyProfile) -> Reason:
    top = WEIGHTS["post"]
    title = vacancy.title.lower()
    wanted = [p for p in seeker.desired_posts if p and (p in title or title in p)]
    if wanted:
        return Reason("post", top, top, f"wants work as {wanted[0]}")
    return Reason("post", 0, top, "not among the posts the seeker asked for")


def _place(seeker: SeekerProfile, vacancy: VacancyProfile) -> Reason:
    top = WEIGHTS["place"]
    if vacancy.community_code and vacancy.community_code == seeker.community_code:
        return Reason("place", top, top, "in the seeker's own community")
    if vacancy.street_code == seeker.street_code:
        return Reason("place", top * 0.8, top, "in the seeker's street")
    return Reason("place", top * 0.2, top, "elsewhere in the district (a commute)")


def _salary(seeker: SeekerProfile, vacancy: VacancyProfile) -> Reason:
    top = WEIGHTS["salary"]
    want = seeker.desired_salary_min_fen
    if not want:
        return Reason("salary", top * 2 / 3, top, "the seeker set no minimum salary")
    if vacancy.salary_max_fen >= want:
        return Reason("salary", top, top, f"pays up to {vacancy.salary_max_fen // 100} yuan; wants {want // 100}+")
    if vacancy.salary_max_fen >= want * 0.85:
        return Reason("salary", top * 0.5, top, f"pays up to {vacancy.salary_max_fen // 100} yuan, a little under "
                                                f"the {want // 100} wanted")
    return Reason("salary", 0, top, f"pays up to {vacancy.salary_max_fen // 100} yuan; wants {want // 100}+")


def _priority(seeker: SeekerProfile) -> Reason:
    top = WEIGHTS["priority"]
    assisted = sorted(ASSISTANCE_GROUPS & seeker.groups)
    if assisted:
        return Reason("priority", top, top, f"employment-assistance group: {', '.join(assisted)}")
    if "graduate" in seeker.groups:
        return Reason("priority", top * 0.6, top, "graduate")
    return Reason("priority", 0, top, "no priority group")


def eligible(seeker: SeekerProfile, vacancy: VacancyProfile) -> bool:
    return not vacancy.public_welfare or bool(ASSISTANCE_GROUPS & seeker.groups)


def score(seeker: SeekerProfile, vacancy: VacancyProfile) -> Match | None:
    """The match, or None when the seeker may not take the post at all."""
    if not eligible(seeker, vacancy):
        return None
    reasons = [_skills(seeker, vacancy), _post(seeker, vacancy), _place(seeker, vacancy), _salary(seeker, vacancy),
               _priority(seeker)]
    reasons = [Reason(r.factor, round(r.points, 1), r.max_points, r.detail) for r in reasons]
    return Match(round(sum(r.points for r in reasons), 1), reasons)


def rank(pairs: Iterable[tuple[object, Match | None]], limit: int) -> list[tuple[object, Match]]:
    """Best first; ties keep the caller's order (which puts the longer-waiting or newer first)."""
    scored = [(item, match) for item, match in pairs if match is not None]
    scored.sort(key=lambda pair: -pair[1].score)
    return scored[:limit]
