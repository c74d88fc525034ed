"""The window around the tabs: notifications, accounts, the clock and scenario controls, the
status bar, shortcuts, remembered state and themes (N11, N12, S1, S5, U2).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QByteArray, QDateTime, QEvent, QObject, QSettings, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPaintEvent, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateTimeEdit,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QPushButton,
    QStyle,
    QToolBar,
    QToolButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from tests.gui.conftest import NewDraft
from tests.gui.helpers import (
    answer_confirmation,
    child,
    click,
    click_at,
    click_named,
    row_of,
    wait_dialog,
)
from thrudesk.services.changes import Change
from thrudesk.services.clock import ManualClock, ScaledClock
from thrudesk.services.container import Services
from thrudesk.services.rows import NumberMode, Scenario
from thrudesk.services.simulation.engine import Simulator
from thrudesk.services.starter import StarterAccount, create_starter_account
from thrudesk.services.store import Store
from thrudesk.views import theme
from thrudesk.views.main_window import (
    CAMPAIGN_DETAILS,
    PHONE_NUMBERS,
    MainWindow,
    tab_index,
)
from thrudesk.views.notifications import NotificationsButton
from thrudesk.views.table_tab import TableTab
from thrudesk.views.tables import viewport_of
from thrudesk.views.theme import Scheme, Tone, load_theme, style_sheet, write_themed_images


def _notification_list(qtbot: QtBot, window: MainWindow) -> QListView:
    click_named(qtbot, window, "notifications_button")
    popup = window.notifications_popup
    qtbot.waitUntil(popup.isVisible)
    return child(popup, QListView, "notifications_list")


def _activate_first(qtbot: QtBot, notifications: QListView) -> None:
    index = notifications.model().index(0, 0)
    rect = notifications.visualRect(index)
    click_at(notifications.viewport(), rect.center())


def test_n11_activating_a_notification_opens_the_number(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    thrudesk_simulator.force_next("complete")
    number = thrudesk_services.numbers.create_dedicated(
        thrudesk_account.actor, ["415"], thrudesk_account.use_case_id, "Bay office"
    )
    window.tabs.setCurrentIndex(1)
    bell = child(window, NotificationsButton, "notifications_button")
    assert bell.unread == 0
    sim_clock.advance(minutes=10)
    qtbot.waitUntil(lambda: bell.unread == 1)
    assert bell.toolTip() == "1 unread notification"

    notifications = _notification_list(qtbot, window)
    assert notifications.model().rowCount() == 1
    assert notifications.model().index(0, 0).data() == "Provisioning complete"
    _activate_first(qtbot, notifications)

    assert window.tabs.currentIndex() == PHONE_NUMBERS
    table = window.phone_numbers_tab.table
    selected = table.selectionModel().selectedRows()
    assert [index.row() for index in selected] == [row_of(table, number.id)]
    qtbot.waitUntil(lambda: bell.unread == 0)
    assert not window.notifications_popup.isVisible()


def test_n11_notification_about_a_launch_opens_campaign_details(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    actor = thrudesk_account.actor
    thrudesk_simulator.force_next("complete")
    campaign = thrudesk_services.campaigns.create(
        actor, "Neighbors", area_codes=["512"], use_case_id=thrudesk_account.use_case_id
    )
    thrudesk_services.campaigns.launch(actor, campaign, NumberMode.SINGLE_USE)
    other = thrudesk_services.campaigns.create(actor, "Something else")
    window.show_campaign_details(other)
    window.tabs.setCurrentIndex(PHONE_NUMBERS)
    sim_clock.advance(minutes=10)
    bell = child(window, NotificationsButton, "notifications_button")
    qtbot.waitUntil(lambda: bell.unread == 1)

    _activate_first(qtbot, _notification_list(qtbot, window))
    assert window.tabs.currentIndex() == CAMPAIGN_DETAILS
    assert window.campaign_details_tab.campaign_id == campaign
    title = child(window.campaign_details_tab, QLabel, "details_title_label")
    assert title.text() == "Neighbors"


def test_n11_a_desktop_notification_click_opens_its_subject(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
) -> None:
    campaign = thrudesk_services.campaigns.create(thrudesk_account.actor, "From the desktop")
    window.tabs.setCurrentIndex(PHONE_NUMBERS)
    # Desktop notification clicks arrive on the notifier's thread: the signal is queued.
    window.subject_requested.emit("campaign", campaign)
    qtbot.waitUntil(lambda: window.tabs.currentIndex() == CAMPAIGN_DETAILS)
    assert window.campaign_details_tab.campaign_id == campaign


def test_n12_switching_account_shows_only_that_accounts_data(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
) -> None:
    ours = thrudesk_services.numbers.create_dedicated(
        thrudesk_account.actor, ["415"], thrudesk_account.use_case_id, "Ours"
    )
    other = create_starter_account(thrudesk_services, "Harbor Tenants", admin_name="Ruth Admin")
    theirs = thrudesk_services.numbers.create_dedicated(
        other.actor, ["617"], other.use_case_id, "Theirs"
    )
    table = window.phone_numbers_tab.table
    combo = child(window, QComboBox, "account_combo")
    qtbot.waitUntil(lambda: combo.count() == 2)
    assert row_of(table, ours.id) is not None
    assert row_of(table, theirs.id) is None

    combo.setCurrentIndex(combo.findData(other.account_id))
    combo.activated.emit(combo.currentIndex())
    assert window.actor == other.actor
    assert row_of(table, theirs.id) is not None
    assert row_of(table, ours.id) is None
    assert child(window, QLabel, "dedicated_usage_label").text() == "1 of 5 dedicated numbers"


def test_s1_status_bar_shows_eastern_and_account_time_and_what_is_provisioning(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
) -> None:
    time_label = child(window, QLabel, "status_time_label")
    # The fixture's clock: Monday 2 March 2026, 09:00 US Eastern (the account's zone too).
    assert time_label.text() == "Mon 2 Mar 2026, 09:00 EST"
    assert child(window, QLabel, "status_speed_label").text() == "Manual clock"
    thrudesk_services.numbers.create_dedicated(
        thrudesk_account.actor, ["415"], thrudesk_account.use_case_id
    )
    provisioning = child(window, QLabel, "status_provisioning_label")
    qtbot.waitUntil(lambda: provisioning.text() == "1 number provisioning")
    usage = child(window, QLabel, "status_usage_label").text()
    assert "Voter Outreach 1 of 49" in usage  # U2


def test_s1_status_bar_adds_the_account_time_zone_when_it_differs(
    qtbot: QtBot,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    themed: theme.ThemeManager,
) -> None:
    western = create_starter_account(
        thrudesk_services, "Cascade", timezone="America/Los_Angeles", admin_name="Maya Admin"
    )
    window = MainWindow(thrudesk_services, thrudesk_simulator, western.actor)
    qtbot.addWidget(window)
    assert child(window, QLabel, "status_time_label").text() == (
        "Mon 2 Mar 2026, 09:00 EST  ·  06:00 PST (account)"
    )
    window.shutdown()


def test_s1_jump_moves_the_simulated_clock_forward_only(
    qtbot: QtBot,
    window: MainWindow,
    sim_clock: ManualClock,
) -> None:
    start = sim_clock.now()
    click_named(qtbot, window, "clock_jump_button")
    dialog = wait_dialog(qtbot, window, "jump_dialog")
    edit = child(dialog, QDateTimeEdit, "jump_datetime_edit")
    edit.setDateTime(edit.dateTime().addSecs(-2 * 3600))  # an hour before now
    click_named(qtbot, dialog, "accept_button")
    assert "only moves forward" in child(dialog, QLabel, "clock_error").text()
    assert sim_clock.now() == start

    edit.setDateTime(edit.dateTime().addSecs(3 * 3600))  # two hours after now
    click_named(qtbot, dialog, "accept_button")
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert sim_clock.now() == start + timedelta(hours=2)
    qtbot.waitUntil(
        lambda: child(window, QLabel, "status_time_label").text() == "Mon 2 Mar 2026, 11:00 EST"
    )


def test_s1_speed_and_pause_drive_a_scaled_clock(
    qtbot: QtBot,
    thrudesk_store: Store,
    thrudesk_account: StarterAccount,
    themed: theme.ThemeManager,
) -> None:
    clock = ScaledClock(ManualClock().now(), speed=1.0)
    services = Services(thrudesk_store, clock)
    window = MainWindow(services, None, thrudesk_account.actor)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)

    speed = child(window, QComboBox, "clock_speed_combo")
    assert [speed.itemText(i) for i in range(speed.count())] == [
        "1×",
        "10×",
        "60×",
        "600×",
        "3600×",
    ]
    speed.setCurrentIndex(3)
    speed.activated.emit(3)
    assert clock.speed == 600.0
    assert child(window, QLabel, "status_speed_label").text() == "Speed 600×"

    pause = child(window, QToolButton, "clock_pause_button")
    click(qtbot, pause)
    assert paused(clock)
    assert pause.text() == "Resume"
    assert child(window, QLabel, "status_speed_label").text() == "Paused"
    window.campaigns_tab.table.setFocus()
    window.space_shortcut.activated.emit()  # Space
    assert not paused(clock)
    window.shutdown()


def paused(clock: ScaledClock) -> bool:
    return clock.paused


def test_s5_scenario_combo_lists_and_switches_scenarios(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_simulator: Simulator,
) -> None:
    combo = child(window, QComboBox, "scenario_combo")
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Normal",
        "Busy weekday afternoon",
        "Provider incident",
        "Carrier outage",
        "Use case near its limit",
    ]
    combo.setCurrentIndex(1)
    combo.activated.emit(1)
    qtbot.waitUntil(lambda: thrudesk_simulator.scenario is Scenario.BUSY_AFTERNOON)


def test_s5_a_scenario_that_writes_to_the_store_asks_first(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
) -> None:
    combo = child(window, QComboBox, "scenario_combo")
    near_limit = combo.findData(Scenario.USE_CASE_NEAR_LIMIT.value)
    combo.setCurrentIndex(near_limit)
    combo.activated.emit(near_limit)
    question = answer_confirmation(qtbot, window, accept=False)
    assert question == "Switch to “Use case near its limit”?"
    qtbot.waitUntil(lambda: combo.currentText() == "Normal")
    assert thrudesk_simulator.scenario is Scenario.NORMAL

    combo.setCurrentIndex(near_limit)
    combo.activated.emit(near_limit)
    answer_confirmation(qtbot, window)
    qtbot.waitUntil(lambda: thrudesk_simulator.scenario is Scenario.USE_CASE_NEAR_LIMIT)
    chip = child(window, QLabel, f"use_case_usage_{thrudesk_account.use_case_id}")
    qtbot.waitUntil(lambda: chip.text().endswith("47 of 49 numbers"))
    assert chip.property("warning") is True  # U2: from 45


def test_shortcuts_switch_tabs_and_open_the_new_dialog(
    qtbot: QtBot,
    window: MainWindow,
) -> None:
    window.activateWindow()
    qtbot.waitActive(window)
    QTest.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentIndex() == 1
    QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = wait_dialog(qtbot, window, "new_campaign_dialog")
    click_named(qtbot, dialog, "cancel_button")
    QTest.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert child(window, QLineEdit, "campaign_filter_edit").hasFocus()
    QTest.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentIndex() == PHONE_NUMBERS
    QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    wait_dialog(qtbot, window, "add_number_dialog")


def test_ctrl_l_opens_the_launch_dialog_of_the_draft_in_view(
    qtbot: QtBot, window: MainWindow, new_draft: NewDraft
) -> None:
    draft = new_draft("Doorstep drive")
    window.show_campaign_details(draft)
    window.activateWindow()
    qtbot.waitActive(window)
    QTest.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    dialog = wait_dialog(qtbot, window, "launch_dialog")
    assert "“Doorstep drive”" in " ".join(label.text() for label in dialog.findChildren(QLabel))


def test_n11_mark_all_read_clears_the_unread_count(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    for name in ("Bay office", "Second line"):
        thrudesk_simulator.force_next("complete")
        thrudesk_services.numbers.create_dedicated(
            thrudesk_account.actor, ["415"], thrudesk_account.use_case_id, name
        )
    bell = child(window, NotificationsButton, "notifications_button")
    sim_clock.advance(minutes=10)
    qtbot.waitUntil(lambda: bell.unread == 2)

    notifications = _notification_list(qtbot, window)
    mark_all = child(window.notifications_popup, QPushButton, "mark_all_read_button")
    assert mark_all.isEnabled()
    click(qtbot, mark_all)
    qtbot.waitUntil(lambda: bell.unread == 0)
    assert notifications.model().rowCount() == 2  # still listed, now read
    assert not mark_all.isEnabled()
    assert thrudesk_services.notifications.unread_count(thrudesk_account.actor) == 0


def test_window_remembers_its_geometry_tab_and_account(
    qtbot: QtBot,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    themed: theme.ThemeManager,
    tmp_path: Path,
) -> None:
    settings = QSettings(str(tmp_path / "remembered.ini"), QSettings.Format.IniFormat)
    first = MainWindow(thrudesk_services, thrudesk_simulator, settings=settings)
    qtbot.addWidget(first)
    first.resize(1111, 777)
    first.show()
    qtbot.waitExposed(first)
    first.tabs.setCurrentIndex(1)
    first.close()

    stored = settings.value("window/geometry")
    assert isinstance(stored, QByteArray)
    assert not stored.isEmpty()

    second = MainWindow(thrudesk_services, thrudesk_simulator, settings=settings)
    qtbot.addWidget(second)
    assert second.tabs.currentIndex() == 1
    assert second.actor == thrudesk_account.actor
    # The platform may fit the saved geometry to its screen; the same bytes give the same fit.
    probe = QMainWindow()
    probe.restoreGeometry(stored)
    assert second.geometry() == probe.geometry()
    assert second.geometry().size() != QSize(640, 480)
    second.shutdown()


def test_three_tabs_in_order(window: MainWindow) -> None:
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles == ["Phone Numbers", "Campaigns", "Campaign Details"]


def test_every_tab_fits_a_screen_1024_pixels_wide(qtbot: QtBot, window: MainWindow) -> None:
    """The window never asks for more width than a 1024-pixel screen gives it (UI.md): the
    filters go under the actions before the window grows.
    """
    widest = {}
    for position in range(window.tabs.count()):
        window.tabs.setCurrentIndex(position)
        QApplication.processEvents()
        widest[window.tabs.tabText(position)] = window.minimumSizeHint().width()
    assert max(widest.values()) <= 1024, widest


def test_at_1024_pixels_the_tables_fit_without_scrolling_sideways(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Where a table is too narrow for every column, the columns that may step aside do, the
    least needed first, so that nothing scrolls sideways; wide again, they come back and the
    stretched column (Phone Numbers' Completed, Campaigns' Title) takes the room left.
    """
    numbers, campaigns = window.phone_numbers_tab, window.campaigns_tab

    def resize(width: int) -> None:
        window.resize(width, 700)
        qtbot.waitUntil(lambda: window.width() == width)
        QApplication.processEvents()

    tabs: list[tuple[int, TableTab[Any]]] = [(0, numbers), (1, campaigns)]
    for position, tab in tabs:
        window.tabs.setCurrentIndex(position)
        table, columns = tab.table, tab.model.columns
        stretched = next(i for i, column in enumerate(columns) if column.stretch)
        resize(1024)
        assert table.horizontalScrollBar().maximum() == 0, tab.objectName()
        assert table.columnWidth(stretched) >= columns[stretched].floor
        hidden = sorted(
            columns[i].steps_aside or 0 for i in range(len(columns)) if table.isColumnHidden(i)
        )
        # The least needed went first, in their order, and no column that must stay did.
        assert hidden == list(range(1, len(hidden) + 1)), (tab.objectName(), hidden)
        resize(1900)
        assert not [i for i in range(len(columns)) if table.isColumnHidden(i)]
        assert table.horizontalScrollBar().maximum() == 0
        assert table.columnWidth(stretched) > columns[stretched].floor


