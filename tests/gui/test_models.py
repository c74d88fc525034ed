"""Every table model of the window under pytest-qt's model tester, and the lazy, SQL-sorted
paging of the big tables (ARCHITECTURE.md pattern 2, QUALITY.md P3).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QStyleOptionViewItem, QTableView, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from tests.gui.helpers import check_model, wait_dialog
from thrudesk.models import Campaign
from thrudesk.services.changes import Change
from thrudesk.services.clock import ManualClock
from thrudesk.services.container import Services
from thrudesk.services.rows import CampaignStatusFilter, NumberMode
from thrudesk.services.simulation.engine import Simulator
from thrudesk.services.starter import StarterAccount
from thrudesk.services.unit_of_work import Actor
from thrudesk.views import table_model
from thrudesk.views.badges import CellDelegate
from thrudesk.views.campaigns import CampaignsTab, CampaignTableModel
from thrudesk.views.hard_to_get import HardToGetDialog
from thrudesk.views.main_window import MainWindow
from thrudesk.views.notifications import NotificationListModel
from thrudesk.views.phone_numbers import PhoneNumberTableModel
from thrudesk.views.roles import ID_ROLE
from thrudesk.views.tables import (
    MIN_FIRST_PAGE,
    ROW_HEIGHT,
    VIEWPORT_NAME,
    content_width,
    first_page_for_screens,
    viewport_of,
)


def _many_campaigns(services: Services, account: StarterAccount, count: int) -> list[int]:
    return [
        services.campaigns.create(account.actor, f"Campaign {position:04d}")
        for position in range(count)
    ]


def _campaign_model(services: Services, actor: Actor) -> CampaignTableModel:
    """The Campaigns tab's model on its own, read in New York time with no simulator."""
    return CampaignTableModel(services, actor, timezone="America/New_York", simulator=None)


def _campaigns_tab(qtbot: QtBot, services: Services, actor: Actor) -> CampaignsTab:
    """The Campaigns tab on its own, read in New York time with no simulator."""
    tab = CampaignsTab(services, actor, timezone="America/New_York", simulator=None)
    qtbot.addWidget(tab)
    return tab


def _ids(model: CampaignTableModel) -> list[int]:
    return [model.index(r, 0).data(ID_ROLE) for r in range(model.rowCount())]


