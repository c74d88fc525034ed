"""Schema 0002 (campaign teamwork): a store written at 0001 is migrated with its data (R4)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import inspect

from tests.unit.services.helpers import store_at_revision
from thrudesk.services.store import open_store, url_for_path


def _store_at_0001(path: Path) -> None:
    store_at_revision(path, "0001")
    with sqlite3.connect(path) as connection:
        connection.executescript(
            """
            INSERT INTO account (id, name, timezone, provisioning_based_launching,
                default_batch_size, dedicated_number_limit, created_at)
            VALUES (1, 'Old Org', 'America/Chicago', 1, 300, 5, '2026-01-05 10:00:00');
            INSERT INTO campaign (id, account_id, title, status, script, sending_hours_start,
                sending_hours_end, self_assign, provisioning_failed, created_at,
                last_activity_at, contact_count, sender_count, unassigned_count)
            VALUES (1, 1, 'Old campaign', 'draft', '', '09:00:00.000000', '21:00:00.000000', 0,
                0, '2026-01-05 10:00:00', '2026-01-05 10:00:00', 1, 0, 1);
            INSERT INTO contact (id, account_id, phone, first_name, last_name)
            VALUES (1, 1, '+12065550123', 'Ana', 'Lopez');
            INSERT INTO conversation (id, campaign_id, contact_id, fields, message_state,
                at_risk, continues_thread)
            VALUES (1, 1, 1, '{"ward": "W1"}', 'sent', 0, 0);
            """
        )


def test_r4_a_0001_store_gains_the_teamwork_schema_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _store_at_0001(path)
    store = open_store(url_for_path(path))
    try:
        assert store.backup_path is not None
        with store.engine.connect() as connection:
            schema = inspect(connection)
            assert "messaging_parameters" in schema.get_table_names()
            assert "timezone" in {c["name"] for c in schema.get_columns("campaign")}
            indexes = {i["name"] for i in schema.get_indexes("conversation")}
            assert "ix_conversation_campaign_state" in indexes
        with sqlite3.connect(path) as connection:
            row = connection.execute(
                "SELECT message_state, fields, reply_text, surcharge_cents FROM conversation"
            ).fetchone()
            timezone = connection.execute("SELECT timezone FROM campaign").fetchone()
        assert row == ("sent", '{"ward": "W1"}', None, 0)
        assert timezone == (None,)
    finally:
        store.dispose()