def test_every_drop_down_shows_its_arrow_in_the_themes_colour(
    qtbot: QtBot, themed: theme.ThemeManager, tmp_path: Path
) -> None:
    """A combo box, or a date with its calendar, reads as a choice, not as a text field: its
    arrow is drawn, tinted.
    """
    combo = QComboBox()
    combo.addItems(["All statuses", "Active"])
    date = QDateTimeEdit()
    date.setCalendarPopup(True)
    colours = themed.theme
    base = colours.colour("base")
    # Against the field's background, the frame stands out this much and the arrow more, but
    # no more than its colour does (Qt's own arrow box, drawn without the theme, is darker).
    frame = _distance(colours.colour("border_strong"), base)
    arrow_colour = _distance(colours.colour("muted"), base)
    for choice in (combo, date):
        qtbot.addWidget(choice)
        choice.resize(200, 32)
        choice.show()
        qtbot.waitExposed(choice)
        picture = choice.grab().toImage()
        strongest = max(
            _distance(picture.pixelColor(x, y), base)
            for x in range(picture.width() - 24, picture.width())
            for y in range(picture.height())
        )
        name = type(choice).__name__
        assert strongest > frame, f"{name}: no arrow"
        assert strongest <= arrow_colour + 8, f"{name}: not the theme's arrow"

    for scheme in Scheme:  # each theme's arrows, in its own colours
        theme = load_theme(scheme)
        write_themed_images(theme, tmp_path)
        drawn = (tmp_path / f"down-arrow-{scheme.value}.svg").read_text()
        assert f'stroke="{theme.hex("muted")}"' in drawn
        assert f"themed:down-arrow-{scheme.value}.svg" in style_sheet(theme)


