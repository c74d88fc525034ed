"""The profile's folders and logs (thrudesk/paths.py, thrudesk/logs.py): thrudesk changes only
what it makes, and everything it makes is its user's alone (QUALITY.md R5).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from thrudesk.logs import OwnerOnlyLog, configure_logging
from thrudesk.paths import ProfileError, profile_paths

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX's")


@posix_only
def test_r5_an_existing_folder_keeps_its_mode_and_new_folders_are_the_owners(
    tmp_path: Path,
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)  # as /tmp is
    paths = profile_paths(shared)
    paths.create()
    assert shared.stat().st_mode & 0o7777 == 0o1777
    assert paths.log_dir.stat().st_mode & 0o777 == 0o700


def test_r4_a_data_dir_that_is_a_file_is_refused_by_name(tmp_path: Path) -> None:
    plain = tmp_path / "notes.txt"
    plain.write_text("groceries\n")
    with pytest.raises(ProfileError, match="is a file, not a folder"):
        profile_paths(plain).create()
    with pytest.raises(ProfileError, match=r"notes\.txt is a file"):
        profile_paths(plain / "inside").create()
    assert plain.read_text() == "groceries\n"


@posix_only
def test_r4_a_read_only_data_dir_is_refused(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(ProfileError, match="is read-only"):
            profile_paths(locked).create()
    finally:
        locked.chmod(0o700)
    assert list(locked.iterdir()) == []


@posix_only
def test_r5_a_log_file_begun_after_a_rotation_is_the_owners_alone(tmp_path: Path) -> None:
    log_file = tmp_path / "logs" / "thrudesk.log"
    root = logging.getLogger("thrudesk")
    kept_handlers, kept_level = list(root.handlers), root.level
    previous = os.umask(0o022)
    try:
        configure_logging(log_file)
        logger = logging.getLogger("thrudesk.test")
        logger.info("before the rotation")
        handlers = [
            h for h in logging.getLogger("thrudesk").handlers if isinstance(h, OwnerOnlyLog)
        ]
        assert len(handlers) == 1
        handlers[0].doRollover()
        logger.info("after the rotation")
    finally:
        os.umask(previous)
        for handler in list(root.handlers):
            root.removeHandler(handler)
            handler.close()
        for handler in kept_handlers:
            root.addHandler(handler)
        root.setLevel(kept_level)
    rotated = log_file.with_name("thrudesk.log.1")
    assert "before the rotation" in rotated.read_text(encoding="utf-8")
    assert "after the rotation" in log_file.read_text(encoding="utf-8")
    for path in (log_file, rotated):
        assert path.stat().st_mode & 0o077 == 0, path
