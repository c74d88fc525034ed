"""Schema 0002 (campaign teamwork): a store written at 0001 is migrated with its data (R4)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import inspect

from tests.unit.services.helpers import old_store_with_rows
from thrudesk.services.store import open_store, url_for_path


def _store_at_0001(path: Path) -> None:
    old_store_with_rows(path, "0001")


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
