"""indexes for the campaign index's sort keys

Revision ID: 0003
Revises: 0002
Created: 2026-11-23

The Campaigns tab sorts 100,000 campaigns by any column and pages through them in SQL
(QUALITY.md P3). Each sort key gets an index scoped by account, so SQLite reads a page in order
instead of sorting the whole table: status, number (also the provisioning badge's buckets),
number mode, start date and the three audience counters. Indexes only: no data changes.
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_CAMPAIGN_INDEXES = {
    "ix_campaign_account_status": ["account_id", "status"],
    "ix_campaign_account_number": ["account_id", "phone_number_id"],
    "ix_campaign_account_mode": ["account_id", "number_mode"],
    "ix_campaign_account_start": ["account_id", "start_at"],
    "ix_campaign_account_contacts": ["account_id", "contact_count"],
    "ix_campaign_account_senders": ["account_id", "sender_count"],
    "ix_campaign_account_unassigned": ["account_id", "unassigned_count"],
}


def upgrade() -> None:
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        for name, columns in _CAMPAIGN_INDEXES.items():
            batch_op.create_index(name, columns, unique=False)


def downgrade() -> None:
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        for name in reversed(_CAMPAIGN_INDEXES):
            batch_op.drop_index(name)
