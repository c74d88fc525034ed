"""The Campaigns and Campaign Details tabs, driven through their widgets
(C1–C10, C16, S5, S6, N3, N7).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Protocol

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableView,
)
from pytestqt.qtbot import QtBot

from tests.gui.conftest import NewDraft
from tests.gui.helpers import (
    answer_confirmation,
    campaigns_table,
    cell_tags,
    cell_text,
    child,
    click,
    click_at,
    click_named,
    open_dialog,
    row_of,
    select_campaign,
    show_details,
    shown_text,
    type_area_code,
    type_text,
    wait_dialog,
)
from tests.gui.teamwork_steps import complete_number
from thrudesk.services.clock import ManualClock
from thrudesk.services.container import Services
from thrudesk.services.errors import InvalidTransition
from thrudesk.services.rows import (
    CampaignStatus,
    CampaignStatusFilter,
    NumberMode,
    ProvisioningStatus,
    Scenario,
)
from thrudesk.services.simulation.engine import Simulator
from thrudesk.services.starter import StarterAccount
from thrudesk.views import campaign_details
from thrudesk.views.area_code_picker import AreaCodePicker
from thrudesk.views.badges import ProvisioningBadge, TagStrip
from thrudesk.views.main_window import CAMPAIGN_DETAILS, CAMPAIGNS_TAB, PHONE_NUMBERS, MainWindow
from thrudesk.views.theme import Tone
from thrudesk.views.widgets import MessageBar


class NewActive(Protocol):
    """The ``new_active`` fixture: ``new_active(title)`` answers the id of an Active campaign."""

    def __call__(self, title: str) -> int: ...


@pytest.fixture
def new_active(
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
    new_draft: NewDraft,
) -> NewActive:
    """Campaigns of the test's account launched Active, each on a new complete dedicated number."""

    def launch(title: str) -> int:
        number_id = complete_number(
            thrudesk_services, thrudesk_simulator, sim_clock, thrudesk_account
        )
        campaign = new_draft(title)
        thrudesk_services.campaigns.launch(
            thrudesk_account.actor, campaign, NumberMode.DEDICATED, number_id
        )
        return campaign

    return launch


def _open_launch_dialog(qtbot: QtBot, window: MainWindow, campaign_id: int) -> QRadioButton:
    select_campaign(qtbot, window, campaign_id)
    click_named(qtbot, window, "launch_button")
    dialog = wait_dialog(qtbot, window, "launch_dialog")
    return child(dialog, QRadioButton, "number_mode_single_use")


def _status_word(table: QTableView, campaign_id: int) -> str:
    return cell_tags(table, campaign_id, "Status")[0].text


def test_c2_manage_opens_the_add_number_dialog_when_no_dedicated_number_is_complete(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    new_draft: NewDraft,
) -> None:
    # A dedicated number still provisioning is not offered (N4), so Manage is shown.
    thrudesk_services.numbers.create_dedicated(
        thrudesk_account.actor, ["415"], thrudesk_account.use_case_id, "Not yet"
    )
    campaign = new_draft("Turnout")
    _open_launch_dialog(qtbot, window, campaign)
    dialog = wait_dialog(qtbot, window, "launch_dialog")
    # With no complete dedicated number the dialog starts on single-use; Dedicated says why
    # it cannot serve and offers Manage.
    assert child(dialog, QRadioButton, "number_mode_single_use").isChecked()
    click(qtbot, child(dialog, QRadioButton, "number_mode_dedicated"))
    combo = child(dialog, QComboBox, "dedicated_number_combo")
    assert combo.count() == 0
    assert not combo.isEnabled()
    manage = child(dialog, QPushButton, "manage_numbers_button")
    click(qtbot, manage)

    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert window.tabs.currentIndex() == PHONE_NUMBERS
    wait_dialog(qtbot, window, "add_number_dialog")


