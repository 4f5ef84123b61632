"""Fixtures for the event-layer tests: a small database of their own (a state table, the outbox and the
inbox, as every service has), and a probe consumer whose effect is a row per handled event."""

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import String, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.database import UUIDPrimaryKey, create_engine, create_session_factory, new_metadata
from shared.events.bus import WireEvent
from shared.events.consumer import EventConsumer
from shared.events.contracts.renovation import ProjectStatusChangedV1
from shared.events.outbox import InboxMixin, Outbox, OutboxMixin
from shared.testing import pg_admin, pg_url


class Base(DeclarativeBase):
    metadata = new_metadata()


class OutboxMessage(OutboxMixin, Base):
    pass


class InboxMessage(InboxMixin, Base):
    pass


class Thing(UUIDPrimaryKey, Base):
    """The state a use case changes."""

    __tablename__ = "things"
    status: Mapped[str] = mapped_column(String(20))


class Effect(UUIDPrimaryKey, Base):
    """What the probe consumer does per event: a row, so 'once' is checked in the database."""

    __tablename__ = "effects"
    project_id: Mapped[uuid.UUID] = mapped_column(index=True)


outbox = Outbox(OutboxMessage)


@pytest.fixture
async def session_factory(db_backend, tmp_path):
    if db_backend == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path}/events.db"
        name = None
    else:
        name = f"msev_{uuid.uuid4().hex[:10]}"
        conn = await pg_admin()
        await conn.execute(f'CREATE DATABASE "{name}"')
        await conn.close()
        url = pg_url(name)
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    yield create_session_factory(engine)
    await engine.dispose()
    if name:
        conn = await pg_admin()
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()


class Probe:
    """A consumer recording an Effect row per event; ``fail`` makes the handler raise."""

    def __init__(self, session_factory, name="probe"):
        self.attempts = 0
        self.fail = False
        self.effects: list[uuid.UUID] = []  # handler calls, committed or not
        self.session_factory = session_factory
        self.consumer = EventConsumer(name, InboxMessage).bind(session_factory)

        @self.consumer.on(ProjectStatusChangedV1)
        async def record(session, event, envelope):
            self.attempts += 1
            if self.fail:
                raise RuntimeError("handler down")
            session.add(Effect(project_id=event.project_id))
            self.effects.append(event.project_id)

    async def committed_effects(self) -> list[uuid.UUID]:
        async with self.session_factory() as s:
            return list((await s.execute(select(Effect.project_id))).scalars())

    async def inbox_rows(self) -> int:
        async with self.session_factory() as s:
            return await s.scalar(select(func.count()).select_from(InboxMessage))


@pytest.fixture
def probe(session_factory):
    return Probe(session_factory)


def status_changed(project_id=None) -> ProjectStatusChangedV1:
    return ProjectStatusChangedV1(project_id=project_id or uuid.uuid4(), from_status="planned", to_status="approved",
                                  street_code="330109005", area_m2=100.0, changed_at=datetime.now(UTC))


def wire(contract=None) -> WireEvent:
    envelope = (contract or status_changed()).envelope()
    return WireEvent(envelope.id, envelope.type, envelope.routing_key, envelope.model_dump_json().encode())
