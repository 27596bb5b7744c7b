"""outbox claims name their process

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 19:15:00.000000

A message being sent records which process claimed it (host, process id and that process's
start), so that a run finds a claim left by a process that has died without waiting for the
claim to time out. Rows claimed before this revision have none and time out as before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_by', sa.String(length=255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('claimed_by')