def _distance(colour: QColor, other: QColor) -> int:
    return max(
        abs(colour.red() - other.red()),
        abs(colour.green() - other.green()),
        abs(colour.blue() - other.blue()),
    )


def test_tab_names_are_the_three_titles() -> None:
    assert tab_index("Phone Numbers") == 0
    assert tab_index("campaigns") == 1
    assert tab_index("campaign-details") == 2


def test_both_themes_fill_every_style_token_and_keep_the_badge_colours_apart() -> None:
    for scheme in Scheme:
        current = load_theme(scheme)
        sheet = style_sheet(current)
        assert "@" not in sheet, f"{scheme} leaves a token unreplaced"
        yellow, green, red = (
            current.tone(tone).background.name()
            for tone in (Tone.WARNING, Tone.SUCCESS, Tone.DANGER)
        )
        assert len({yellow, green, red}) == 3
        # Yellow is yellow, green is green, red is red: hue ranges, whatever the theme.
        assert 35 <= current.tone(Tone.WARNING).background.hue() <= 60
        assert 90 <= current.tone(Tone.SUCCESS).background.hue() <= 160
        assert current.tone(Tone.DANGER).background.hue() <= 15 or (
            current.tone(Tone.DANGER).background.hue() >= 340
        )


def test_ui_the_window_follows_the_system_when_it_switches_between_light_and_dark(
    qtbot: QtBot, window: MainWindow, themed: theme.ThemeManager
) -> None:
    hints = QGuiApplication.styleHints()
    system = {Scheme.DARK: Qt.ColorScheme.Dark, Scheme.LIGHT: Qt.ColorScheme.Light}
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = themed.theme.scheme
    try:
        for scheme in (Scheme.DARK, Scheme.LIGHT):
            hints.colorSchemeChanged.emit(system[scheme])
            colours = load_theme(scheme)
            wanted = colours.colour("window")
            qtbot.waitUntil(lambda: _window_colour(window) == wanted)  # noqa: B023 (waited here)
            assert themed.theme.scheme is scheme
            assert app.styleSheet() == style_sheet(colours)  # the controls, styled alike
    finally:
        hints.colorSchemeChanged.emit(system[before])
    qtbot.waitUntil(lambda: themed.theme.scheme is before)


