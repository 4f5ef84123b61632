"""Idempotent consumption: parse, check the contract, apply the effect and record it in the inbox, in one
transaction; acknowledge only after commit.

A duplicate delivery finds its inbox row and is acknowledged without effect. A message that cannot be
parsed, or whose type/major version has no contract, can never succeed and is dead-lettered at once.
A handler that raises is retried by the bus up to the delivery limit, then dead-lettered.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy import Executable, String, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.types import Uuid

from shared.database import UTCDateTime, owned_transaction, utcnow
from shared.events.bus import Outcome
from shared.events.contracts import contract_for
from shared.events.envelope import EventContract, EventEnvelope, routing_key
from shared.events.metrics import EventMetrics
from shared.events.outbox import InboxMixin
from shared.observability import reset_request_id, set_request_id

log = logging.getLogger("minsheng.events.consumer")

INFRA_RETRIES = 12  # about 45 s of waiting for the database before the broker redelivers

Handler = Callable[[AsyncSession, EventContract, EventEnvelope], Awaitable[None]]


class EventConsumer:
    def __init__(self, name: str, inbox_model: type[InboxMixin]):
        self.name = name
        self.inbox_model = inbox_model
        self.handlers: dict[tuple[str, int], Handler] = {}
        self.session_factory: async_sessionmaker[AsyncSession] | None = None
        self.metrics: EventMetrics | None = None
        self._inbox_claim: _InboxClaim | None = None

    def on(self, contract: type[EventContract]) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.handlers[(contract.event_type, contract.version)] = handler
            return handler

        return register

    @property
    def routing_keys(self) -> list[str]:
        return sorted(routing_key(t, v) for t, v in self.handlers)

    def bind(self, session_factory: async_sessionmaker[AsyncSession], metrics: EventMetrics | None = None):
        self.session_factory = session_factory
        self.metrics = metrics
        self._inbox_claim = _InboxClaim.for_dialect(self.inbox_model, session_factory.kw["bind"].dialect.name)
        return self

    def _count(self, event_type: str, outcome: str) -> None:
        if self.metrics:
            self.metrics.consumed.labels(self.name, event_type, outcome).inc()

    def _parse(self, body: bytes, routing_key_: str) -> _Parsed | None:
        """The message's handler, data and envelope; None when it can never succeed (dead-letter it)."""
        try:
            envelope = EventEnvelope.model_validate_json(body)
        except ValidationError:
            log.warning("unparseable message dead-lettered", extra={"consumer": self.name, "rk": routing_key_})
            self._count("unparseable", "dead")
            return None
        handler = self.handlers.get((envelope.type, envelope.version))
        contract = contract_for(envelope.type, envelope.version)
        if handler is None or contract is None:
            log.warning("no handler for event version; dead-lettered",
                        extra={"consumer": self.name, "type": envelope.type, "version": envelope.version})
            self._count(envelope.type, "dead")
            return None
        try:
            data = contract.model_validate(envelope.data)
        except ValidationError:
            log.warning("event data breaks its contract; dead-lettered",
                        extra={"consumer": self.name, "type": envelope.type, "event_id": str(envelope.id)})
            self._count(envelope.type, "dead")
            return None
        return _Parsed(handler, data, envelope)

    async def handle(self, body: bytes, routing_key_: str) -> Outcome:
        parsed = self._parse(body, routing_key_)
        if parsed is None:
            return Outcome.DEAD
        token = set_request_id(parsed.envelope.correlation_id)
        try:
            return await self._apply_once(parsed.handler, parsed.data, parsed.envelope)
        finally:
            reset_request_id(token)

    async def handle_batch(self, messages: Sequence[tuple[bytes, str]]) -> list[Outcome]:
        """Several deliveries in ONE transaction (one inbox insert, one commit): under load the commit is the
        cost that matters. If any handler fails, the batch rolls back and each message is retried on its own,
        so one bad event cannot hold the others back."""
        if len(messages) == 1:
            return [await self.handle(*messages[0])]
        outcomes: list[Outcome] = [Outcome.DEAD] * len(messages)
        todo: dict[uuid.UUID, tuple[int, _Parsed]] = {}
        for index, (body, key) in enumerate(messages):
            parsed = self._parse(body, key)
            if parsed is None:
                continue
            if parsed.envelope.id in todo:  # the same event twice in one batch
                outcomes[index] = Outcome.ACK
                self._count(parsed.envelope.type, "duplicate")
                continue
            todo[parsed.envelope.id] = (index, parsed)
        if not todo:
            return outcomes
        try:
            async with self.session_factory() as session, owned_transaction(session):
                claimed = await self._claim(session, [p.envelope for _, p in todo.values()])
                for event_id, (_, parsed) in todo.items():
                    if event_id in claimed:
                        token = set_request_id(parsed.envelope.correlation_id)
                        try:
                            await parsed.handler(session, parsed.data, parsed.envelope)
                        finally:
                            reset_request_id(token)
        except Exception:
            log.warning("batch failed; handling its events one by one", exc_info=True,
                        extra={"consumer": self.name, "size": len(todo)})
            for index, parsed in todo.values():
                outcomes[index] = await self._apply_once(parsed.handler, parsed.data, parsed.envelope)
            return outcomes
        for event_id, (index, parsed) in todo.items():
            outcomes[index] = Outcome.ACK
            self._count(parsed.envelope.type, "handled" if event_id in claimed else "duplicate")
        return outcomes

    async def _claim(self, session: AsyncSession, envelopes: list[EventEnvelope]) -> set[uuid.UUID]:
        """Insert the inbox rows; returns the events not handled before (a concurrent claim of the same event
        waits for the other transaction, then finds the row taken)."""
        # On the session's connection, as the outbox insert: the ORM's execute path adds bookkeeping to a
        # statement that maps nothing, and a lone delivery pays it on every event.
        connection = await session.connection()
        claim = self._inbox_claim
        return set((await connection.execute(claim.statement, claim.params(self.name, envelopes))).scalars())

    async def _apply_once(self, handler: Handler, data: EventContract, envelope: EventEnvelope) -> Outcome:
        """Apply with the database's outages waited out in place: an outage is not the message's fault, and
        redelivering would spend its delivery limit and dead-letter a good event."""
        delay = 0.2
        for _ in range(INFRA_RETRIES):
            try:
                return await self._apply(handler, data, envelope)
            except _DatabaseUnavailable:
                log.warning("database unavailable; holding the event", extra={"consumer": self.name})
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
        self._count(envelope.type, "retry")
        return Outcome.RETRY

    async def _apply(self, handler: Handler, data: EventContract, envelope: EventEnvelope) -> Outcome:
        try:
            async with self.session_factory() as session, owned_transaction(session):
                # Claim the event first: a concurrent delivery of the same event blocks on this row's key
                # until we commit, then finds it taken; so the handler never runs twice at once.
                if not await self._claim(session, [envelope]):
                    raise _AlreadyHandled
                await handler(session, data, envelope)
        except _AlreadyHandled:
            self._count(envelope.type, "duplicate")
            return Outcome.ACK
        except (OperationalError, InterfaceError, OSError) as exc:
            raise _DatabaseUnavailable from exc
        except Exception:
            log.exception("handler failed; will be redelivered",
                          extra={"consumer": self.name, "type": envelope.type, "event_id": str(envelope.id)})
            self._count(envelope.type, "retry")
            return Outcome.RETRY
        self._count(envelope.type, "handled")
        return Outcome.ACK


