"""guardian consents for children's data

Children under 14 registered before consents were recorded here get one dated today, granted by
"registered-before-consent-records", guardian unknown (null): their parents registered them in person, and
without it every booking for them would be refused from the deploy on. A guardian or staff withdraws it as any.

Revision ID: 326bd08b2dc3
Revises: aeb059b18b2b
Create Date: 2026-11-29 07:10:40.450994

"""
import uuid
from datetime import UTC, date, datetime
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import shared.database


# revision identifiers, used by Alembic.
revision: str = '326bd08b2dc3'
down_revision: Union[str, Sequence[str], None] = 'aeb059b18b2b'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('consents',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('person_ref', sa.String(length=40), nullable=False),
    sa.Column('purpose', sa.String(length=30), nullable=False),
    sa.Column('granted_at', shared.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('granted_by', sa.String(length=120), nullable=False),
    sa.Column('guardian_person_ref', sa.String(length=40), nullable=True),
    sa.Column('withdrawn_at', shared.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_by', sa.String(length=120), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consents'))
    )
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consents_person_ref'), ['person_ref'], unique=False)

    now = datetime.now(UTC)
    today = now.date()
    born_after = date(today.year - 14, today.month, 28 if (today.month, today.day) == (2, 29) else today.day)
    children = op.get_bind().execute(sa.text("SELECT person_ref FROM residents WHERE birth_date > :born_after"),
                                     {"born_after": born_after}).scalars().all()
    if children:
        consents = sa.table('consents', sa.column('id', sa.Uuid()), sa.column('person_ref', sa.String()),
                            sa.column('purpose', sa.String()),
                            sa.column('granted_at', shared.database.UTCDateTime()), sa.column('granted_by', sa.String()))
        op.bulk_insert(consents, [{"id": uuid.uuid4(), "person_ref": ref, "purpose": "minor_data", "granted_at": now,
                                   "granted_by": "registered-before-consent-records"} for ref in children])


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consents_person_ref'))

    op.drop_table('consents')