def test_c2_c3_dedicated_launch_lists_complete_numbers_and_is_active_at_once(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
    new_draft: NewDraft,
) -> None:
    number_id = complete_number(thrudesk_services, thrudesk_simulator, sim_clock, thrudesk_account)
    campaign = new_draft("Turnout")
    _open_launch_dialog(qtbot, window, campaign)
    dialog = wait_dialog(qtbot, window, "launch_dialog")
    assert not child(dialog, QPushButton, "manage_numbers_button").isVisible()
    combo = child(dialog, QComboBox, "dedicated_number_combo")
    assert combo.count() == 1
    assert combo.itemText(0).endswith("· Main line (Voter Outreach)")
    assert combo.itemData(0) == number_id
    click_named(qtbot, dialog, "accept_button")

    table = campaigns_table(window)
    qtbot.waitUntil(lambda: _status_word(table, campaign) == "Active")
    assert cell_text(table, campaign, "Phone number").endswith("· Main line")  # C16
    assert cell_tags(table, campaign, "Provisioning")[0].tone is Tone.SUCCESS
    assert "is Active on" in child(window.campaigns_tab, MessageBar, "message_bar").text()


def test_c4_single_use_launch_is_launching_then_active_with_a_live_badge(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_simulator: Simulator,
    sim_clock: ManualClock,
    new_draft: NewDraft,
) -> None:
    thrudesk_simulator.force_next("complete", after=timedelta(minutes=30))
    campaign = new_draft("Neighbors")
    single_use = _open_launch_dialog(qtbot, window, campaign)
    dialog = wait_dialog(qtbot, window, "launch_dialog")
    click(qtbot, single_use)
    estimate = child(dialog, QLabel, "estimate_label")
    assert "Expected provisioning time" in shown_text(estimate)  # S6
    assert "512 · Austin, TX" in shown_text(child(dialog, QLabel, "area_codes_label"))
    assert "stays Launching" in shown_text(child(dialog, QLabel, "launch_mode_label"))
    click_named(qtbot, dialog, "accept_button")
    qtbot.waitUntil(lambda: not dialog.isVisible())

    table = campaigns_table(window)
    qtbot.waitUntil(lambda: _status_word(table, campaign) == "Launching")
    [badge] = cell_tags(table, campaign, "Provisioning")
    assert (badge.text, badge.tone) == ("Provisioning Initiated", Tone.WARNING)
    assert cell_text(table, campaign, "Kind") == "Single-use"

    sim_clock.advance(minutes=31)
    qtbot.waitUntil(lambda: _status_word(table, campaign) == "Active")
    [badge] = cell_tags(table, campaign, "Provisioning")
    assert (badge.text, badge.tone) == ("Provisioning Complete", Tone.SUCCESS)


def test_c1_c9_failed_provisioning_offers_clone_and_archive(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
    new_draft: NewDraft,
) -> None:
    actor = thrudesk_account.actor
    thrudesk_simulator.force_next("fail", reason="Number not linked to the brand")
    campaign = new_draft("Cleanup day")
    thrudesk_services.campaigns.launch(actor, campaign, NumberMode.SINGLE_USE)
    table = select_campaign(qtbot, window, campaign)
    click_named(qtbot, window, "open_details_button")
    assert window.tabs.currentIndex() == CAMPAIGN_DETAILS
    details = window.campaign_details_tab
    badge = child(details, ProvisioningBadge, "provisioning_badge")
    assert badge.tone() is Tone.WARNING
    assert not child(details, QPushButton, "clone_and_archive_button").isVisible()

    sim_clock.advance(minutes=10)
    qtbot.waitUntil(lambda: badge.status() is ProvisioningStatus.FAILED)
    assert badge.text() == "Provisioning Failed"
    assert badge.tone() is Tone.DANGER  # red
    assert "Number not linked to the brand" in badge.toolTip()
    tags = child(details, TagStrip, "details_status_tags").tags()
    assert [t.text for t in tags] == ["Draft", "Provisioning Failed"]  # C1
    # The warning comes with the campaign's full reading, at once or after a pause.
    qtbot.waitUntil(
        lambda: details.findChild(QLabel, "details_warning_provisioning_failed") is not None
    )
    warning = child(details, QLabel, "details_warning_provisioning_failed")
    assert "Clone this campaign and archive it" in warning.text()
    window.tabs.setCurrentIndex(CAMPAIGNS_TAB)
    assert [t.text for t in cell_tags(table, campaign, "Status")] == [
        "Draft",
        "Provisioning Failed",
    ]
    window.tabs.setCurrentIndex(CAMPAIGN_DETAILS)

    clone_and_archive = child(details, QPushButton, "clone_and_archive_button")
    qtbot.waitUntil(clone_and_archive.isVisible)
    click(qtbot, clone_and_archive)
    assert answer_confirmation(qtbot, window) == "Clone “Cleanup day” and archive it?"
    qtbot.waitUntil(lambda: details.campaign_id not in (None, campaign))
    copy_id = details.campaign_id
    assert copy_id is not None
    assert child(details, QLabel, "details_title_label").text() == "Copy of Cleanup day"
    assert [t.text for t in child(details, TagStrip, "details_status_tags").tags()] == ["Draft"]
    assert thrudesk_services.campaigns.index_row(actor, campaign).status is CampaignStatus.ARCHIVED
    qtbot.waitUntil(lambda: row_of(table, copy_id) is not None)
    assert _status_word(table, campaign) == "Archived"


