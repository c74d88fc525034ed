"""Where a profile lives: the store, the logs and the settings (platformdirs, or ``--data-dir``)."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from thrudesk import APP_NAME

STORE_FILE = "thrudesk.sqlite3"
LOG_FILE = "thrudesk.log"
SETTINGS_FILE = "settings.ini"
LOCK_FILE = "thrudesk.lock"


@dataclass(frozen=True)
class ProfilePaths:
    """The folders of one profile; ``--data-dir DIR`` puts all of them under DIR."""

    data_dir: Path
    log_dir: Path
    config_dir: Path

    @property
    def store_file(self) -> Path:
        return self.data_dir / STORE_FILE

    @property
    def store_url(self) -> str:
        return f"sqlite:///{self.store_file}"

    @property
    def log_file(self) -> Path:
        return self.log_dir / LOG_FILE

    @property
    def settings_file(self) -> Path:
        return self.config_dir / SETTINGS_FILE

    @property
    def lock_file(self) -> Path:
        return self.data_dir / LOCK_FILE

    def create(self) -> None:
        """Make the folders that are missing, readable by the user alone (QUALITY.md R5).

        A folder that already exists keeps its mode: it may be shared (``--data-dir /tmp``).
        Raise :class:`ProfileError` for a path that is a file or a folder that cannot be
        written.
        """
        for folder in (self.data_dir, self.log_dir, self.config_dir):
            _make_folder(folder)


class ProfileError(Exception):
    """The profile's folders cannot be used; the message says why, for the admin."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _make_folder(folder: Path) -> None:
    for step in reversed((folder, *folder.parents)):
        if step.exists() and not step.is_dir():
            raise ProfileError(
                f"{step} is a file, not a folder: thrudesk keeps its store, logs and settings "
                "in a folder. Give --data-dir a folder."
            )
    if folder.is_dir():
        if not (folder.stat().st_mode & stat.S_IWUSR and os.access(folder, os.W_OK)):
            raise ProfileError(
                f"The folder {folder} is read-only, and thrudesk keeps its store, logs and "
                "settings there. Make it writable (chmod u+w) or give another --data-dir."
            )
        return
    try:
        folder.mkdir(mode=0o700, parents=True)
    except OSError as error:
        raise ProfileError(
            f"The folder {folder} cannot be made: {error.strerror}. Give another --data-dir."
        ) from error
    if os.name == "posix":
        folder.chmod(0o700)  # whatever the umask let mkdir give


def profile_paths(data_dir: str | Path | None = None) -> ProfilePaths:
    """The default platformdirs locations, or everything under ``data_dir``."""
    if data_dir is not None:
        root = Path(data_dir).expanduser().resolve()
        return ProfilePaths(data_dir=root, log_dir=root / "logs", config_dir=root)
    dirs = platformdirs.PlatformDirs(APP_NAME, appauthor=False)
    return ProfilePaths(
        data_dir=Path(dirs.user_data_dir),
        log_dir=Path(dirs.user_log_dir),
        config_dir=Path(dirs.user_config_dir),
    )