def test_p3_campaign_model_pages_sorts_and_filters_in_the_store_under_the_model_tester(
    qtmodeltester: ModelTester,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Pages of 200: the 450 campaigns come in pages of 200, 200 and 50.
    monkeypatch.setattr(CampaignTableModel, "PAGE_SIZE", 200)
    _many_campaigns(thrudesk_services, thrudesk_account, 450)
    model = _campaign_model(thrudesk_services, thrudesk_account.actor)
    model.reload()

    # Lazy: one page at a time. A full first page leaves the count of the whole due.
    assert model.rowCount() == 200
    assert (model.total, model.counted) == (200, False)
    assert model.canFetchMore(QModelIndex())
    model.count_rows()
    assert (model.total, model.counted) == (450, True)
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 400
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 450
    assert not model.canFetchMore(QModelIndex())
    check_model(qtmodeltester, model)  # stays attached: every later change is checked too

    # Sorting happens in the store: the first page is the first of all 450, not of those loaded.
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert model.rowCount() == 200
    assert model.index(0, 0).data() == "Campaign 0000"
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert model.index(0, 0).data() == "Campaign 0449"

    model.set_filter(text="Campaign 01")
    assert model.total == 100
    assert {model.index(r, 0).data()[:11] for r in range(model.rowCount())} == {"Campaign 01"}
    model.set_filter(text="", status=CampaignStatusFilter.ACTIVE)
    assert model.rowCount() == 0

    # A live change: a new campaign is inserted with proper brackets, no reset.
    model.set_filter(status=CampaignStatusFilter.ALL)
    model.sort(9, Qt.SortOrder.DescendingOrder)
    resets: list[bool] = []
    inserted: list[tuple[int, int]] = []
    model.modelReset.connect(lambda: resets.append(True))
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    sim_clock.advance(minutes=1)
    newest = thrudesk_services.campaigns.create(thrudesk_account.actor, "Newest")
    model.apply_change(Change(campaign_ids=frozenset({newest}), topics=frozenset({"campaigns"})))
    assert resets == []
    assert inserted == [(0, 0)]
    assert _ids(model)[0] == newest


def test_p3_a_full_first_page_shows_at_once_and_is_counted_once_the_table_has_painted(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
) -> None:
    _many_campaigns(thrudesk_services, thrudesk_account, 20)
    monkeypatch.setattr(CampaignTableModel, "PAGE_SIZE", 8)
    tab = _campaigns_tab(qtbot, thrudesk_services, thrudesk_account.actor)
    tab.resize(900, 300)  # once shown, fewer rows in view than a page holds
    # Not painted yet: the count says what is loaded, and that there is more.
    qtbot.wait(20)
    loaded = tab.model.rowCount()
    assert loaded < 20
    assert tab.count_label.text() == f"{loaded}+ campaigns"
    assert not tab.model.counted
    assert tab.model.canFetchMore(QModelIndex())

    tab.show()
    qtbot.waitUntil(lambda: tab.count_label.text() == "20 campaigns")
    assert (tab.model.rowCount(), tab.model.total) == (loaded, 20)

    # A filter with a full first page is counted again once painted; a short one at once.
    tab.model.set_filter(text="Campaign 000")
    assert tab.count_label.text() == "8+ campaigns"
    qtbot.waitUntil(lambda: tab.count_label.text() == "10 campaigns")
    tab.model.set_filter(text="Campaign 0015")
    assert tab.count_label.text() == "1 campaign"


def test_p3_a_fast_scroll_reads_ever_longer_pages_and_a_pause_reads_short_ones_again(
    qtmodeltester: ModelTester,
    monkeypatch: pytest.MonkeyPatch,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
) -> None:
    _many_campaigns(thrudesk_services, thrudesk_account, 90)
    monkeypatch.setattr(CampaignTableModel, "PAGE_SIZE", 5)
    monkeypatch.setattr(CampaignTableModel, "LONGEST_PAGE", 20)
    moment = [100.0]
    monkeypatch.setattr(table_model, "monotonic", lambda: moment[0])
    model = _campaign_model(thrudesk_services, thrudesk_account.actor)
    model.reload()

    def scroll_to_end(after_s: float) -> int:
        moment[0] += after_s
        before = model.rowCount()
        model.fetchMore(QModelIndex())
        return model.rowCount() - before

    # A quick succession of pages: each twice the last, up to the longest.
    assert [scroll_to_end(0.1) for _ in range(5)] == [5, 10, 20, 20, 20]
    # After a pause the next page is short again; the one after it is longer, and ends with
    # the last of the 90 campaigns.
    assert [scroll_to_end(5.0), scroll_to_end(0.1)] == [5, 5]
    assert model.rowCount() == model.total == 90
    assert not model.canFetchMore(QModelIndex())
    check_model(qtmodeltester, model)
    # A new order starts again from a short page.
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert model.rowCount() == 5
    assert scroll_to_end(0.1) == 5


def test_p2_a_campaign_not_loaded_that_leaves_the_filter_changes_only_the_count(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The drafts, 200 of 450 loaded: one further down is archived. The table asks which draft
    # now ends what it shows and how many there are, and keeps its rows as they were.
    monkeypatch.setattr(CampaignTableModel, "PAGE_SIZE", 200)
    actor = thrudesk_account.actor
    ids = _many_campaigns(thrudesk_services, thrudesk_account, 450)
    model = _campaign_model(thrudesk_services, actor)
    model.set_filter(status=CampaignStatusFilter.DRAFT)
    model.count_rows()
    shown = _ids(model)
    assert (len(shown), model.total) == (200, 450)
    deep = next(i for i in ids if i not in shown)
    totals: list[int] = []
    changes: list[str] = []
    model.total_changed.connect(totals.append)
    model.modelReset.connect(lambda: changes.append("reset"))
    model.rowsInserted.connect(lambda *_args: changes.append("inserted"))
    model.rowsRemoved.connect(lambda *_args: changes.append("removed"))
    thrudesk_services.campaigns.archive(actor, deep)
    model.apply_change(Change(campaign_ids=frozenset({deep}), topics=frozenset({"campaigns"})))
    assert (model.total, totals) == (449, [449])
    assert changes == []
    assert _ids(model) == shown


def test_campaign_model_refreshes_only_the_rows_a_change_names(
    qtmodeltester: ModelTester,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    actor = thrudesk_account.actor
    ids = _many_campaigns(thrudesk_services, thrudesk_account, 5)
    thrudesk_services.campaigns.edit_draft(actor, ids[2], area_codes=["512"], use_case_id=1)
    model = _campaign_model(thrudesk_services, actor)
    model.reload()
    check_model(qtmodeltester, model)
    changed_rows: list[int] = []
    model.dataChanged.connect(lambda first, _last: changed_rows.append(first.row()))
    thrudesk_simulator.force_next("complete")
    row = thrudesk_services.campaigns.launch(actor, ids[2], NumberMode.SINGLE_USE)
    model.apply_change(
        Change(
            account_ids=frozenset({actor.account_id}),
            campaign_ids=frozenset({ids[2]}),
            number_ids=frozenset({row.phone_number_id or 0}),
            topics=frozenset({"campaigns", "numbers"}),
        )
    )
    assert changed_rows == [_ids(model).index(ids[2])]
    assert model.rowCount() == 5


def test_number_model_passes_the_model_tester_through_live_provisioning(
    qtmodeltester: ModelTester,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    actor = thrudesk_account.actor
    model = PhoneNumberTableModel(
        thrudesk_services, actor, timezone="America/New_York", simulator=thrudesk_simulator
    )
    model.reload()
    check_model(qtmodeltester, model)
    for code in ("415", "512", "312"):
        number = thrudesk_services.numbers.create_dedicated(actor, [code], 1)
        model.apply_change(Change(number_ids=frozenset({number.id}), topics=frozenset({"numbers"})))
    assert model.rowCount() == 3
    for column in range(model.columnCount()):
        model.sort(column, Qt.SortOrder.DescendingOrder)
        assert model.rowCount() == 3
    sim_clock.advance(hours=6)
    model.apply_change(Change(number_ids=frozenset({1, 2, 3}), topics=frozenset({"numbers"})))
    model.set_filter("Austin")
    assert model.rowCount() == 1
    assert model.index(0, 3).data() == "512 · Austin, TX"


def test_details_lists_and_notifications_pass_the_model_tester(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    actor = thrudesk_account.actor
    details = window.campaign_details_tab
    for model in (details.senders_model, details.followups_model, details.events_model):
        check_model(qtmodeltester, model)
    notifications = NotificationListModel()
    check_model(qtmodeltester, notifications)

    thrudesk_simulator.force_next("complete")
    number = thrudesk_services.numbers.create_dedicated(actor, ["415"], 1, "Main line")
    sim_clock.advance(minutes=10)
    campaign = thrudesk_services.campaigns.create(actor, "Turnout", use_case_id=1)
    thrudesk_services.campaigns.launch(actor, campaign, NumberMode.DEDICATED, number.id)
    thrudesk_services.campaigns.create_followup(
        actor,
        campaign,
        title="Last call",
        message="Tomorrow!",
        expires_at=sim_clock.now() + timedelta(days=1),
    )
    window.show_campaign_details(campaign)
    assert details.followups_model.rowCount() == 1
    assert details.events_model.rowCount() >= 3
    notifications.set_rows(thrudesk_services.notifications.list(actor))
    assert notifications.rowCount() == 1

    window.phone_numbers_tab.hard_to_get_button.click()
    dialog = wait_dialog(qtbot, window, "hard_to_get_dialog")
    assert isinstance(dialog, HardToGetDialog)
    check_model(qtmodeltester, dialog.requests_model)


def test_p2_a_renamed_row_moves_to_its_sorted_place_and_an_unmoved_one_is_updated_in_place(
    qtmodeltester: ModelTester,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
) -> None:
    actor = thrudesk_account.actor
    ids = _many_campaigns(thrudesk_services, thrudesk_account, 5)
    model = _campaign_model(thrudesk_services, actor)
    model.reload()
    check_model(qtmodeltester, model)
    resets: list[bool] = []
    changed: list[int] = []
    model.modelReset.connect(lambda: resets.append(True))
    model.dataChanged.connect(lambda first, _last: changed.append(first.row()))

    # Sorted by creation, a new title moves nothing: the row is updated where it is.
    shown = _ids(model)
    thrudesk_services.campaigns.edit_draft(actor, ids[1], title="Canvass follow-up")
    model.apply_change(Change(campaign_ids=frozenset({ids[1]}), topics=frozenset({"campaigns"})))
    assert _ids(model) == shown
    assert changed == [shown.index(ids[1])]
    assert model.index(shown.index(ids[1]), 0).data() == "Canvass follow-up"

    model.sort(0, Qt.SortOrder.AscendingOrder)  # by title
    assert _ids(model) == [ids[0], ids[2], ids[3], ids[4], ids[1]]
    resets.clear()
    # Sorted by title, a new title moves the row; the others keep their order, no reset.
    thrudesk_services.campaigns.edit_draft(actor, ids[1], title="Advance voting drive")
    model.apply_change(Change(campaign_ids=frozenset({ids[1]}), topics=frozenset({"campaigns"})))
    assert _ids(model) == [ids[1], ids[0], ids[2], ids[3], ids[4]]
    assert model.index(0, 0).data() == "Advance voting drive"
    assert resets == []


def test_p2_a_row_that_leaves_the_status_filter_is_taken_out_and_the_rest_stay(
    qtmodeltester: ModelTester,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
) -> None:
    actor = thrudesk_account.actor
    ids = _many_campaigns(thrudesk_services, thrudesk_account, 4)
    model = _campaign_model(thrudesk_services, actor)
    model.set_filter(status=CampaignStatusFilter.DRAFT)
    model.reload()
    check_model(qtmodeltester, model)
    before = _ids(model)
    assert sorted(before) == sorted(ids)
    resets: list[bool] = []
    removed: list[tuple[int, int]] = []
    model.modelReset.connect(lambda: resets.append(True))
    model.rowsRemoved.connect(lambda _parent, first, last: removed.append((first, last)))

    thrudesk_services.campaigns.archive(actor, ids[2])
    model.apply_change(Change(campaign_ids=frozenset({ids[2]}), topics=frozenset({"campaigns"})))
    assert _ids(model) == [i for i in before if i != ids[2]]
    assert model.total == 3
    assert resets == []


def test_p3_a_tables_viewport_is_the_one_qt_paints_on_even_when_replaced(qtbot: QtBot) -> None:
    view = QTableView()
    qtbot.addWidget(view)
    found = viewport_of(view)
    assert found is view.viewport()
    assert found.objectName() == VIEWPORT_NAME

    replacement = QWidget()
    view.setViewport(replacement)
    assert viewport_of(view) is replacement is view.viewport()


def test_cells_are_selectable_and_never_edited_in_place(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    _many_campaigns(thrudesk_services, thrudesk_account, 1)
    model = _campaign_model(thrudesk_services, thrudesk_account.actor)
    model.reload()
    for column in range(model.columnCount()):
        flags = model.flags(model.index(0, column))
        assert flags & Qt.ItemFlag.ItemIsSelectable
        assert flags & Qt.ItemFlag.ItemIsEnabled
        assert not flags & Qt.ItemFlag.ItemIsEditable
        assert flags & Qt.ItemFlag.ItemNeverHasChildren
    assert model.flags(QModelIndex()) == Qt.ItemFlag.NoItemFlags


def test_p3_a_table_paints_each_cell_from_its_column_as_the_model_answers_it(
    qtbot: QtBot, thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    _many_campaigns(thrudesk_services, thrudesk_account, 3)
    tab = _campaigns_tab(qtbot, thrudesk_services, thrudesk_account.actor)
    model = tab.model
    for column in range(model.columnCount()):
        index = model.index(0, column)
        option = QStyleOptionViewItem()
        delegate = tab.table.itemDelegateForIndex(index)
        assert isinstance(delegate, CellDelegate)
        delegate.initStyleOption(option, index)
        assert option.text == index.data()
        assert option.displayAlignment == index.data(Qt.ItemDataRole.TextAlignmentRole)
        assert option.features & QStyleOptionViewItem.ViewItemFeature.HasDisplay
        assert option.index == index


def test_p3_a_table_first_reads_what_the_tallest_screen_can_show(
    qtbot: QtBot, thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    tallest = max(s.availableGeometry().height() for s in QGuiApplication.screens())
    first = first_page_for_screens(100)
    assert first * ROW_HEIGHT >= tallest
    assert MIN_FIRST_PAGE <= first <= 100
    assert first_page_for_screens(8) == 8  # never more than a page

    _many_campaigns(thrudesk_services, thrudesk_account, first + 5)
    tab = _campaigns_tab(qtbot, thrudesk_services, thrudesk_account.actor)
    assert tab.model.rowCount() == first
    assert tab.count_label.text() == f"{first}+ campaigns"
    tab.model.fetchMore(QModelIndex())
    assert tab.model.rowCount() == first + 5


def test_p3_a_tables_header_shows_its_models_titles_tooltips_and_alignment(
    qtbot: QtBot, thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    _many_campaigns(thrudesk_services, thrudesk_account, 2)
    tab = _campaigns_tab(qtbot, thrudesk_services, thrudesk_account.actor)
    header = tab.table.horizontalHeader()
    shown, model = header.model(), tab.model
    assert shown.columnCount() == model.columnCount() == header.count()
    horizontal = Qt.Orientation.Horizontal
    for section, column in enumerate(model.columns):
        assert shown.headerData(section, horizontal) == column.title
        assert shown.headerData(section, horizontal, Qt.ItemDataRole.ToolTipRole) == (
            model.headerData(section, horizontal, Qt.ItemDataRole.ToolTipRole)
        )
        alignment = shown.headerData(section, horizontal, Qt.ItemDataRole.TextAlignmentRole)
        assert Qt.AlignmentFlag(alignment) == column.align
        # Sized to the header and the widest content, in the font the table is drawn in.
        assert (
            column.stretch
            or tab.table.isColumnHidden(section)
            or (tab.table.columnWidth(section) == content_width(tab.table, column))
        )
    contacts = [c.title for c in model.columns].index("Contacts")
    tooltip = shown.headerData(contacts, horizontal, Qt.ItemDataRole.ToolTipRole)
    assert tooltip == "Sort by contacts"
    alignment = shown.headerData(contacts, horizontal, Qt.ItemDataRole.TextAlignmentRole)
    assert Qt.AlignmentFlag(alignment) & Qt.AlignmentFlag.AlignRight


def test_c17_rows_gone_stale_out_of_view_are_read_again_when_their_tab_is_shown(
    qtbot: QtBot,
    thrudesk_window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
) -> None:
    campaign = _many_campaigns(thrudesk_services, thrudesk_account, 1)[0]
    window = thrudesk_window
    window.tabs.setCurrentIndex(1)
    tab = window.campaigns_tab
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1)
    window.tabs.setCurrentIndex(0)
    # What only the clock changes (C6, C17 flags) is told by no change: written here the
    # same way, behind the window's back.
    with thrudesk_services.store.begin() as session:
        session.execute(update(Campaign).where(Campaign.id == campaign).values(title="Renamed"))
    tab.refresh_time_flags()  # the flags' clock moved while the tab was out of view
    assert tab.model.index(0, 0).data() == "Campaign 0000", "out of view: nothing read yet"
    window.tabs.setCurrentIndex(1)
    assert tab.model.index(0, 0).data() == "Renamed"