def test_n9_a_slow_campaigns_badge_never_shows_a_tooltip_of_its_old_state(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
    new_draft: NewDraft,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A campaign too slow to read at once shows its counters and badge first, its full figures
    later: the badge's tooltip already tells the carriers' answers and the kept reason.
    """
    monkeypatch.setattr(campaign_details, "QUICK_REFRESH_S", 0.0)  # every reading is slow
    actor = thrudesk_account.actor
    thrudesk_simulator.force_next("fail", reason="Number not linked to the brand")
    campaign = new_draft("Cleanup day")
    thrudesk_services.campaigns.launch(actor, campaign, NumberMode.SINGLE_USE)
    details = show_details(window, campaign)
    badge = child(details, ProvisioningBadge, "provisioning_badge")
    assert badge.status() is ProvisioningStatus.INITIATED
    assert "Expected to complete in" in badge.toolTip()

    sim_clock.advance(minutes=10)
    qtbot.waitUntil(lambda: badge.status() is ProvisioningStatus.FAILED)
    shown = details.details  # the full reading, still the one from before the answer
    assert shown is not None
    assert shown.row.provisioning_status is ProvisioningStatus.INITIATED
    tooltip = badge.toolTip()
    assert tooltip.startswith("<b>Provisioning Failed</b>")
    assert "Reason: Number not linked to the brand" in tooltip
    assert "Expected to complete" not in tooltip


def test_c5_s5_provider_incident_makes_single_use_active_at_once_with_the_warning(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    new_draft: NewDraft,
) -> None:
    scenario = child(window, QComboBox, "scenario_combo")
    scenario.setCurrentIndex(scenario.findData(Scenario.PROVIDER_INCIDENT.value))
    scenario.activated.emit(scenario.currentIndex())
    qtbot.waitUntil(
        lambda: (
            not thrudesk_services.accounts.get(
                thrudesk_account.account_id
            ).provisioning_based_launching
        )
    )

    campaign = new_draft("Incident launch")
    single_use = _open_launch_dialog(qtbot, window, campaign)
    dialog = wait_dialog(qtbot, window, "launch_dialog")
    click(qtbot, single_use)
    mode = shown_text(child(dialog, QLabel, "launch_mode_label"))
    assert "Active at once while its number still provisions" in mode
    assert "Wait 10 minutes after launching before sending" in mode
    assert "marked at risk" in mode
    # S5, S6: the estimate tells one story with the advisory: it is the number's time, not the
    # campaign's, and sending before it ends is at risk.
    estimate = shown_text(child(dialog, QLabel, "estimate_label"))
    assert "the campaign does not wait for it" in estimate
    assert "at risk" in estimate
    click_named(qtbot, dialog, "accept_button")

    table = campaigns_table(window)
    qtbot.waitUntil(lambda: _status_word(table, campaign) == "Active")
    assert [t.text for t in cell_tags(table, campaign, "Status")] == [
        "Active",
        "Number still provisioning",
    ]
    window.show_campaign_details(campaign)
    warning = child(window.campaign_details_tab, QLabel, "details_warning_still_provisioning")
    assert "wait 10 minutes after launching before sending" in warning.text()


def test_c6_launch_waiting_over_four_hours_is_flagged_stuck(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
    new_draft: NewDraft,
) -> None:
    thrudesk_simulator.force_next("stall", after=timedelta(hours=9))
    campaign = new_draft("Slow one")
    thrudesk_services.campaigns.launch(thrudesk_account.actor, campaign, NumberMode.SINGLE_USE)
    window.tabs.setCurrentIndex(CAMPAIGNS_TAB)
    table = campaigns_table(window)
    qtbot.waitUntil(lambda: row_of(table, campaign) is not None)
    assert [t.text for t in cell_tags(table, campaign, "Status")] == ["Launching"]
    sim_clock.advance(hours=5, minutes=12)
    qtbot.waitUntil(lambda: "Stuck" in [t.text for t in cell_tags(table, campaign, "Status")])
    window.show_campaign_details(campaign)
    warning = child(window.campaign_details_tab, QLabel, "details_warning_stuck")
    # The time it has really waited, against the usual at most.
    assert (
        "Launching for 5 h 12 min, longer than the usual 4 hours at most; contact support."
        in warning.text()
    )


def test_c7_third_single_use_launch_shows_the_advisory(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    new_draft: NewDraft,
) -> None:
    actor = thrudesk_account.actor
    thrudesk_simulator.force_next("stall", count=2)
    for title in ("First", "Second"):
        campaign = new_draft(title)
        thrudesk_services.campaigns.launch(actor, campaign, NumberMode.SINGLE_USE)
    third = new_draft("Third")
    single_use = _open_launch_dialog(qtbot, window, third)
    dialog = wait_dialog(qtbot, window, "launch_dialog")
    advisory = child(dialog, QLabel, "advisory_label")
    click(qtbot, child(dialog, QRadioButton, "number_mode_dedicated"))
    assert not advisory.isVisible()  # dedicated is chosen: no provisioning queue
    click(qtbot, single_use)
    text = shown_text(advisory).lower()
    assert "2 single-use campaigns are already launching" in text
    assert "you may go on" in text
    click_named(qtbot, dialog, "accept_button")  # the admin may go on
    table = campaigns_table(window)
    qtbot.waitUntil(lambda: _status_word(table, third) == "Launching")


def test_s6_launch_dialog_advises_launching_the_day_before(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
    new_draft: NewDraft,
) -> None:
    thrudesk_simulator.set_scenario(Scenario.BUSY_AFTERNOON)
    campaign = new_draft("Tonight")
    thrudesk_services.sending_window.set_start(
        thrudesk_account.actor, campaign, sim_clock.now() + timedelta(minutes=30)
    )
    single_use = _open_launch_dialog(qtbot, window, campaign)
    dialog = wait_dialog(qtbot, window, "launch_dialog")
    click(qtbot, single_use)
    advice = shown_text(child(dialog, QLabel, "advice_label"))
    assert "Launch the day before the start date" in advice


def test_n3_single_use_launch_beyond_the_use_case_limit_is_refused_inline(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    new_draft: NewDraft,
) -> None:
    actor = thrudesk_account.actor
    for position in range(48):
        campaign = new_draft(f"Earlier {position}")
        thrudesk_services.campaigns.launch(actor, campaign, NumberMode.SINGLE_USE)
    fiftieth = new_draft("Fiftieth")
    single_use = _open_launch_dialog(qtbot, window, fiftieth)
    dialog = wait_dialog(qtbot, window, "launch_dialog")
    click(qtbot, single_use)
    # The 49th slot is taken while the dialog is open (another admin's launch).
    thrudesk_services.campaigns.launch(actor, new_draft("Meanwhile"), NumberMode.SINGLE_USE)
    click_named(qtbot, dialog, "accept_button")
    assert dialog.isVisible()
    message = shown_text(child(dialog, QLabel, "area_codes_error"))
    assert "already has 49 of its 49 numbers" in message
    assert thrudesk_services.campaigns.index_row(actor, fiftieth).status is CampaignStatus.DRAFT


def test_new_campaign_dialog_shows_refusals_beside_their_fields(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
) -> None:
    window.tabs.setCurrentIndex(1)
    click_named(qtbot, window, "new_campaign_button")
    dialog = wait_dialog(qtbot, window, "new_campaign_dialog")
    click_named(qtbot, dialog, "accept_button")
    assert shown_text(child(dialog, QLabel, "title_error")) == "The title cannot be blank."

    type_text(child(dialog, QLineEdit, "title_edit"), "Spring canvass")
    type_text(child(dialog, QPlainTextEdit, "script_edit"), "Hi {first_name}!")
    picker = child(dialog, AreaCodePicker, "area_code_picker")
    type_area_code(picker, "99")
    click_named(qtbot, dialog, "accept_button")
    assert "is not an area code" in shown_text(child(dialog, QLabel, "area_codes_error"))
    assert shown_text(child(dialog, QLabel, "title_error")) == ""

    picker.clear()
    type_area_code(picker, "206")
    click_named(qtbot, dialog, "accept_button")
    qtbot.waitUntil(lambda: not dialog.isVisible())
    [row] = thrudesk_services.campaigns.index(thrudesk_account.actor).rows
    assert (row.title, row.status) == ("Spring canvass", CampaignStatus.DRAFT)
    table = campaigns_table(window)
    assert table.selectionModel().isRowSelected(row_of(table, row.id) or 0)


def _enter_with_emoji_picker(edit: QLineEdit, text: str) -> None:
    """Enter ``text`` as an input method (an emoji picker) does: key clicks cannot carry emoji."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(edit, event)


@pytest.mark.parametrize(
    "title",
    ["Family day 👨\u200d👩\u200d👧", "Volunteers 🧑\u200d💻", "We ❤\ufe0f our town"],
    ids=["family", "technologist", "red heart"],
)
def test_r3_a_title_with_an_emoji_sequence_is_taken_as_typed(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    title: str,
) -> None:
    window.tabs.setCurrentIndex(1)
    click_named(qtbot, window, "new_campaign_button")
    dialog = wait_dialog(qtbot, window, "new_campaign_dialog")
    _enter_with_emoji_picker(child(dialog, QLineEdit, "title_edit"), title)
    click_named(qtbot, dialog, "accept_button")
    qtbot.waitUntil(lambda: not dialog.isVisible())
    [row] = thrudesk_services.campaigns.index(thrudesk_account.actor).rows
    assert row.title == title
    table = campaigns_table(window)
    qtbot.waitUntil(lambda: row_of(table, row.id) is not None)
    assert cell_text(table, row.id, "Title") == title


def test_r3_a_stray_joiner_in_a_title_is_refused_beside_it(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
) -> None:
    window.tabs.setCurrentIndex(1)
    click_named(qtbot, window, "new_campaign_button")
    dialog = wait_dialog(qtbot, window, "new_campaign_dialog")
    _enter_with_emoji_picker(child(dialog, QLineEdit, "title_edit"), "Fall\u200ddrive 👍")
    click_named(qtbot, dialog, "accept_button")
    assert shown_text(child(dialog, QLabel, "title_error")) == (
        "The title contains invisible control characters; retype it without them."
    )
    assert thrudesk_services.campaigns.index(thrudesk_account.actor).rows == ()
    dialog.close()


def test_c8_followup_dialog_creates_a_followup_on_the_campaigns_number(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    new_active: NewActive,
) -> None:
    campaign = new_active("Turnout")
    table = select_campaign(qtbot, window, campaign)
    click_named(qtbot, window, "followup_button")
    dialog = wait_dialog(qtbot, window, "followup_dialog")
    assert (
        "Opted-out contacts are always left out" in child(dialog, QLabel, "audience_label").text()
    )
    type_text(child(dialog, QPlainTextEdit, "message_edit"), "Last call!")
    click_named(qtbot, dialog, "accept_button")
    qtbot.waitUntil(lambda: not dialog.isVisible())

    followups = [
        r for r in thrudesk_services.campaigns.index(thrudesk_account.actor).rows if r.parent_id
    ]
    [followup] = followups
    qtbot.waitUntil(lambda: row_of(table, followup.id) is not None)
    assert [t.text for t in cell_tags(table, followup.id, "Status")] == ["Active", "Followup"]
    assert cell_text(table, followup.id, "Phone number") == cell_text(
        table, campaign, "Phone number"
    )
    window.show_campaign_details(campaign)
    followups_table = child(window.campaign_details_tab, QTableView, "followups_table")
    assert followups_table.model().rowCount() == 1


def test_c10_archive_asks_first_and_releases_the_single_use_number(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    new_draft: NewDraft,
) -> None:
    actor = thrudesk_account.actor
    thrudesk_simulator.force_next("complete")
    campaign = new_draft("One-off")
    row = thrudesk_services.campaigns.launch(actor, campaign, NumberMode.SINGLE_USE)
    assert row.phone_number_id is not None
    table = select_campaign(qtbot, window, campaign)
    click_named(qtbot, window, "archive_button")
    assert answer_confirmation(qtbot, window, accept=False) == "Archive “One-off”?"
    qtbot.wait(50)
    assert _status_word(table, campaign) == "Launching"

    click_named(qtbot, window, "archive_button")
    answer_confirmation(qtbot, window)
    qtbot.waitUntil(lambda: _status_word(table, campaign) == "Archived")
    number = thrudesk_services.numbers.get(actor, row.phone_number_id)
    assert number.released_at is not None
    assert not child(window, QPushButton, "archive_button").isEnabled()


def test_p3_campaign_index_filters_by_status_and_text_in_the_store(
    qtbot: QtBot,
    window: MainWindow,
    new_draft: NewDraft,
    new_active: NewActive,
) -> None:
    active = new_active("Ballot return")
    draft = new_draft("Spring canvass")
    window.tabs.setCurrentIndex(CAMPAIGNS_TAB)
    table = campaigns_table(window)
    qtbot.waitUntil(lambda: table.model().rowCount() == 2)

    status = child(window, QComboBox, "campaign_status_filter")
    status.setCurrentIndex(status.findData(CampaignStatusFilter.ACTIVE.value))
    qtbot.waitUntil(lambda: table.model().rowCount() == 1)
    assert row_of(table, active) == 0
    status.setCurrentIndex(status.findData(CampaignStatusFilter.ALL.value))
    qtbot.waitUntil(lambda: table.model().rowCount() == 2)

    type_text(child(window, QLineEdit, "campaign_filter_edit"), "canvass")
    qtbot.waitUntil(lambda: table.model().rowCount() == 1)
    assert row_of(table, draft) == 0
    assert child(window, QLabel, "campaign_count_label").text() == "1 campaign"


def test_p3_campaign_index_sorts_by_a_column_header_click(
    qtbot: QtBot, window: MainWindow, new_draft: NewDraft
) -> None:
    for title in ("Bravo", "Alpha", "Charlie"):
        new_draft(title)
    table = campaigns_table(window)
    window.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: table.model().rowCount() == 3)
    header = table.horizontalHeader()
    title_column = 0
    x = header.sectionViewportPosition(title_column) + 10
    click_at(header.viewport(), QPoint(x, 5))
    titles = [table.model().index(r, 0).data() for r in range(3)]
    assert titles in (["Alpha", "Bravo", "Charlie"], ["Charlie", "Bravo", "Alpha"])
    click_at(header.viewport(), QPoint(x, 5))
    reversed_titles = [table.model().index(r, 0).data() for r in range(3)]
    assert reversed_titles == list(reversed(titles))


