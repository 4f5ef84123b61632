"""Statistics for the overview, with aggregate SQL only (a few grouped queries, never rows in Python); the
high-volume figures (alerts, work orders, meals) from running monthly totals (``figures``).

``year`` applies to each figure by its own date (work orders by when raised, alerts by when received, courses
and childcare slots by when they start, meals by their date, visits by when done); figures about now (open
orders, open visits, alerts today, stations, devices, residents) ignore it. ``street_code`` applies to all.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from services.community.alerts.models import Alert
from services.community.childcare.models import ChildcareSlot
from services.community.courses.models import Course, Enrolment
from services.community.devices.models import Device
from services.community.escalation.rules import SEVERITIES
from services.community.figures import service as figures
from services.community.localtime import local_date, local_day_start
from services.community.residents.models import Resident
from services.community.residents.rules import ELDERLY_AGE, birthday_cutoff
from services.community.stations.models import Station
from services.community.stats.schemas import Filters, Overview
from services.community.visits.models import VisitTask
from services.community.workorders.models import WorkOrder
from services.community.workorders.rules import OPEN
from shared.aggregates import one_row_each

NOTES = {
    "year.work_orders": "work orders raised in the year (open_* figures are as of now)",
    "year.alerts": "alerts received in the year (alerts_today is the local day, UTC+8)",
    "year.courses": "courses starting in the year; enrolments are their places taken",
    "year.childcare": "slots starting in the year; occupancy = places booked / places offered (cancelled excluded)",
    "year.meals": "meals of the year",
    "year.visits": "visits completed in the year (visits_open and visits_overdue are as of now)",
    "mean_seconds": "0 when nothing was acknowledged / resolved in the period",
}


def _in_year(column, year: int | None) -> ColumnElement[bool]:
    if year is None:
        return true()
    return and_(column >= datetime(year, 1, 1, tzinfo=UTC) - timedelta(hours=8),
                column < datetime(year + 1, 1, 1, tzinfo=UTC) - timedelta(hours=8))  # local (UTC+8) years


def _mean(total: int, count: int) -> float:
    return round(total / count, 1) if count else 0


def _street(column, street_code: str | None) -> ColumnElement[bool]:
    return column == street_code if street_code else true()


async def overview(session: AsyncSession, *, year: int | None, street_code: str | None, now: datetime) -> Overview:
    figures_: dict[str, float | int] = {}
    breakdowns: dict[str, dict[str, float | int]] = {}

    # Work orders open now, by stage and severity.
    stages = dict.fromkeys(OPEN, 0)
    severities = dict.fromkeys(SEVERITIES, 0)
    escalated = 0
    for status, severity, n, up in (await session.execute(
            select(WorkOrder.status, WorkOrder.severity, func.count(),
                   func.count().filter(WorkOrder.escalation_level > 0))
            .where(WorkOrder.status.in_(OPEN), _street(WorkOrder.street_code, street_code))
            .group_by(WorkOrder.status, WorkOrder.severity))).all():
        stages[status] += n
        severities[severity] += n
        escalated += up
    figures_["work_orders_open"] = sum(stages.values())
    figures_.update({f"work_orders_open_{s}": n for s, n in stages.items()})
    figures_["work_orders_open_escalated"] = escalated
    breakdowns["work_orders_open_by_stage"] = stages
    breakdowns["work_orders_open_by_severity"] = severities

    # Figures of the period come from the running monthly totals (a few thousand rows at most, however many
    # alerts, orders and meals there were); figures about now read the live rows through their indexes.
    total = await figures.totals(session, year=year, street_code=street_code)
    figures_["work_orders_raised"] = total["work_orders.raised"]
    figures_["work_orders_resolved"] = total["work_orders.resolved"]
    figures_["work_orders_reviewed"] = total["work_orders.reviewed"]
    figures_["mean_seconds_to_acknowledge"] = _mean(total["work_orders.ack_seconds"], total["work_orders.acknowledged"])
    figures_["mean_seconds_to_resolve"] = _mean(total["work_orders.resolve_seconds"], total["work_orders.resolved"])

    # The one-row figures, asked together (one statement: see shared/aggregates.py).
    today_start = local_day_start(local_date(now))
    open_statuses = ("open", "assigned")
    alerts_today, courses_, attended, slots_, kits, visits, people = await one_row_each(
        session,
        select(func.count(), func.count().filter(Alert.severity.in_(("high", "critical"))))
        .where(Alert.received_at >= today_start, _street(Alert.street_code, street_code)),
        select(func.count(), func.coalesce(func.sum(Course.enrolled_count), 0),
               func.coalesce(func.sum(Course.waitlisted_count), 0))
        .where(Course.status == "scheduled", _in_year(Course.starts_at, year),
               _street(Course.street_code, street_code)),
        select(func.count()).select_from(Enrolment).join(Course, Course.id == Enrolment.course_id)
        .where(Enrolment.status == "attended", Course.status == "scheduled", _in_year(Course.starts_at, year),
               _street(Course.street_code, street_code)),
        select(func.count(), func.coalesce(func.sum(ChildcareSlot.capacity), 0),
               func.coalesce(func.sum(ChildcareSlot.booked_count), 0))
        .where(ChildcareSlot.status != "cancelled", _in_year(ChildcareSlot.starts_at, year),
               _street(ChildcareSlot.street_code, street_code)),
        select(func.count(), func.count(func.distinct(Device.household_id)))
        .where(Device.status == "active", _street(Device.street_code, street_code)),
        select(func.count().filter(VisitTask.status.in_(open_statuses)),
               func.count().filter(VisitTask.status.in_(open_statuses), VisitTask.due_at < now),
               func.count().filter(VisitTask.status == "done", _in_year(VisitTask.completed_at, year)))
        .where(_street(VisitTask.street_code, street_code)),
        select(func.count(), func.count().filter(
            Resident.lives_alone.is_(True), Resident.birth_date <= birthday_cutoff(ELDERLY_AGE, local_date(now))))
        .where(_street(Resident.street_code, street_code)),
    )
    figures_["alerts"] = total["alerts"]
    figures_["alerts_today"], figures_["alerts_today_high_or_critical"] = alerts_today
    breakdowns["alerts_by_device_type"] = {metric.split(".", 1)[1]: n for metric, n in sorted(total.items())
                                           if metric.startswith("alerts.")}

    by_kind = dict((await session.execute(
        select(Station.kind, func.count()).where(Station.status == "open", _street(Station.street_code, street_code))
        .group_by(Station.kind))).all())
    figures_["stations"] = sum(by_kind.values())
    breakdowns["stations_by_kind"] = by_kind

    courses, places, waitlisted = courses_
    figures_["courses"] = courses
    figures_["course_enrolments"] = int(places)
    figures_["course_waitlisted"] = int(waitlisted)
    figures_["course_attendances"] = int(attended[0] or 0)

    slots, offered, booked = slots_
    figures_["childcare_slots"] = slots
    figures_["childcare_places_offered"] = int(offered)
    figures_["childcare_places_booked"] = int(booked)
    figures_["childcare_occupancy_pct"] = round(100 * int(booked) / int(offered), 1) if offered else 0

    figures_["meals_served"] = total["meals.served"]
    figures_["meals_ordered"] = total["meals.ordered"]
    figures_["meal_subsidy_fen"] = total["meals.subsidy_fen"]

    figures_["devices_active"], figures_["households_with_kit"] = kits
    figures_["visits_open"], figures_["visits_overdue"], figures_["visits_done"] = visits
    figures_["residents"], figures_["elderly_living_alone"] = people

    return Overview(generated_at=now, filters=Filters(year=year, street_code=street_code), figures=figures_,
                    breakdowns=breakdowns, notes=NOTES)