@dataclass(frozen=True, slots=True)
class _InboxClaim:
    """The inbox insert that claims a batch, built once per consumer (Core, cached by SQLAlchemy).

    PostgreSQL: one statement whatever the batch size, the rows as two arrays (``unnest``): a multi-row VALUES
    list is new SQL for every batch size (a prepare per size and connection) and binds each row's values in
    Python. SQLite: the rows as executemany parameters (SQLAlchemy sends one multi-row INSERT … RETURNING).
    """

    statement: Executable
    rows_as_arrays: bool

    @classmethod
    def for_dialect(cls, model: type[InboxMixin], dialect: str) -> _InboxClaim:
        table = model.__table__
        if dialect == "postgresql":
            rows = (func.unnest(bindparam("ids", type_=ARRAY(Uuid())), bindparam("types", type_=ARRAY(String())))
                    .table_valued("id", "type").render_derived("claimed"))
            claim = pg_insert(table).from_select(
                ["consumer", "event_id", "event_type", "handled_at"],
                select(bindparam("consumer", type_=String()), rows.c.id, rows.c.type,
                       bindparam("now", type_=UTCDateTime())))
            return cls(claim.on_conflict_do_nothing().returning(table.c.event_id), rows_as_arrays=True)
        return cls(sqlite_insert(table).on_conflict_do_nothing().returning(table.c.event_id), rows_as_arrays=False)

    def params(self, consumer: str, envelopes: Sequence[EventEnvelope]) -> dict | list[dict]:
        now = utcnow()
        if self.rows_as_arrays:
            return {"consumer": consumer, "now": now, "ids": [e.id for e in envelopes],
                    "types": [e.type for e in envelopes]}
        return [{"consumer": consumer, "event_id": e.id, "event_type": e.type, "handled_at": now} for e in envelopes]


class _DatabaseUnavailable(Exception):
    """The database could not be reached: wait, do not spend the message's delivery limit."""


class _AlreadyHandled(Exception):
    """The inbox already holds this (consumer, event): acknowledge without effect."""


@dataclass(frozen=True, slots=True)
class _Parsed:
    handler: Handler
    data: EventContract
    envelope: EventEnvelope
