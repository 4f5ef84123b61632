"""consents to process health data

Patients registered before consent was recorded here get a consent row dated their registration, granted by
"registered-before-consent-records" (their family-doctor contract covered it): without it every reading of
every existing patient would be refused from the deploy on. Staff record a withdrawal as for any other.

Revision ID: 821003d28a19
Revises: 6deb73d29820
Create Date: 2026-11-29 07:04:06.852098

"""
import uuid
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import shared.database


# revision identifiers, used by Alembic.
revision: str = '821003d28a19'
down_revision: Union[str, Sequence[str], None] = '6deb73d29820'
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

    consents = sa.table('consents', sa.column('id', sa.Uuid()), sa.column('person_ref', sa.String()),
                        sa.column('purpose', sa.String()), sa.column('granted_at', shared.database.UTCDateTime()),
                        sa.column('granted_by', sa.String()))
    patients = op.get_bind().execute(sa.text("SELECT person_ref, registered_at FROM patients")).all()
    if patients:
        op.bulk_insert(consents, [{"id": uuid.uuid4(), "person_ref": ref, "purpose": "health_data",
                                   "granted_at": registered_at, "granted_by": "registered-before-consent-records"}
                                  for ref, registered_at in patients])


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consents_person_ref'))

    op.drop_table('consents')