"""Every table of the service, imported so that Alembic sees the whole metadata."""

from services.renovation.acceptance.models import Defect, Inspection
from services.renovation.communities.models import (
    CommunityScenario,
    FutureCommunity,
    FutureCommunityTransition,
    ScenarioInspection,
)
from services.renovation.db import Base, InboxMessage, OutboxMessage
from services.renovation.estates.models import Estate, Household, HouseholdMember
from services.renovation.milestones.models import Milestone, MilestoneUpdate
from services.renovation.participation.models import (
    Comment,
    Plan,
    PlanEstate,
    PlanTransition,
    Rating,
    RatingTally,
    Vote,
)
from services.renovation.programmes.models import Programme, ProgrammeCommunity
from services.renovation.projects.models import Project, ProjectEstate, ProjectTally, ProjectTransition, ScopeItem
from services.renovation.spaces.models import Space

__all__ = [
    "Base", "Comment", "CommunityScenario", "Defect", "Estate", "FutureCommunity", "FutureCommunityTransition",
    "Household", "HouseholdMember", "InboxMessage", "Inspection", "Milestone", "MilestoneUpdate", "OutboxMessage",
    "Plan", "PlanEstate", "PlanTransition", "Programme", "ProgrammeCommunity", "Project", "ProjectEstate",
    "ProjectTally", "ProjectTransition", "Rating", "RatingTally", "ScenarioInspection", "ScopeItem", "Space", "Vote",
]