def test_c2_cancelled_launch_leaves_the_draft_as_it_was(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    new_draft: NewDraft,
) -> None:
    campaign = new_draft("Quick")
    single_use = _open_launch_dialog(qtbot, window, campaign)
    dialog = wait_dialog(qtbot, window, "launch_dialog")
    click(qtbot, single_use)
    click_named(qtbot, dialog, "cancel_button")
    qtbot.waitUntil(lambda: open_dialog(window, "launch_dialog") is None)
    assert thrudesk_services.campaigns.index_row(thrudesk_account.actor, campaign).status is (
        CampaignStatus.DRAFT
    )


def test_c1_an_action_a_campaign_does_not_allow_is_disabled_with_the_services_reason(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    new_active: NewActive,
) -> None:
    campaign = new_active("Turnout")
    select_campaign(qtbot, window, campaign)
    launch = child(window, QPushButton, "launch_button")
    edit = child(window, QPushButton, "edit_campaign_button")
    assert not launch.isEnabled()
    assert not edit.isEnabled()
    with pytest.raises(InvalidTransition) as refused:
        thrudesk_services.campaigns.launch(thrudesk_account.actor, campaign, NumberMode.SINGLE_USE)
    assert (
        launch.toolTip()
        == refused.value.message
        == ("Only a Draft can be launched; “Turnout” is Active.")
    )
    assert edit.toolTip() == "Only a Draft can be edited this way; “Turnout” is Active."
    pause = child(window, QPushButton, "pause_resume_button")
    assert pause.isEnabled()
    assert pause.toolTip() == "Pause sending; nothing goes out until resumed (C1)"
    followup = child(window, QPushButton, "followup_button")
    assert followup.isEnabled()
    assert "no provisioning wait" in followup.toolTip()


