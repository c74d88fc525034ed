"""Campaign Details, Audience: the live counts of a campaign's conversations (M1–M3, C18), and
importing contacts from CSV and exporting contacts and results, off the GUI thread with a
progress bar and Cancel.
"""

from __future__ import annotations

import gc
import re
import threading
from pathlib import Path

from PySide6.QtCore import QDir, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from thrudesk.services.contacts import ExportReport, ImportProgress, ImportReport
from thrudesk.services.container import Services
from thrudesk.services.errors import ThrudeskError
from thrudesk.services.messaging import SendingSummary
from thrudesk.services.rows import CampaignDetails, CampaignStatus, NumberKind
from thrudesk.services.unit_of_work import Actor
from thrudesk.views import formatting
from thrudesk.views.background import BackgroundTask, Progress, Work
from thrudesk.views.widgets import Card, ProgressBar, button, label, open_beside

FIGURES = (
    ("contacts", "Contacts"),
    ("unassigned", "Unassigned"),
    ("assigned", "Assigned"),
    ("sent", "Sent"),
    ("delivered", "Delivered"),
    ("at_risk", "At risk"),
    ("opted_out", "Opted out"),
    ("continued_threads", "Threads continued"),
)
PROGRESS_STEPS = 1000
CSV_FILTER = "CSV files (*.csv);;All files (*)"


def summary_text(summary: SendingSummary) -> str:
    """``Replied 12 · Undelivered 3 · Held 0 · Surcharges $0.04``."""
    return (
        f"Replied {formatting.count(summary.replied)} · "
        f"Undelivered {formatting.count(summary.undelivered)} · "
        f"Held {formatting.count(summary.held)} · "
        f"Surcharges ${summary.surcharge_cents / 100:,.2f}"
    )


def export_name(title: str, results: bool) -> str:
    """A file name for the campaign's export: ``Ballot return push - results.csv``."""
    safe = re.sub(r"[^\w .()-]+", " ", title).strip() or "campaign"
    return f"{safe} - {'results' if results else 'contacts'}.csv"


