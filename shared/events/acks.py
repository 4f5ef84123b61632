"""Settling deliveries in as few frames as is safe.

One ``basic.ack`` with ``multiple`` acknowledges every unacknowledged delivery on a channel up to a tag. That
is safe only for a prefix of the channel's outstanding deliveries that are all handled: several queues and
batch workers share the channel. The window keeps each channel's deliveries in arrival order and acknowledges
the longest handled prefix with one frame (a drained batch of 100 was 100 frames, each also work for the
broker). A handled delivery behind one still in work waits for it: it is committed, and a redelivery after a
crash meets the inbox; past ``max_waiting`` of them they are acknowledged one by one, so a slow handler cannot
fill the prefetch window. Frames go out under a lock per channel, in the order their tags were decided: a
multiple ack overtaking a nack would acknowledge the delivery the nack was to return.
"""

from __future__ import annotations

import asyncio
import weakref
from collections import OrderedDict
from collections.abc import Iterable

from aio_pika.abc import AbstractIncomingMessage


class _Channel:
    __slots__ = ("lock", "pending")

    def __init__(self):
        self.lock = asyncio.Lock()
        self.pending: OrderedDict[int, bool] = OrderedDict()  # delivery tag -> handled


class AckWindow:
    def __init__(self, max_waiting: int = 32):
        self.max_waiting = max_waiting
        # Keyed by the protocol channel the delivery came on: after a reconnect its tags mean nothing on the
        # new channel, and the old channel's entries go with it.
        self._channels: weakref.WeakKeyDictionary[object, _Channel] = weakref.WeakKeyDictionary()

    def received(self, message: AbstractIncomingMessage) -> None:
        state = self._channels.get(message.channel)
        if state is None:
            state = self._channels[message.channel] = _Channel()
        state.pending[message.delivery_tag] = False

    async def ack(self, messages: Iterable[AbstractIncomingMessage]) -> None:
        touched: dict[int, tuple[object, _Channel]] = {}
        for message in messages:
            state = self._channels.get(message.channel)
            if state is None or message.delivery_tag not in state.pending:
                await message.ack()  # not seen arriving (never expected): settle it alone
                continue
            state.pending[message.delivery_tag] = True
            touched[id(message.channel)] = (message.channel, state)
        for channel, state in touched.values():
            async with state.lock:
                await self._flush(channel, state)

    async def reject(self, message: AbstractIncomingMessage, *, requeue: bool) -> None:
        """A delivery that is not acknowledged (returned to its queue, or dead-lettered): its own frame, never
        covered by a later multiple ack."""
        state = self._channels.get(message.channel)
        if state is None:
            await message.reject(requeue=requeue)
            return
        async with state.lock:
            state.pending.pop(message.delivery_tag, None)
            await message.reject(requeue=requeue)
            await self._flush(message.channel, state)  # it may have been the head holding others back

    async def _flush(self, channel, state: _Channel) -> None:
        last = None
        pending = state.pending
        while pending:
            tag, handled = next(iter(pending.items()))
            if not handled:
                break
            pending.popitem(last=False)
            last = tag
        if last is not None:
            await channel.basic_ack(last, multiple=True)
        waiting = [tag for tag, handled in pending.items() if handled]
        if len(waiting) > self.max_waiting:
            for tag in waiting:
                del pending[tag]
                await channel.basic_ack(tag)
