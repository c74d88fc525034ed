"""Logging: one named logger per subsystem, a rotating file in the profile's log folder."""

from __future__ import annotations

import logging
import logging.handlers
import os
from io import TextIOWrapper
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


def configure_logging(log_file: Path | None, *, level: int = logging.INFO) -> None:
    """Log to ``log_file`` (rotated at 2 MB, 5 kept) and warnings to stderr."""
    root = logging.getLogger("thrudesk")
    root.setLevel(level)
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    console = logging.StreamHandler()
    console.setLevel(logging.WARNING)
    console.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(console)
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handler = OwnerOnlyLog(log_file, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
        handler.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(handler)


class OwnerOnlyLog(logging.handlers.RotatingFileHandler):
    """A rotating log whose every file, the first and each one begun after a rotation, is
    readable and writable by its owner alone (QUALITY.md R5).
    """

    def _open(self) -> TextIOWrapper:
        stream = super()._open()
        if os.name == "posix":
            os.fchmod(stream.fileno(), 0o600)
        return stream
