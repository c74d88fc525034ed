"""Importing contacts from CSV and exporting them, through Campaign Details: off the GUI thread,
with a progress bar and Cancel; bad rows reported by line (QUALITY.md P5, R3, R5).
"""

from __future__ import annotations

import csv
import gc
import itertools
import multiprocessing
import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QTextLayout, QTextOption
from PySide6.QtWidgets import QFrame, QLabel, QProgressBar, QPushButton, QTableView
from pytestqt.qtbot import QtBot

from tests.gui.helpers import (
    campaigns_table,
    cell_text,
    cell_tooltip,
    child,
    click,
    click_named,
    menu_action,
    row_of,
    show_details,
    shown_text,
    wait_dialog,
)
from tests.gui.teamwork_steps import CampaignWithContacts, choose_file, figure, quiet_team
from tests.unit.services.teamwork_helpers import DATA, contacts_csv
from thrudesk.services.container import Services
from thrudesk.services.import_process import PROCESS_NAME
from thrudesk.services.starter import StarterAccount
from thrudesk.views.background import BackgroundTask
from thrudesk.views.campaign_details import CampaignDetailsTab
from thrudesk.views.main_window import MainWindow
from thrudesk.views.widgets import ProgressBar

HEARTBEAT_MS = 20
# Generous: the window must keep turning, not meet a benchmark (make bench P5 measures that).
# An import on the window's thread would stand it still for seconds; a busy test machine can
# delay a turn by a few hundred milliseconds.
LONGEST_GAP_S = 0.5
IMPORT_TIMEOUT_MS = 120_000
# Room a cell keeps on each side of its text, in pixels (the style's and the theme's together).
CELL_PADDING = 8


def _import(qtbot: QtBot, window: MainWindow, path: Path) -> None:
    click_named(qtbot, window.campaign_details_tab, "import_contacts_button")
    choose_file(qtbot, window, "import_file_dialog", path)


def _fully_read(details: CampaignDetailsTab, contacts: int) -> bool:
    """Whether Campaign Details shows a full reading of its campaign with ``contacts``."""
    return details.details is not None and details.details.contacts == contacts