def _window_colour(widget: QWidget) -> QColor:
    return widget.palette().color(QPalette.ColorRole.Window)


def test_jump_dialog_default_is_an_hour_ahead(
    qtbot: QtBot, window: MainWindow, sim_clock: ManualClock
) -> None:
    dialog = window.open_jump_dialog()
    edit = child(dialog, QDateTimeEdit, "jump_datetime_edit")
    now = QDateTime(edit.dateTime())
    assert now.time().hour() == 10  # 09:00 Eastern plus an hour
    dialog.close()


def test_p1_the_program_builds_a_tab_when_it_is_first_shown_and_remembers_the_campaign(
    qtbot: QtBot,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    themed: theme.ThemeManager,
    tmp_path: Path,
) -> None:
    actor = thrudesk_account.actor
    first_id = thrudesk_services.campaigns.create(actor, "First campaign")
    thrudesk_services.campaigns.create(actor, "Second campaign")
    settings = QSettings(str(tmp_path / "lazy.ini"), QSettings.Format.IniFormat)
    settings.setValue("window/campaign", first_id)
    window = MainWindow(
        thrudesk_services, thrudesk_simulator, actor, settings=settings, lazy_tabs=True
    )
    qtbot.addWidget(window)
    window.resize(1200, 800)
    with qtbot.waitExposed(window):
        window.show()
    assert window.tabs.currentIndex() == PHONE_NUMBERS
    assert window.findChild(QLabel, "dedicated_usage_label") is not None
    assert window.findChild(QLineEdit, "campaign_filter_edit") is None, "built before shown"

    window.tabs.setCurrentIndex(tab_index("Campaigns"))
    filter_edit = child(window, QLineEdit, "campaign_filter_edit")
    qtbot.waitUntil(filter_edit.isVisible)
    assert window.campaigns_tab.model.rowCount() == 2

    window.tabs.setCurrentIndex(CAMPAIGN_DETAILS)
    title = child(window, QLabel, "details_title_label")
    qtbot.waitUntil(title.isVisible)
    assert title.text() == "First campaign"
    window.close()
    window.shutdown()


