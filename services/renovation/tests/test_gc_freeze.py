"""A running service keeps its start-up objects out of the garbage collector's full passes (shared/gc_tuning.py),
and gives them back when it stops, so a process that starts and stops apps does not keep them for ever."""

import gc


async def test_the_start_up_heap_is_frozen_while_the_service_runs_and_released_when_it_stops(make_client):
    assert gc.get_freeze_count() == 0
    async with make_client("sqlite") as client:
        assert (await client.get("/healthz")).status_code == 200
        assert gc.get_freeze_count() > 10_000  # the service's mappers, validators and routes, at least
    assert gc.get_freeze_count() == 0
