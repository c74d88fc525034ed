"""Damaging a store file the way a failing disk would, and filling the disk under a store, for
the tests of QUALITY.md R4.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import event

from thrudesk.services.store import Store


def damage_table(store_file: Path, table: str) -> None:
    """Overwrite the first page of ``table`` with noise. The header and the schema still
    read, so only SQLite's integrity check finds it.
    """
    connection = sqlite3.connect(store_file)
    try:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        root = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)
        ).fetchone()[0]
    finally:
        connection.close()
    with store_file.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(os.urandom(page_size))


class FullDisk:
    """Lets the store's file grow by no page while it is on (as a disk with no room left)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.on = False
        event.listen(store.engine, "checkout", self._checked_out)

    def _checked_out(self, dbapi_connection: Any, *_args: Any) -> None:
        if self.on:
            pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")
        else:
            dbapi_connection.execute("PRAGMA max_page_count = 1073741823")

    def fill(self) -> None:
        self.on = True
        self._store.engine.dispose()  # every connection is checked out afresh

    def free(self) -> None:
        self.on = False