def test_p2_a_tab_out_of_view_hears_of_changes_when_shown_all_merged_into_one(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    actor = thrudesk_account.actor
    window.tabs.setCurrentIndex(PHONE_NUMBERS)
    tab = window.campaigns_tab
    campaigns = tab.model
    before = campaigns.rowCount()
    told: list[Change] = []
    apply_change = tab.apply_change

    def counted(change: Change) -> None:
        told.append(change)
        apply_change(change)

    monkeypatch.setattr(tab, "apply_change", counted)

    # Out of view: nothing is read while nobody sees it, however long it stays out of view.
    first = thrudesk_services.campaigns.create(actor, "Held one")
    window.bridge.flush()
    second = thrudesk_services.campaigns.create(actor, "Held two")
    window.bridge.flush()
    qtbot.wait(600)
    assert told == []
    assert campaigns.rowCount() == before

    # Shown: told once of both, before the tab paints.
    window.tabs.setCurrentIndex(tab_index("Campaigns"))
    assert len(told) == 1
    assert {first, second} <= told[0].campaign_ids
    assert campaigns.rowCount() == before + 2
    assert {campaigns.index(row, 0).data() for row in range(2)} == {"Held one", "Held two"}

    # In view: told of each change as it comes.
    thrudesk_services.campaigns.create(actor, "Seen at once")
    window.bridge.flush()
    assert len(told) == 2
    assert campaigns.index(0, 0).data() == "Seen at once"

    # Asked for while out of view (a notification opening its row, a shortcut): told first.
    window.tabs.setCurrentIndex(PHONE_NUMBERS)
    thrudesk_services.campaigns.create(actor, "Asked for")
    window.bridge.flush()
    assert window.campaigns_tab.model.index(0, 0).data() == "Asked for"
    assert len(told) == 3


class _Events(QObject):
    """The events of some types that reach a widget, in order."""

    def __init__(self, widget: QWidget, *types: QEvent.Type) -> None:
        super().__init__(widget)
        self._types = types
        self.seen: list[QEvent.Type] = []
        self.full_paints = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self._types:
            self.seen.append(event.type())
        if isinstance(event, QPaintEvent) and isinstance(watched, QWidget):
            self.full_paints += event.rect() == watched.rect()
        return False


def test_p2_a_count_that_changes_repaints_the_count_and_not_the_whole_table(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.tabs.setCurrentIndex(PHONE_NUMBERS)
    tab = window.phone_numbers_tab
    qtbot.waitExposed(window)
    qtbot.wait(100)  # the first paints are over
    viewport = _Events(viewport_of(tab.table), QEvent.Type.Paint)

    tab.count_label.setText("1,000,000 numbers in a much longer count than before")
    qtbot.waitUntil(lambda: tab.count_label.width() >= tab.count_label.sizeHint().width())
    qtbot.wait(50)
    assert viewport.full_paints == 0, "the table was repainted whole for a count"

    # A tab title that grows still lays the tab bar out again.
    bar = window.tabs.tabBar()
    window.tabs.setTabText(PHONE_NUMBERS, "Phone Numbers, with a title much longer than before")
    qtbot.waitUntil(lambda: bar.width() >= bar.sizeHint().width())


def test_p2_a_live_update_restyles_and_relays_out_only_what_changed(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    qtbot.waitExposed(window)
    # Every restyle from the program goes through its style's unpolish.
    style_type = type(window.style())
    restyled: list[str] = []
    unpolish = style_type.unpolish

    def counted(style: QStyle, widget: QWidget) -> None:
        restyled.append(widget.objectName())
        unpolish(style, widget)

    monkeypatch.setattr(style_type, "unpolish", counted)
    bell = window.notifications_button
    bell.set_unread(3)
    qtbot.wait(50)
    restyled.clear()
    toolbar = _Events(child(window, QToolBar, "main_toolbar"), QEvent.Type.LayoutRequest)

    bell.set_unread(4)  # still some unread: the same look, another number
    window.simulation.refresh()  # nothing changed: the clock runs as it ran
    window.phone_numbers_tab.refresh_usage()  # the same usage as shown
    qtbot.wait(50)
    assert bell.unread == 4
    assert restyled == [], "widgets were restyled for the same look"
    assert toolbar.seen == [], "the toolbar was laid out again for nothing"

    bell.set_unread(0)  # none unread: the room for the count goes
    assert restyled == ["notifications_button"]


def test_p2_campaign_details_out_of_view_reads_nothing_and_is_fresh_when_shown(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    actor = thrudesk_account.actor
    campaign = thrudesk_services.campaigns.create(actor, "Before the change")
    window.show_campaign_details(campaign)
    title = child(window.campaign_details_tab, QLabel, "details_title_label")
    assert title.text() == "Before the change"
    window.tabs.setCurrentIndex(PHONE_NUMBERS)

    reads: list[int] = []
    details = thrudesk_services.campaigns.details

    def counted(*args: object, **kwargs: object) -> object:
        reads.append(1)
        return details(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(thrudesk_services.campaigns, "details", counted)
    thrudesk_services.campaigns.edit_draft(actor, campaign, title="After the change")
    window.bridge.flush()
    # Campaign Details does not read its campaign while nobody sees it.
    qtbot.wait(300)
    assert reads == []
    assert title.text() == "Before the change"
    window.tabs.setCurrentIndex(tab_index("Campaigns"))
    assert window.campaigns_tab.model.index(0, 0).data() == "After the change"
    assert reads == []

    window.tabs.setCurrentIndex(CAMPAIGN_DETAILS)
    qtbot.waitUntil(lambda: title.text() == "After the change", timeout=2000)
    assert reads
