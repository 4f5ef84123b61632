"""Every table of the service, imported so that Alembic sees the whole metadata."""

from services.community.alerts.models import Alert
from services.community.canteen.models import MealOrder
from services.community.childcare.models import ChildcareBooking, ChildcareSlot
from services.community.courses.models import Course, Enrolment
from services.community.db import AuditEntry, Base, InboxMessage, OutboxMessage
from services.community.devices.models import Device
from services.community.escalation.models import DutyChain
from services.community.feed.models import FeedEvent
from services.community.figures.models import MonthlyFigure
from services.community.residents.consent import Consent
from services.community.residents.models import Household, Resident
from services.community.stations.models import Station, StationService
from services.community.visits.models import VisitRequest, VisitTask
from services.community.workorders.models import WorkOrder, WorkOrderEscalation, WorkOrderStep

__all__ = [
    "Alert", "AuditEntry", "Base", "ChildcareBooking", "ChildcareSlot", "Consent", "Course", "Device", "DutyChain",
    "Enrolment", "FeedEvent", "Household", "InboxMessage", "MealOrder", "MonthlyFigure", "OutboxMessage", "Resident",
    "Station", "StationService", "VisitRequest", "VisitTask", "WorkOrder", "WorkOrderEscalation", "WorkOrderStep",
]
