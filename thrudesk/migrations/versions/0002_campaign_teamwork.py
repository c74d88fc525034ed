"""campaign teamwork: sending parameters, campaign timezone, replies and surcharges

Revision ID: 0002
Revises: 0001
Created: 2026-11-22

Adds the single-row ``messaging_parameters`` table (M2), ``campaign.timezone`` (C11),
``conversation.reply_text`` and ``conversation.surcharge_cents`` (M2, M3), an index on
``conversation (campaign_id, message_state)`` for the sending simulation and Campaign Details,
and one on ``campaign (account_id, last_activity_at)`` for auto-archive (C17).
The new message state ``held`` needs no change: states are stored as plain strings.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "messaging_parameters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("delivery_rate_complete", sa.Double(), nullable=False),
        sa.Column("delivery_rate_provisioning", sa.Double(), nullable=False),
        sa.Column("surcharge_cents", sa.Integer(), nullable=False),
        sa.Column("reply_rate", sa.Double(), nullable=False),
        sa.Column("opt_out_rate", sa.Double(), nullable=False),
        sa.Column("messages_per_sender_hour", sa.Integer(), nullable=False),
        sa.Column("activity_minutes", sa.Integer(), nullable=False),
        sa.Column("simulated_senders", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messaging_parameters")),
    )
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.add_column(sa.Column("timezone", sa.String(length=64), nullable=True))
        batch_op.create_index(
            "ix_campaign_account_last_activity", ["account_id", "last_activity_at"], unique=False
        )

    with op.batch_alter_table("conversation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reply_text", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("surcharge_cents", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.create_index(
            "ix_conversation_campaign_state", ["campaign_id", "message_state"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("conversation", schema=None) as batch_op:
        batch_op.drop_index("ix_conversation_campaign_state")
        batch_op.drop_column("surcharge_cents")
        batch_op.drop_column("reply_text")

    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.drop_index("ix_campaign_account_last_activity")
        batch_op.drop_column("timezone")

    op.drop_table("messaging_parameters")