def test_c9_clone_makes_a_draft_copy_and_selects_it(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    new_active: NewActive,
) -> None:
    actor = thrudesk_account.actor
    campaign = new_active("Turnout drive")
    table = select_campaign(qtbot, window, campaign)
    click_named(qtbot, window, "clone_button")

    bar = child(window.campaigns_tab, MessageBar, "message_bar")
    assert bar.text() == "“Turnout drive” cloned into a new Draft."
    copies = [
        row
        for row in thrudesk_services.campaigns.index(actor).rows
        if row.title == "Copy of Turnout drive"
    ]
    assert [row.status for row in copies] == [CampaignStatus.DRAFT]
    assert copies[0].phone_number_id is None  # C9: the number is not copied
    qtbot.waitUntil(lambda: row_of(table, copies[0].id) is not None)
    selected = [index.row() for index in table.selectionModel().selectedRows()]
    assert selected == [row_of(table, copies[0].id)]
    assert _status_word(table, campaign) == "Active"


@pytest.mark.parametrize("how", ["enter", "double-click"])
def test_c16_enter_or_a_double_click_on_a_campaign_opens_its_details(
    qtbot: QtBot, window: MainWindow, new_draft: NewDraft, how: str
) -> None:
    new_draft("Earlier one")
    campaign = new_draft("Doorstep drive")
    table = select_campaign(qtbot, window, campaign)
    index = table.model().index(row_of(table, campaign) or 0, 0)
    if how == "enter":
        QTest.keyClick(table, Qt.Key.Key_Return)
    else:
        QTest.mouseDClick(
            table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center()
        )
    qtbot.waitUntil(lambda: window.tabs.currentIndex() == CAMPAIGN_DETAILS)
    details = window.campaign_details_tab
    assert details.campaign_id == campaign
    title = child(details, QLabel, "details_title_label")
    qtbot.waitUntil(lambda: title.text() == "Doorstep drive")


