"""Every table of the service, imported so that Alembic sees the whole metadata."""

from services.chronic_care.db import AuditEntry, Base, InboxMessage, OutboxMessage
from services.chronic_care.dispensing.models import Dispensation, Refill, RefillStep
from services.chronic_care.drugs.models import Drug
from services.chronic_care.followups.models import FollowUp, FollowUpCall
from services.chronic_care.labs.models import LabTest
from services.chronic_care.monitoring.models import Reading
from services.chronic_care.patients.consent import Consent
from services.chronic_care.patients.models import Patient, PatientCondition, PatientFlag
from services.chronic_care.referrals.models import Referral, ReferralStep
from services.chronic_care.rehab.models import NursingPlan, NursingVisit
from services.chronic_care.stations.models import Station, StationStaff
from services.chronic_care.stats.models import DrugMonth, FigureCount
from services.chronic_care.stock.models import StationDrug, StockMovement
from services.chronic_care.thresholds.models import ThresholdSetting
from services.chronic_care.timeline.models import TimelineEntry

__all__ = [
    "AuditEntry", "Base", "Consent", "Dispensation", "Drug", "DrugMonth", "FigureCount", "FollowUp", "FollowUpCall",
    "InboxMessage", "LabTest", "NursingPlan", "NursingVisit", "OutboxMessage", "Patient", "PatientCondition",
    "PatientFlag", "Reading", "Referral", "ReferralStep", "Refill", "RefillStep", "Station", "StationDrug",
    "StationStaff", "StockMovement", "ThresholdSetting", "TimelineEntry",
]
