"""initial schema

Revision ID: 0001
Revises:
Created: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("provisioning_based_launching", sa.Boolean(), nullable=False),
        sa.Column("default_batch_size", sa.Integer(), nullable=False),
        sa.Column("dedicated_number_limit", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account")),
        sa.UniqueConstraint("name", name=op.f("uq_account_name")),
    )
    op.create_table(
        "area_code_stock",
        sa.Column("area_code", sa.String(length=3), nullable=False),
        sa.Column("available", sa.Integer(), nullable=False),
        sa.Column("refilled_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("area_code", name=op.f("pk_area_code_stock")),
    )
    op.create_table(
        "simulation_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "clock_kind",
            sa.Enum("real", "scaled", "manual", name="clockkind", native_enum=False, length=24),
            nullable=False,
        ),
        sa.Column("speed", sa.Double(), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("simulated_now", sa.DateTime(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column(
            "scenario",
            sa.Enum(
                "normal",
                "busy_afternoon",
                "provider_incident",
                "carrier_outage",
                "use_case_near_limit",
                name="scenario",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("scenario_options", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_simulation_state")),
    )
    op.create_table(
        "brand",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "registered",
                "unverified",
                name="brandstatus",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_brand_account_id_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_brand")),
    )
    with op.batch_alter_table("brand", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_brand_account_id"), ["account_id"], unique=False)

    op.create_table(
        "contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("phone", sa.String(length=16), nullable=False),
        sa.Column("first_name", sa.String(length=120), nullable=False),
        sa.Column("last_name", sa.String(length=120), nullable=False),
        sa.Column("opted_out_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_contact_account_id_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact")),
        sa.UniqueConstraint("account_id", "phone", name=op.f("uq_contact_account_id_phone")),
    )
    op.create_table(
        "simulation_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "carrier_answer",
                "hard_to_get_fulfilment",
                "auto_archive",
                "stuck_check",
                "scheduled_start",
                "simulated_activity",
                name="jobkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("applied_at", sa.DateTime(), nullable=True),
        sa.Column("label", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_simulation_job_account_id_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_simulation_job")),
    )
    with op.batch_alter_table("simulation_job", schema=None) as batch_op:
        batch_op.create_index("ix_simulation_job_pending", ["applied_at", "due_at"], unique=False)
        batch_op.create_index("ix_simulation_job_subject", ["kind", "subject_id"], unique=False)

    op.create_table(
        "user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column(
            "role",
            sa.Enum("admin", "sender", name="role", native_enum=False, length=24),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_user_account_id_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user")),
    )
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_account_id"), ["account_id"], unique=False)

    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_label", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("subject_type", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_event_account_id_account")
        ),
        sa.ForeignKeyConstraint(["actor_id"], ["user.id"], name=op.f("fk_event_actor_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
    )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index("ix_event_account_at", ["account_id", "at"], unique=False)
        batch_op.create_index(
            "ix_event_subject", ["subject_type", "subject_id", "at"], unique=False
        )

    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("subject_type", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_notification_account_id_account")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_notification_user_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.create_index("ix_notification_user_read", ["user_id", "read_at"], unique=False)

    op.create_table(
        "use_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pre_submission",
                "pending",
                "failed",
                "registered",
                "approved",
                name="usecasestatus",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_use_case_account_id_account")
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brand.id"], name=op.f("fk_use_case_brand_id_brand")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_use_case")),
    )
    with op.batch_alter_table("use_case", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_use_case_account_id"), ["account_id"], unique=False)

    op.create_table(
        "phone_number",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("e164", sa.String(length=16), nullable=False),
        sa.Column("area_code", sa.String(length=3), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("dedicated", "single_use", name="numberkind", native_enum=False, length=24),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=64), nullable=True),
        sa.Column("use_case_id", sa.Integer(), nullable=False),
        sa.Column(
            "provisioning_status",
            sa.Enum(
                "initiated",
                "complete",
                "failed",
                name="provisioningstatus",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("failure_reason", sa.Text(), nullable=True),
        sa.Column("initiator_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("completed_at", sa.DateTime(), nullable=True),
        sa.Column("failed_at", sa.DateTime(), nullable=True),
        sa.Column("released_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_phone_number_account_id_account")
        ),
        sa.ForeignKeyConstraint(
            ["initiator_id"], ["user.id"], name=op.f("fk_phone_number_initiator_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["use_case_id"], ["use_case.id"], name=op.f("fk_phone_number_use_case_id_use_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phone_number")),
    )
    with op.batch_alter_table("phone_number", schema=None) as batch_op:
        batch_op.create_index(
            "ix_phone_number_account_kind_released",
            ["account_id", "kind", "released_at"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_phone_number_e164"), ["e164"], unique=False)
        batch_op.create_index("ix_phone_number_status", ["provisioning_status"], unique=False)
        batch_op.create_index(
            "ix_phone_number_use_case_released", ["use_case_id", "released_at"], unique=False
        )

    op.create_table(
        "campaign",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "launching",
                "active",
                "paused",
                "archived",
                name="campaignstatus",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column(
            "number_mode",
            sa.Enum("dedicated", "single_use", name="numbermode", native_enum=False, length=24),
            nullable=True,
        ),
        sa.Column("phone_number_id", sa.Integer(), nullable=True),
        sa.Column("area_code_1", sa.String(length=3), nullable=True),
        sa.Column("area_code_2", sa.String(length=3), nullable=True),
        sa.Column("area_code_3", sa.String(length=3), nullable=True),
        sa.Column("use_case_id", sa.Integer(), nullable=True),
        sa.Column("script", sa.Text(), nullable=False),
        sa.Column("start_at", sa.DateTime(), nullable=True),
        sa.Column("end_at", sa.DateTime(), nullable=True),
        sa.Column("sending_hours_start", sa.Time(), nullable=False),
        sa.Column("sending_hours_end", sa.Time(), nullable=False),
        sa.Column("self_assign", sa.Boolean(), nullable=False),
        sa.Column("batch_size", sa.Integer(), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("cloned_from_id", sa.Integer(), nullable=True),
        sa.Column("provisioning_failed", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("launched_at", sa.DateTime(), nullable=True),
        sa.Column("activated_at", sa.DateTime(), nullable=True),
        sa.Column("archived_at", sa.DateTime(), nullable=True),
        sa.Column("last_activity_at", sa.DateTime(), nullable=False),
        sa.Column("contact_count", sa.Integer(), nullable=False),
        sa.Column("sender_count", sa.Integer(), nullable=False),
        sa.Column("unassigned_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_campaign_account_id_account")
        ),
        sa.ForeignKeyConstraint(
            ["cloned_from_id"], ["campaign.id"], name=op.f("fk_campaign_cloned_from_id_campaign")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user.id"], name=op.f("fk_campaign_created_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["campaign.id"], name=op.f("fk_campaign_parent_id_campaign")
        ),
        sa.ForeignKeyConstraint(
            ["phone_number_id"],
            ["phone_number.id"],
            name=op.f("fk_campaign_phone_number_id_phone_number"),
        ),
        sa.ForeignKeyConstraint(
            ["use_case_id"], ["use_case.id"], name=op.f("fk_campaign_use_case_id_use_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign")),
    )
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.create_index(
            "ix_campaign_account_created", ["account_id", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_campaign_account_status_created",
            ["account_id", "status", "created_at"],
            unique=False,
        )
        batch_op.create_index("ix_campaign_account_title", ["account_id", "title"], unique=False)
        batch_op.create_index("ix_campaign_parent", ["parent_id"], unique=False)
        batch_op.create_index(
            "ix_campaign_phone_number", ["phone_number_id", "status"], unique=False
        )

    op.create_table(
        "carrier_check",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("phone_number_id", sa.Integer(), nullable=False),
        sa.Column(
            "carrier",
            sa.Enum("att", "verizon", "tmobile", name="carrier", native_enum=False, length=24),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "confirmed",
                "rejected",
                name="carriercheckstatus",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["phone_number_id"],
            ["phone_number.id"],
            name=op.f("fk_carrier_check_phone_number_id_phone_number"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_carrier_check")),
        sa.UniqueConstraint(
            "phone_number_id", "carrier", name=op.f("uq_carrier_check_phone_number_id_carrier")
        ),
    )
    op.create_table(
        "hard_to_get_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("area_code", sa.String(length=3), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=True),
        sa.Column("use_case_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "fulfilled",
                "refused",
                name="hardtogetrequeststatus",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("phone_number_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_hard_to_get_request_account_id_account")
        ),
        sa.ForeignKeyConstraint(
            ["phone_number_id"],
            ["phone_number.id"],
            name=op.f("fk_hard_to_get_request_phone_number_id_phone_number"),
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["user.id"],
            name=op.f("fk_hard_to_get_request_requested_by_id_user"),
        ),
        sa.ForeignKeyConstraint(
            ["use_case_id"],
            ["use_case.id"],
            name=op.f("fk_hard_to_get_request_use_case_id_use_case"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hard_to_get_request")),
    )
    with op.batch_alter_table("hard_to_get_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_hard_to_get_request_account_id"), ["account_id"], unique=False
        )

    op.create_table(
        "campaign_sender",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "source",
            sa.Enum("direct", "invite_link", name="sendersource", native_enum=False, length=24),
            nullable=False,
        ),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaign.id"], name=op.f("fk_campaign_sender_campaign_id_campaign")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_campaign_sender_user_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_sender")),
        sa.UniqueConstraint(
            "campaign_id", "user_id", name=op.f("uq_campaign_sender_campaign_id_user_id")
        ),
    )
    with op.batch_alter_table("campaign_sender", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_campaign_sender_user_id"), ["user_id"], unique=False)

    op.create_table(
        "conversation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.Integer(), nullable=True),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column(
            "message_state",
            sa.Enum(
                "not_sent",
                "sent",
                "delivered",
                "undelivered",
                name="messagestate",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("at_risk", sa.Boolean(), nullable=False),
        sa.Column("continues_thread", sa.Boolean(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(), nullable=True),
        sa.Column("replied_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaign.id"], name=op.f("fk_conversation_campaign_id_campaign")
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contact.id"], name=op.f("fk_conversation_contact_id_contact")
        ),
        sa.ForeignKeyConstraint(
            ["sender_id"], ["user.id"], name=op.f("fk_conversation_sender_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation")),
        sa.UniqueConstraint(
            "campaign_id", "contact_id", name=op.f("uq_conversation_campaign_id_contact_id")
        ),
    )
    with op.batch_alter_table("conversation", schema=None) as batch_op:
        batch_op.create_index(
            "ix_conversation_campaign_sender", ["campaign_id", "sender_id"], unique=False
        )
        batch_op.create_index("ix_conversation_contact", ["contact_id"], unique=False)

    op.create_table(
        "invite_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("disabled_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaign.id"], name=op.f("fk_invite_link_campaign_id_campaign")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invite_link")),
        sa.UniqueConstraint("token", name=op.f("uq_invite_link_token")),
    )
    with op.batch_alter_table("invite_link", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_invite_link_campaign_id"), ["campaign_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("invite_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invite_link_campaign_id"))

    op.drop_table("invite_link")
    with op.batch_alter_table("conversation", schema=None) as batch_op:
        batch_op.drop_index("ix_conversation_contact")
        batch_op.drop_index("ix_conversation_campaign_sender")

    op.drop_table("conversation")
    with op.batch_alter_table("campaign_sender", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_campaign_sender_user_id"))

    op.drop_table("campaign_sender")
    with op.batch_alter_table("hard_to_get_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hard_to_get_request_account_id"))

    op.drop_table("hard_to_get_request")
    op.drop_table("carrier_check")
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.drop_index("ix_campaign_phone_number")
        batch_op.drop_index("ix_campaign_parent")
        batch_op.drop_index("ix_campaign_account_title")
        batch_op.drop_index("ix_campaign_account_status_created")
        batch_op.drop_index("ix_campaign_account_created")

    op.drop_table("campaign")
    with op.batch_alter_table("phone_number", schema=None) as batch_op:
        batch_op.drop_index("ix_phone_number_use_case_released")
        batch_op.drop_index("ix_phone_number_status")
        batch_op.drop_index(batch_op.f("ix_phone_number_e164"))
        batch_op.drop_index("ix_phone_number_account_kind_released")

    op.drop_table("phone_number")
    with op.batch_alter_table("use_case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_use_case_account_id"))

    op.drop_table("use_case")
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index("ix_notification_user_read")

    op.drop_table("notification")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index("ix_event_subject")
        batch_op.drop_index("ix_event_account_at")

    op.drop_table("event")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_account_id"))

    op.drop_table("user")
    with op.batch_alter_table("simulation_job", schema=None) as batch_op:
        batch_op.drop_index("ix_simulation_job_subject")
        batch_op.drop_index("ix_simulation_job_pending")

    op.drop_table("simulation_job")
    op.drop_table("contact")
    with op.batch_alter_table("brand", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_brand_account_id"))

    op.drop_table("brand")
    op.drop_table("simulation_state")
    op.drop_table("area_code_stock")
    op.drop_table("account")