def test_c16_show_number_in_campaign_details_opens_the_number_on_phone_numbers(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    new_active: NewActive,
) -> None:
    campaign = new_active("Library levy")
    number_id = thrudesk_services.campaigns.index_row(
        thrudesk_account.actor, campaign
    ).phone_number_id
    assert number_id is not None
    details = show_details(window, campaign)
    click_named(qtbot, details, "show_number_button")

    qtbot.waitUntil(lambda: window.tabs.currentIndex() == PHONE_NUMBERS)
    table = window.phone_numbers_tab.table
    qtbot.waitUntil(lambda: row_of(table, number_id) is not None)
    selected = [index.row() for index in table.selectionModel().selectedRows()]
    assert selected == [row_of(table, number_id)]


def test_c8_a_followup_listed_in_campaign_details_opens_when_activated(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
    new_active: NewActive,
) -> None:
    campaign = new_active("Ballot return")
    followup = thrudesk_services.campaigns.create_followup(
        thrudesk_account.actor,
        campaign,
        title="Ballot return: last call",
        message="Polls close at 8!",
        expires_at=sim_clock.now() + timedelta(days=3),
    )
    details = show_details(window, campaign)
    followups = child(details, QTableView, "followups_table")
    qtbot.waitUntil(lambda: followups.model().rowCount() == 1)
    followups.setCurrentIndex(followups.model().index(0, 0))
    QTest.keyClick(followups, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: details.campaign_id == followup)
    title = child(details, QLabel, "details_title_label")
    qtbot.waitUntil(lambda: title.text() == "Ballot return: last call")
    assert window.tabs.currentIndex() == CAMPAIGN_DETAILS


def test_c10_an_archived_campaign_whose_number_was_released_shows_released_not_a_live_badge(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
    new_draft: NewDraft,
) -> None:
    actor = thrudesk_account.actor
    thrudesk_simulator.force_next("complete")
    done = new_draft("Done and gone")
    thrudesk_services.campaigns.launch(actor, done, NumberMode.SINGLE_USE)
    sim_clock.advance(hours=1)
    thrudesk_services.campaigns.archive(actor, done)  # C10: its single-use number is released
    window.tabs.setCurrentIndex(CAMPAIGNS_TAB)
    table = campaigns_table(window)
    qtbot.waitUntil(lambda: row_of(table, done) is not None)
    [tag] = cell_tags(table, done, "Provisioning")
    assert (tag.text, tag.tone) == ("Released", Tone.MUTED)
