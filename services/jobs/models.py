"""Every table of the service, imported so that Alembic sees the whole metadata."""

from services.jobs.assistance.models import ContactAttempt, ServiceAct
from services.jobs.benefits.models import BenefitClaim, BenefitPayment, PaymentBatch
from services.jobs.db import AuditEntry, Base, InboxMessage, OutboxMessage
from services.jobs.employers.models import Employer
from services.jobs.households.models import Household, HouseholdChange, HouseholdMember
from services.jobs.loans.models import Guarantor, Loan, Repayment
from services.jobs.placements.models import FollowUp, Placement
from services.jobs.relief.models import ReliefEnterpriseYear, ReliefRecord, ReliefRollup
from services.jobs.seekers.models import Seeker, SeekerSkill, StageChange
from services.jobs.stats.models import SeekerTally
from services.jobs.vacancies.models import Vacancy, VacancySkill

__all__ = [
    "AuditEntry", "Base", "BenefitClaim", "BenefitPayment", "ContactAttempt", "Employer", "FollowUp", "Guarantor",
    "Household", "HouseholdChange", "HouseholdMember", "InboxMessage", "Loan", "OutboxMessage", "PaymentBatch",
    "Placement", "ReliefEnterpriseYear", "ReliefRecord", "ReliefRollup", "Repayment", "Seeker", "SeekerSkill",
    "SeekerTally", "ServiceAct", "StageChange", "Vacancy", "VacancySkill",
]
