"""Damaging a store file the way a failing disk would, for the tests of QUALITY.md R4."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path


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