def test_r3_bad_rows_are_reported_by_line_and_the_good_ones_imported(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    quiet_team(thrudesk_services, thrudesk_account)
    campaign = campaign_with_contacts(0)
    window.show_campaign_details(campaign.id)
    _import(qtbot, window, DATA / "contacts_with_bad_rows.csv")

    report = wait_dialog(qtbot, window, "import_report_dialog")
    summary = child(report, QLabel, "import_summary_label").text()
    assert summary == "Imported 5 contacts; 11 rows refused."
    table = child(report, QTableView, "import_problems_table")
    model = table.model()
    lines = [model.index(row, 0).data() for row in range(model.rowCount())]
    reasons = {
        model.index(row, 0).data(): model.index(row, 2).data() for row in range(model.rowCount())
    }
    assert lines == ["5", "6", "7", "8", "9", "10", "12", "14", "15", "16", "17"]
    assert "repeats the phone number of line 2" in reasons["6"]
    assert "formula" in reasons["8"]
    assert "has 6 cells; the header has 5" in reasons["12"]
    assert "not a valid US or Canadian" in reasons["17"]
    assert not child(report, QLabel, "import_problems_more_label").isVisible()
    click_named(qtbot, report, "accept_button")

    assert figure(window, "contacts") == 5
    assert figure(window, "unassigned") == 5
    message = shown_text(child(window.campaign_details_tab, QLabel, "message_label"))
    assert message == "contacts_with_bad_rows.csv: Imported 5 contacts; 11 rows refused."


def _whole_text_shown(table: QTableView, row: int, column: int) -> bool:
    """Whether the cell shows its whole text: not elided, and its row as tall as the lines the
    text takes at the column's width, broken between words (or inside one wider than the cell).
    """
    if table.textElideMode() != Qt.TextElideMode.ElideNone or not table.wordWrap():
        return False
    layout = QTextLayout(str(table.model().index(row, column).data()), table.font())
    wrap = QTextOption()
    wrap.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(wrap)
    layout.beginLayout()
    height = 0.0
    while (line := layout.createLine()).isValid():
        line.setLineWidth(table.columnWidth(column) - 2 * CELL_PADDING)
        height += line.height()
    layout.endLayout()
    return height <= table.rowHeight(row)


def test_r3_the_report_shows_each_refused_value_and_whole_reason_and_saves_them_as_csv(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    tmp_path: Path,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    quiet_team(thrudesk_services, thrudesk_account)
    campaign = campaign_with_contacts(0)
    window.show_campaign_details(campaign.id)
    _import(qtbot, window, DATA / "contacts_with_bad_rows.csv")

    report = wait_dialog(qtbot, window, "import_report_dialog")
    table = child(report, QTableView, "import_problems_table")
    assert [table.model().headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == [
        "Line",
        "Value",
        "Why it was refused",
    ]
    assert cell_text(table, 8, "Value") == '=HYPERLINK("http://example.invalid")'
    assert cell_text(table, 12, "Value") == "(206) 555-0130,Hal,Extra,W1,,surplus"
    why = cell_text(table, 17, "Why it was refused")
    assert why == "the phone number (206) 155-0134 is not a valid US or Canadian phone number"
    for row in range(table.model().rowCount()):
        table.scrollTo(table.model().index(row, 0))  # rows are fitted as they come into view
        for column in (1, 2):
            assert _whole_text_shown(table, row, column), (row, column)
    assert cell_tooltip(table, 17, "Why it was refused") == why
    assert cell_tooltip(table, 8, "Value") == '=HYPERLINK("http://example.invalid")'

    # Cancelled: nothing is written.
    save = child(report, QPushButton, "save_report_button")
    assert save.text() == "Save as CSV…"
    click(qtbot, save)
    chooser = wait_dialog(qtbot, report, "save_report_file_dialog")
    chooser.reject()
    qtbot.waitUntil(lambda: not chooser.isVisible())
    assert list(tmp_path.glob("*.csv")) == []
    assert not child(report, QLabel, "save_report_label").isVisible()

    target = tmp_path / "refused.csv"
    click(qtbot, save)
    choose_file(qtbot, report, "save_report_file_dialog", target)
    saved = child(report, QLabel, "save_report_label")
    qtbot.waitUntil(saved.isVisible)
    assert saved.text() == f"Saved 11 refused rows to {target}."
    with target.open(encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    assert header == ["line", "value", "reason"]
    assert [row[0] for row in rows] == ["5", "6", "7", "8", "9", "10", "12", "14", "15", "16", "17"]
    assert rows[3][1] == '\'=HYPERLINK("http://example.invalid")'  # R5: never run as a formula
    assert rows[-1][2] == why


def test_r3_a_report_saved_where_it_cannot_be_says_why_in_the_report(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    tmp_path: Path,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    quiet_team(thrudesk_services, thrudesk_account)
    campaign = campaign_with_contacts(0)
    window.show_campaign_details(campaign.id)
    _import(qtbot, window, DATA / "contacts_with_bad_rows.csv")
    report = wait_dialog(qtbot, window, "import_report_dialog")
    click_named(qtbot, report, "save_report_button")
    choose_file(qtbot, report, "save_report_file_dialog", tmp_path / "nowhere" / "refused.csv")
    error = child(report, QLabel, "save_report_error")
    qtbot.waitUntil(error.isVisible)
    assert error.text().startswith("The file refused.csv cannot be written:")
    assert not child(report, QLabel, "save_report_label").isVisible()


def test_r3_a_file_that_is_not_utf8_is_refused_beside_the_import_button(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    tmp_path: Path,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    campaign = campaign_with_contacts(0)
    latin = tmp_path / "latin1.csv"
    latin.write_bytes("phone,first name\n(206) 555-0123,Chlo\xe9\n".encode("latin-1"))
    window.show_campaign_details(campaign.id)
    _import(qtbot, window, latin)
    error = child(window.campaign_details_tab, QLabel, "csv_file_error")
    qtbot.waitUntil(error.isVisible)
    assert "The file is not UTF-8 (line 2" in error.text()
    assert figure(window, "contacts") == 0
    assert child(window.campaign_details_tab, QPushButton, "import_contacts_button").isEnabled()


@pytest.mark.parametrize(
    ("content", "shown"),
    [
        (
            "phone,first name\n(206) 555-0123,Chloé\n".encode("utf-16-le"),
            "The file is not UTF-8 text: it looks like UTF-16 without a byte-order mark. Save it "
            "as “CSV UTF-8” and import it again.",
        ),
        (
            b"+12065550123,Ana,Lopez\n+12065550124,Ben,Okafor\n",
            "The first row holds no column names: “+12065550123” in column 1 looks like a phone "
            "number. Add a header row such as phone,first_name,last_name.",
        ),
    ],
    ids=["utf-16 without a byte-order mark", "no header row"],
)
def test_r3_a_file_refused_as_a_whole_says_what_is_wrong_with_it(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    campaign_with_contacts: CampaignWithContacts,
    content: bytes,
    shown: str,
) -> None:
    campaign = campaign_with_contacts(0)
    path = tmp_path / "contacts.csv"
    path.write_bytes(content)
    window.show_campaign_details(campaign.id)
    _import(qtbot, window, path)
    error = child(window.campaign_details_tab, QLabel, "csv_file_error")
    qtbot.waitUntil(error.isVisible)
    assert error.text() == shown
    assert figure(window, "contacts") == 0


def test_p5_an_import_whose_process_dies_says_so_beside_the_import_button(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    tmp_path: Path,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    campaign = campaign_with_contacts(0)
    details = show_details(window, campaign.id)
    progress = child(details, QProgressBar, "transfer_progress_bar")
    _import(qtbot, window, contacts_csv(tmp_path / "big.csv", 200_000))
    # The import runs in a process of its own; something ends that process after its first chunk.
    qtbot.waitUntil(lambda: progress.value() > 0, timeout=IMPORT_TIMEOUT_MS)
    importing = [p for p in multiprocessing.active_children() if p.name == PROCESS_NAME]
    assert len(importing) == 1
    assert importing[0].pid is not None
    os.kill(importing[0].pid, signal.SIGKILL)

    error = child(details, QLabel, "csv_file_error")
    qtbot.waitUntil(error.isVisible, timeout=IMPORT_TIMEOUT_MS)
    assert "The import stopped before it finished" in error.text()
    assert "import the file again to add the rest" in error.text()
    assert not progress.isVisible()
    assert child(details, QPushButton, "import_contacts_button").isEnabled()
    kept = thrudesk_services.campaigns.details(thrudesk_account.actor, campaign.id).contacts
    assert 0 < kept < 200_000
    qtbot.waitUntil(lambda: figure(window, "contacts") == kept)


def test_p2_what_start_up_kept_from_the_collector_stays_kept_after_an_import(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    """A full collection that walks every object of the window stands it still for 45 ms and
    more; start-up keeps its objects out of collections, and an import must not give them back.
    """
    campaign = campaign_with_contacts(0)
    details = show_details(window, campaign.id)
    gc.freeze()
    frozen = gc.get_freeze_count()
    _import(qtbot, window, contacts_csv(tmp_path / "c.csv", 30))
    message = child(details, QLabel, "message_label")
    qtbot.waitUntil(lambda: "Imported 30 contacts" in shown_text(message))
    # Frozen objects that die meanwhile leave the count; giving them all back would empty it.
    assert gc.get_freeze_count() > frozen // 2


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="only Linux gives each thread a priority"
)
def test_p5_background_work_gives_the_processor_to_the_windows_thread_first(
    qtbot: QtBot,
) -> None:
    ours = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    task = BackgroundTask(
        "priority_probe",
        lambda _progress, _cancel: os.getpriority(os.PRIO_PROCESS, threading.get_native_id()),
    )
    with qtbot.waitSignal(task.succeeded, timeout=10_000) as answered:
        task.start()
    assert answered.args == [min(19, ours + 10)]
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == ours


def test_p5_importing_100000_contacts_keeps_the_window_turning(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    tmp_path: Path,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    campaign = campaign_with_contacts(0)
    path = contacts_csv(tmp_path / "hundred-thousand.csv", 100_000)
    details = show_details(window, campaign.id)
    progress = child(details, QProgressBar, "transfer_progress_bar")

    beats: list[float] = []
    heartbeat = QTimer()
    heartbeat.setInterval(HEARTBEAT_MS)
    heartbeat.timeout.connect(lambda: beats.append(time.perf_counter()))
    heartbeat.start()
    try:
        _import(qtbot, window, path)
        started = time.perf_counter()
        qtbot.waitUntil(progress.isVisible)
        qtbot.waitUntil(lambda: not progress.isVisible(), timeout=IMPORT_TIMEOUT_MS)
        finished = time.perf_counter()
    finally:
        heartbeat.stop()

    during = [beat for beat in beats if started <= beat <= finished]
    gaps = [later - earlier for earlier, later in itertools.pairwise(during)]
    assert len(during) >= 20, f"{len(during)} heartbeats in {finished - started:.1f} s"
    assert max(gaps) < LONGEST_GAP_S, f"the window stood still for {max(gaps):.3f} s"
    assert finished - during[-1] < LONGEST_GAP_S
    message = child(details, QLabel, "message_label")
    qtbot.waitUntil(lambda: "Imported 100\u202f000 contacts" in shown_text(message))
    # The whole reading of a campaign this big is done off the window's thread, then shown.
    qtbot.waitUntil(lambda: _fully_read(details, 100_000))
    assert figure(window, "contacts") == 100_000
    assert figure(window, "unassigned") == 100_000
    row = thrudesk_services.campaigns.index_row(thrudesk_account.actor, campaign.id)
    assert row.contact_count == 100_000


def test_c16_the_campaign_index_counts_the_imported_contacts_live(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, campaign_with_contacts: CampaignWithContacts
) -> None:
    campaign = campaign_with_contacts(0)
    window.tabs.setCurrentWidget(window.campaigns_tab)  # read once, then out of view
    table = campaigns_table(window)
    qtbot.waitUntil(lambda: row_of(table, campaign.id) is not None)
    assert cell_text(table, campaign.id, "Contacts") == "0"
    show_details(window, campaign.id)
    _import(qtbot, window, contacts_csv(tmp_path / "c.csv", 25))
    message = child(window.campaign_details_tab, QLabel, "message_label")
    qtbot.waitUntil(lambda: "Imported 25 contacts" in shown_text(message))

    window.tabs.setCurrentWidget(window.campaigns_tab)
    qtbot.waitUntil(lambda: cell_text(table, campaign.id, "Contacts") == "25")
    assert cell_text(table, campaign.id, "Unassigned") == "25"


def test_c16_a_big_campaigns_contact_counters_follow_each_change_before_its_full_figures(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    tmp_path: Path,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    """Campaign Details reads a big campaign's full figures after a pause; the two counters the
    campaign keeps (Contacts, Unassigned) are read at every change meanwhile, so that they never
    lag behind an import's own report.
    """
    quiet_team(thrudesk_services, thrudesk_account)
    campaign = campaign_with_contacts(10_000)
    details = show_details(window, campaign.id)
    qtbot.waitUntil(lambda: _fully_read(details, 10_000))
    actor, contacts = thrudesk_account.actor, thrudesk_services.contacts

    contacts.import_csv(actor, campaign.id, contacts_csv(tmp_path / "a.csv", 5, start=20_000))
    qtbot.waitUntil(lambda: figure(window, "contacts") == 10_005)
    contacts.import_csv(actor, campaign.id, contacts_csv(tmp_path / "b.csv", 5, start=30_000))
    qtbot.waitUntil(lambda: figure(window, "contacts") == 10_010)
    assert figure(window, "unassigned") == 10_010
    assert details.details is not None
    assert details.details.contacts < 10_010  # the full figures come after the pause
    qtbot.waitUntil(lambda: _fully_read(details, 10_010))


class _Paints(QObject):
    """Counts the paint events of the widget it watches."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def test_p5_an_import_step_is_painted_with_the_window_not_on_the_spot(
    qtbot: QtBot, window: MainWindow, campaign_with_contacts: CampaignWithContacts
) -> None:
    details = show_details(window, campaign_with_contacts(0).id)
    bar = child(details, ProgressBar, "transfer_progress_bar")
    child(details, QFrame, "transfer_progress_box").show()
    qtbot.waitUntil(bar.isVisible)
    qtbot.wait(50)
    paints = _Paints()
    bar.installEventFilter(paints)

    QProgressBar.setValue(bar, 300)  # Qt's own way: the bar is painted inside the call
    assert paints.count == 1
    bar.set_progress(600)
    assert paints.count == 1  # not yet: the window stays free to answer
    assert bar.value() == 600
    qtbot.waitUntil(lambda: paints.count == 2)
    bar.removeEventFilter(paints)


def test_p5_cancelling_an_import_keeps_the_chunks_written(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    tmp_path: Path,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    campaign = campaign_with_contacts(0)
    path = contacts_csv(tmp_path / "forty-thousand.csv", 40_000)
    details = show_details(window, campaign.id)
    label = child(details, QLabel, "transfer_progress_label")
    _import(qtbot, window, path)
    # Cancel once the first chunk is in: the import stops after the chunk it is writing.
    qtbot.waitUntil(lambda: "imported" in label.text() and "Importing" in label.text())
    click(qtbot, child(details, QPushButton, "transfer_cancel_button"))
    message = child(details, QLabel, "message_label")
    qtbot.waitUntil(lambda: "Cancelled" in shown_text(message), timeout=IMPORT_TIMEOUT_MS)
    assert "the contacts imported before cancelling are kept" in shown_text(message)
    contacts = figure(window, "contacts")
    assert 0 < contacts < 40_000
    assert contacts % 10_000 == 0  # whole chunks, one transaction each


def test_r5_export_of_results_is_written_off_the_window_with_formulas_neutralised(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    tmp_path: Path,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    quiet_team(thrudesk_services, thrudesk_account)
    campaign = campaign_with_contacts(0)
    people = (
        "(206) 555-0101,Ana,Lopez,-neighbour\n"  # refused as a formula: not imported
        "(206) 555-0102,Ben,Okafor,friend\n"
    )
    _import_people(thrudesk_services, thrudesk_account, campaign.id, tmp_path, people)
    window.show_campaign_details(campaign.id)

    rows = _exported(qtbot, window, "export_results_action", tmp_path / "results.csv")
    assert _message(window).startswith("Exported 1 contact to")
    assert rows[0][:4] == ["phone", "first_name", "last_name", "note"]
    assert "message_state" in rows[0]
    assert rows[1][:4] == ["(206) 555-0102", "Ben", "Okafor", "friend"]
    assert rows[1][rows[0].index("sender")] == "Unassigned"
    assert len(rows) == 2


def test_r5_export_of_contacts_writes_the_contacts_without_the_results(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    tmp_path: Path,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    quiet_team(thrudesk_services, thrudesk_account)
    campaign = campaign_with_contacts(0)
    people = "(206) 555-0102,Ben,Okafor,friend\n(206) 555-0103,Cleo,Ito,neighbour\n"
    _import_people(thrudesk_services, thrudesk_account, campaign.id, tmp_path, people)
    window.show_campaign_details(campaign.id)

    rows = _exported(qtbot, window, "export_contacts_action", tmp_path / "contacts.csv")
    assert _message(window).startswith("Exported 2 contacts to")
    assert rows[0][:4] == ["phone", "first_name", "last_name", "note"]
    assert "message_state" not in rows[0]  # the results are the other export
    assert [row[:4] for row in rows[1:]] == [
        ["(206) 555-0102", "Ben", "Okafor", "friend"],
        ["(206) 555-0103", "Cleo", "Ito", "neighbour"],
    ]


def _import_people(
    services: Services, account: StarterAccount, campaign_id: int, folder: Path, rows: str
) -> None:
    """Import ``rows`` (phone, first name, last name, note) into the campaign."""
    source = folder / "people.csv"
    source.write_text(f"phone,first name,last name,note\n{rows}", encoding="utf-8")
    services.contacts.import_csv(account.actor, campaign_id, source)


def _exported(qtbot: QtBot, window: MainWindow, action: str, target: Path) -> list[list[str]]:
    """Export through Campaign Details' ``action`` into ``target``; answers the file's rows."""
    message = child(window.campaign_details_tab, QLabel, "message_label")
    menu_action(window, action).trigger()
    choose_file(qtbot, window, "export_file_dialog", target)
    qtbot.waitUntil(lambda: shown_text(message).startswith("Exported "))
    with target.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def _message(window: MainWindow) -> str:
    return shown_text(child(window.campaign_details_tab, QLabel, "message_label"))
