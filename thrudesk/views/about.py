"""Help → About: the version, and where this profile keeps its store, logs and settings.

Support asks for these first ("which version, and can you send the log?"), so every path is
selectable and the whole of it can be copied at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from PySide6.QtCore import QSize, Qt, Slot
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from thrudesk import APP_NAME
from thrudesk.views.widgets import close_button, label

ICON_SIZE = 64
NO_LOG_FILE = "Not written to a file (this window was started without a profile)"
NO_SETTINGS_FILE = "Not kept (this window was started without a profile)"
DESCRIPTION = (
    "A desktop console for the account admins of a peer-to-peer texting platform: sending "
    "phone numbers, campaigns, and a simulator of carrier provisioning."
)


@dataclass(frozen=True)
class AboutFacts:
    """What the About dialog shows: the version and the profile's files.

    ``store`` is the store's file, or its URL when the store is not a file; ``log_file`` and
    ``settings_file`` are None when the window keeps none (a tester's window, a screenshot run).
    """

    version: str
    store: str
    log_file: str | None = None
    settings_file: str | None = None

    def details(self) -> str:
        """The facts as plain text, one per line, as "Copy details" puts them on the clipboard."""
        return "\n".join(
            (
                f"{APP_NAME} {self.version}",
                f"Store: {self.store}",
                f"Logs: {self.log_file or NO_LOG_FILE}",
                f"Settings: {self.settings_file or NO_SETTINGS_FILE}",
            )
        )


def app_icon() -> QIcon:
    """The application's icon (resources/app): the SVG for any size, the PNG where SVG icons
    cannot be drawn.
    """
    folder = resources.files("thrudesk.resources").joinpath("app")
    icon = QIcon()
    icon.addFile(str(folder.joinpath("thrudesk.svg")))
    icon.addFile(str(folder.joinpath("thrudesk-256.png")), QSize(256, 256))
    return icon


class AboutDialog(QDialog):
    """The About dialog (``about_dialog``): the version, the store, the log file and the settings
    file, each selectable; Copy details and Close.
    """

    def __init__(self, facts: AboutFacts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("about_dialog")
        self.setWindowTitle(f"About {APP_NAME}")
        self.setMinimumWidth(560)
        self._facts = facts

        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 18, 20, 16)
        outer.setSpacing(12)
        heading = QHBoxLayout()
        heading.setSpacing(14)
        picture = QLabel()
        picture.setPixmap(app_icon().pixmap(QSize(ICON_SIZE, ICON_SIZE)))
        heading.addWidget(picture, 0, Qt.AlignmentFlag.AlignTop)
        titles = QVBoxLayout()
        titles.setSpacing(4)
        self.version_label = self._selectable(
            f"<b>{APP_NAME} {facts.version}</b>", "about_version_label"
        )
        self.version_label.setTextFormat(Qt.TextFormat.RichText)
        titles.addWidget(self.version_label)
        description = label(DESCRIPTION, "hint", wrap=True)
        titles.addWidget(description)
        heading.addLayout(titles, 1)
        outer.addLayout(heading)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(6)
        self.store_label = self._selectable(facts.store, "about_store_label")
        self.log_label = self._selectable(facts.log_file or NO_LOG_FILE, "about_log_label")
        self.settings_label = self._selectable(
            facts.settings_file or NO_SETTINGS_FILE, "about_settings_label"
        )
        form.addRow("Store", self.store_label)
        form.addRow("Logs", self.log_label)
        form.addRow("Settings", self.settings_label)
        outer.addLayout(form)

        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        self.copy_button = QPushButton("Copy details")
        self.copy_button.setObjectName("copy_details_button")
        self.copy_button.setToolTip("Copy the version and the paths, e.g. for a support request")
        # Enter closes the dialog; it never copies by surprise.
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        self.accept_button = close_button(self)
        buttons.addWidget(self.accept_button)
        outer.addLayout(buttons)

    @property
    def facts(self) -> AboutFacts:
        return self._facts

    @staticmethod
    def _selectable(text: str, name: str) -> QLabel:
        widget = label(text, name=name)
        # Plain text by default: a path may hold characters that rich text would swallow.
        widget.setTextFormat(Qt.TextFormat.PlainText)
        widget.setWordWrap(True)
        widget.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        return widget

    @Slot()
    def _on_copy_button_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self._facts.details())
        self.copy_button.setText("Copied")


__all__ = ["AboutDialog", "AboutFacts", "app_icon"]
