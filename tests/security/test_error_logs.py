"""A statement that fails keeps its values out of the exception text (and so out of every error log): the
engines are created with hide_parameters. Found by the log scan: a failed INSERT logged an ID number."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from shared.database import create_engine

ID_NUMBER = "330109198505050712"


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_a_failed_statement_does_not_carry_its_values(database_url_for, backend):
    engine = create_engine(await database_url_for("jobs", backend))
    try:
        async with engine.connect() as conn:
            with pytest.raises(Exception) as failure:
                await conn.execute(text("INSERT INTO no_such_table (id_number) VALUES (:v)"), {"v": ID_NUMBER})
    finally:
        await engine.dispose()
    assert ID_NUMBER not in str(failure.value)
    assert "hidden" in str(failure.value)