class AudienceCard(Card):
    """The audience figures of one campaign, with Import CSV and Export.

    Signals:
        import_started(int): an import into this campaign began.
        import_finished(object, str): the :class:`ImportReport` and the file's name, once
            ``finish_import`` ran.
        export_finished(object): the :class:`ExportReport`.
        refused(str): a refusal that belongs to no control of the card.
    """

    import_started = Signal(int)
    import_finished = Signal(object, str)
    export_finished = Signal(object)
    refused = Signal(str)

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__("Audience", "audience_card", parent)
        self._services = services
        self._actor = actor
        self._campaign_id: int | None = None
        self._title = ""
        self._task: BackgroundTask | None = None
        self._task_campaign: int | None = None
        self._task_file = ""
        self._directory = QDir.homePath()

        self.import_contacts_button = button(
            "Import CSV…",
            "import_contacts_button",
            icon_name="add",
            tooltip="Import contacts from a CSV file (phone, names, any other columns as fields)",
        )
        self.export_button = button(
            "Export", "export_button", icon_name="open", tooltip="Export to a CSV file"
        )
        menu = QMenu(self.export_button)
        menu.setObjectName("export_menu")
        self.export_contacts_action = menu.addAction("Contacts…")
        self.export_contacts_action.setObjectName("export_contacts_action")
        self.export_results_action = menu.addAction("Contacts and results…")
        self.export_results_action.setObjectName("export_results_action")
        self.export_button.setMenu(menu)
        self.header_actions.addWidget(self.import_contacts_button)
        self.header_actions.addWidget(self.export_button)

        self.csv_file_error = label(role="field-error", name="csv_file_error", wrap=True)
        self.csv_file_error.hide()
        self.body.addWidget(self.csv_file_error)

        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(10)
        self.values: dict[str, QLabel] = {}
        for position, (key, caption) in enumerate(FIGURES):
            cell = QVBoxLayout()
            cell.setSpacing(0)
            value = label("0", "figure", name=f"audience_{key}_value")
            cell.addWidget(value)
            cell.addWidget(label(caption, "caption"))
            grid.addLayout(cell, position // 4, position % 4)
            self.values[key] = value
        self.body.addLayout(grid)
        self.audience_summary_label = label(role="muted", name="audience_summary_label")
        self.body.addWidget(self.audience_summary_label)
        self.threads_label = label(role="hint", name="threads_label", wrap=True)
        self.body.addWidget(self.threads_label)

        self.transfer_progress_box = QFrame()
        self.transfer_progress_box.setObjectName("transfer_progress_box")
        self.transfer_progress_box.setProperty("role", "notice")
        progress = QVBoxLayout(self.transfer_progress_box)
        progress.setContentsMargins(10, 7, 8, 7)
        progress.setSpacing(5)
        top = QHBoxLayout()
        top.setSpacing(8)
        self.transfer_progress_label = label(name="transfer_progress_label")
        self.transfer_progress_label.setProperty("role", "notice-text")
        top.addWidget(self.transfer_progress_label, 1)
        self.transfer_cancel_button = button("Cancel", "transfer_cancel_button")
        self.transfer_cancel_button.setAutoDefault(False)
        top.addWidget(self.transfer_cancel_button)
        progress.addLayout(top)
        self.transfer_progress_bar = ProgressBar()
        self.transfer_progress_bar.setObjectName("transfer_progress_bar")
        self.transfer_progress_bar.setRange(0, PROGRESS_STEPS)
        self.transfer_progress_bar.setTextVisible(False)
        self.transfer_progress_bar.setFixedHeight(8)
        progress.addWidget(self.transfer_progress_bar)
        self.transfer_progress_box.hide()
        self.body.addWidget(self.transfer_progress_box)

        self.import_contacts_button.clicked.connect(self._on_import_contacts_button_clicked)
        self.export_contacts_action.triggered.connect(self._on_export_contacts_action_triggered)
        self.export_results_action.triggered.connect(self._on_export_results_action_triggered)
        self.transfer_cancel_button.clicked.connect(self._on_transfer_cancel_button_clicked)

    # ------------------------------------------------------------------ public
    @property
    def importing(self) -> int | None:
        """The campaign an import is running into, if any."""
        if self._task is not None and self._task.objectName() == "contacts_import":
            return self._task_campaign
        return None

    @property
    def busy(self) -> bool:
        return self._task is not None

    def set_account(self, actor: Actor) -> None:
        self._actor = actor

    def show_campaign(self, details: CampaignDetails) -> None:
        """Which campaign the card works on, and whether it takes imports."""
        if details.id != self._campaign_id:
            self.csv_file_error.hide()
        self._campaign_id = details.id
        self._title = details.title
        reason = ""
        if details.parent_id is not None:
            reason = "A followup's contacts are its campaign's; import into the original."
        elif details.status is CampaignStatus.ARCHIVED:
            reason = "An archived campaign takes no more contacts."
        elif self._task is not None:
            reason = "Another import or export is running."
        self.import_contacts_button.setEnabled(not reason)
        self.import_contacts_button.setToolTip(
            reason or "Import contacts from a CSV file (phone, names, other columns as fields)"
        )
        self.export_button.setEnabled(self._task is None)

    def show_figures(self, details: CampaignDetails, summary: SendingSummary | None) -> None:
        for key, value in self.values.items():
            value.setText(formatting.count(int(getattr(details, key))))
        if summary is not None:
            self.audience_summary_label.setText(summary_text(summary))
        if details.row.number_kind is NumberKind.DEDICATED:
            self.threads_label.setText(
                f"{formatting.plural(details.continued_threads, 'contact')} continue a thread "
                "texted earlier from this dedicated number."
            )
        else:
            self.threads_label.setText(
                "Threads continue across campaigns only on a dedicated number."
            )

    def show_counters(self, contacts: int, unassigned: int) -> None:
        """The two figures the campaign keeps as counters: cheap to read while an import runs."""
        self.values["contacts"].setText(formatting.count(contacts))
        self.values["unassigned"].setText(formatting.count(unassigned))

    def start_import(self, path: Path | str) -> None:
        """Import ``path`` into the campaign shown, on a worker thread."""
        campaign_id = self._free_campaign()
        if campaign_id is None:
            return
        actor, contacts = self._actor, self._services.contacts
        source = Path(path)

        def work(progress: Progress, cancel: threading.Event) -> ImportReport:
            return contacts.import_csv_apart(
                actor, campaign_id, source, progress=progress, cancel=cancel
            )

        self._begin("contacts_import", work, campaign_id, source.name)
        self.transfer_progress_label.setText(f"Importing {source.name} into “{self._title}”…")
        self.transfer_progress_bar.setRange(0, PROGRESS_STEPS)
        self.transfer_progress_bar.setValue(0)
        self.import_started.emit(campaign_id)

    def start_export(self, path: Path | str, *, results: bool) -> None:
        """Export the campaign shown to ``path``, on a worker thread."""
        campaign_id = self._free_campaign()
        if campaign_id is None:
            return
        actor, contacts = self._actor, self._services.contacts
        target = Path(path)

        def work(_progress: Progress, cancel: threading.Event) -> ExportReport:
            return contacts.export_csv(actor, campaign_id, target, results=results, cancel=cancel)

        self._begin("contacts_export", work, campaign_id, target.name)
        self.transfer_progress_label.setText(f"Exporting “{self._title}” to {target.name}…")
        self.transfer_progress_bar.setRange(0, 0)  # no measure of an export's progress: busy

    def shutdown(self, timeout: float = 10.0) -> None:
        """Stop a running import or export (the window is closing) and wait for it."""
        task = self._task
        if task is not None:
            task.cancel()
            task.wait(timeout)

    # ------------------------------------------------------------------ running
    def _free_campaign(self) -> int | None:
        """The campaign shown, unless there is none or a file is already being transferred
        (one import or export at a time).
        """
        return self._campaign_id if self._task is None else None

    def _begin(self, name: str, work: Work, campaign_id: int, file_name: str) -> None:
        task = BackgroundTask(name, work, self)
        queued = Qt.ConnectionType.QueuedConnection
        task.progressed.connect(self._on_task_progressed, queued)
        task.succeeded.connect(self._on_task_succeeded, queued)
        task.failed.connect(self._on_task_failed, queued)
        self._task = task
        self._task_campaign = campaign_id
        self._task_file = file_name
        # An export, and an import into a store that is not a file, allocate row after row on
        # the worker; a full garbage collection they trigger scans every object of the program
        # while holding the interpreter, which stood the window still for a tenth of a second
        # and more. What exists now, the window above all, is left out of collections from
        # here on, as start-up's objects are (``app.freeze_startup_objects``); not collected
        # first, which would be the same pause on this thread. It is not unfrozen when the
        # work ends: that would hand start-up's objects back to the collector too, and the
        # next full collection would walk all of them again.
        gc.freeze()
        self.csv_file_error.hide()
        self.transfer_cancel_button.setEnabled(True)
        self.transfer_progress_box.show()
        self.import_contacts_button.setEnabled(False)
        self.export_button.setEnabled(False)
        task.start()

    def _end(self) -> tuple[str, int | None, str]:
        task, self._task = self._task, None
        name = task.objectName() if task is not None else ""
        campaign_id, self._task_campaign = self._task_campaign, None
        self.transfer_progress_box.hide()
        self.import_contacts_button.setEnabled(True)
        self.export_button.setEnabled(True)
        if task is not None:
            task.deleteLater()
        return name, campaign_id, self._task_file

    @Slot(object)
    def _on_task_progressed(self, progress: object) -> None:
        if not isinstance(progress, ImportProgress) or self._task is None:
            return
        self.transfer_progress_bar.set_progress(round(progress.fraction * PROGRESS_STEPS))
        refused = (
            f" · {formatting.plural(progress.refused, 'row')} refused" if progress.refused else ""
        )
        self.transfer_progress_label.setText(
            f"Importing {self._task_file}: {formatting.count(progress.imported)} imported{refused}"
        )

    @Slot(object)
    def _on_task_succeeded(self, outcome: object) -> None:
        name, campaign_id, file_name = self._end()
        if isinstance(outcome, ImportReport):
            if campaign_id is not None:
                # On the window's thread: lets an Active campaign's team take up the contacts.
                try:
                    self._services.contacts.finish_import(self._actor, campaign_id)
                except ThrudeskError as error:
                    self.refused.emit(error.message)
            self.import_finished.emit(outcome, file_name)
        elif isinstance(outcome, ExportReport):
            self.export_finished.emit(outcome)
        elif name:
            raise TypeError(f"{name} answered {outcome!r}")

    @Slot(object)
    def _on_task_failed(self, error: object) -> None:
        self._end()
        if isinstance(error, ThrudeskError):
            self.csv_file_error.setText(error.message)
            self.csv_file_error.show()
            return
        if isinstance(error, BaseException):
            raise error  # a bug: to the crash dialog and the log, as any slot's error
        raise TypeError(f"a background task failed with {error!r}")

    # ------------------------------------------------------------------ file dialogs
    def _file_dialog(self, name: str, title: str, *, save: bool) -> QFileDialog:
        dialog = QFileDialog(self, title, self._directory, CSV_FILTER)
        dialog.setObjectName(name)
        # Qt's own dialog, themed like the window and the same on every desktop.
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        if save:
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
            dialog.setFileMode(QFileDialog.FileMode.AnyFile)
            dialog.setDefaultSuffix("csv")
        else:
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
            dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        return dialog

    @Slot()
    def _on_import_contacts_button_clicked(self) -> None:
        dialog = self._file_dialog("import_file_dialog", "Import contacts from CSV", save=False)
        dialog.fileSelected.connect(self._on_import_file_dialog_file_selected)
        open_beside(dialog)

    @Slot(str)
    def _on_import_file_dialog_file_selected(self, path: str) -> None:
        self._directory = str(Path(path).parent)
        self.start_import(path)

    def _open_export_dialog(self, results: bool) -> None:
        title = "Export contacts and results" if results else "Export contacts"
        dialog = self._file_dialog("export_file_dialog", title, save=True)
        dialog.selectFile(export_name(self._title, results))

        def chosen(path: str) -> None:
            self._directory = str(Path(path).parent)
            self.start_export(path, results=results)

        dialog.fileSelected.connect(chosen)
        open_beside(dialog)

    @Slot()
    def _on_export_contacts_action_triggered(self) -> None:
        self._open_export_dialog(False)

    @Slot()
    def _on_export_results_action_triggered(self) -> None:
        self._open_export_dialog(True)

    @Slot()
    def _on_transfer_cancel_button_clicked(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self.transfer_cancel_button.setEnabled(False)
            self.transfer_progress_label.setText(
                "Cancelling after the chunk being written; what was imported is kept…"
                if self.importing is not None
                else "Cancelling the export…"
            )
