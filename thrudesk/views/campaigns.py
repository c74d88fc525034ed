"""The Campaigns tab (the campaign index): every campaign with its status and flags, its number
and live badge (C16), filtered by status and text, sorted and paged in SQL for large stores.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from operator import attrgetter
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from thrudesk.services.changes import AUDIENCE, CAMPAIGNS, NUMBERS, Change
from thrudesk.services.container import Services
from thrudesk.services.errors import NotFound, ThrudeskError
from thrudesk.services.rows import (
    CampaignIndexRow,
    CampaignSortKey,
    CampaignStatus,
    CampaignStatusFilter,
    Page,
)
from thrudesk.services.unit_of_work import Actor
from thrudesk.views.aio import async_slot
from thrudesk.views.badges import (
    Tag,
    badge_samples,
    flags_tooltip,
    kind_samples,
    number_tooltip,
    provisioning_tag,
    released_tag,
    status_samples,
    status_tags,
)
from thrudesk.views.campaign_actions import (
    FOLLOWUP_TIP,
    launched_notice,
    pause_or_resume,
    show_pause_or_resume,
)
from thrudesk.views.simulation import SimulationControl
from thrudesk.views.table_model import Column, count_column
from thrudesk.views.table_tab import (
    AccountTableModel,
    ControlsRow,
    FilterCombo,
    TableTab,
    filter_edit,
)
from thrudesk.views.tables import refresh_rows_in_view, select_row
from thrudesk.views.widgets import button, confirm, label, offer

if TYPE_CHECKING:
    # The dialogs are imported when first opened: the tab's first paint does not need them.
    from thrudesk.views.campaign_dialogs import LaunchDialog, NewCampaignDialog

FILTER_DELAY_MS = 250
# What each action on the selected campaign does, as its button's tooltip; a disabled one says
# instead why the campaign's status refuses it, or that no campaign is selected.
NO_CAMPAIGN = "Select a campaign first"
ACTION_TIPS = {
    "edit_campaign_button": "Edit the Draft",
    "launch_button": "Launch the Draft (Ctrl+L)",
    "followup_button": FOLLOWUP_TIP,
    "clone_button": "A new Draft with this campaign's title, message, contacts and settings",
    "archive_button": (
        "Archive the campaign: it stays readable, exportable and clonable, for good"
    ),
}
# What each sort of the index orders a row by (a row whose value changed may have moved).
_SORT_VALUES: dict[CampaignSortKey, Callable[[CampaignIndexRow], object]] = {
    CampaignSortKey.TITLE: attrgetter("title"),
    CampaignSortKey.STATUS: attrgetter("status"),
    CampaignSortKey.PHONE: attrgetter("phone_e164"),
    CampaignSortKey.BADGE: attrgetter("provisioning_status"),
    CampaignSortKey.KIND: attrgetter("number_mode"),
    CampaignSortKey.START: attrgetter("start_at"),
    CampaignSortKey.CONTACTS: attrgetter("contact_count"),
    CampaignSortKey.SENDERS: attrgetter("sender_count"),
    CampaignSortKey.UNASSIGNED: attrgetter("unassigned_count"),
    CampaignSortKey.CREATED: attrgetter("created_at"),
}


def kind_text(row: CampaignIndexRow) -> str:
    if row.number_kind is not None:
        return row.number_kind.label
    return "—"


class CampaignTableModel(AccountTableModel[CampaignIndexRow]):
    """The campaign index, sorted and filtered by :meth:`CampaignService.index`."""

    def __init__(
        self,
        services: Services,
        actor: Actor,
        *,
        timezone: str,
        simulator: SimulationControl | None,
        parent: QObject | None = None,
    ) -> None:
        self._status = CampaignStatusFilter.ALL
        columns: list[Column[CampaignIndexRow]] = [
            Column(
                "Title",
                lambda r: r.title,
                CampaignSortKey.TITLE,
                self._title_tooltip,
                width=250,
                stretch=True,
                narrowest=160,  # long titles are cut short, with the whole title as tooltip
            ),
            Column(
                "Status",
                lambda r: r.status_text,
                CampaignSortKey.STATUS,
                lambda r: flags_tooltip(r.flags),
                tags=lambda r: status_tags(r.status, r.flags),
                width=250,
                samples=status_samples,
            ),
            Column(
                "Phone number", lambda r: r.phone_label or "—", CampaignSortKey.PHONE, width=196
            ),
            Column(
                "Provisioning",
                lambda r: r.provisioning_status.label if r.provisioning_status else "",
                CampaignSortKey.BADGE,
                self._badge_tooltip,
                tags=self._badge_tags,
                width=176,
                samples=badge_samples,
            ),
            Column(
                "Kind",
                kind_text,
                CampaignSortKey.KIND,
                width=88,
                samples=kind_samples,
                steps_aside=3,
            ),
            self.time_column(
                "Start", lambda r: r.start_at, CampaignSortKey.START, width=108, steps_aside=4
            ),
            count_column(
                "Contacts",
                lambda r: r.contact_count,
                CampaignSortKey.CONTACTS,
                width=80,
                steps_aside=5,
            ),
            count_column(
                "Senders",
                lambda r: r.sender_count,
                CampaignSortKey.SENDERS,
                width=74,
                steps_aside=2,
            ),
            count_column(
                "Unassigned", lambda r: r.unassigned_count, CampaignSortKey.UNASSIGNED, width=104
            ),
            self.time_column(
                "Created", lambda r: r.created_at, CampaignSortKey.CREATED, width=108, steps_aside=1
            ),
        ]
        super().__init__(
            services,
            actor,
            columns,
            timezone=timezone,
            simulator=simulator,
            sort_column=9,
            descending=True,
            parent=parent,
        )

    # ------------------------------------------------------------------ filters
    def set_filter(
        self, *, text: str | None = None, status: CampaignStatusFilter | None = None
    ) -> None:
        if text is not None:
            self._text = text
        if status is not None:
            self._status = status
        self.reload()

    @property
    def status_filter(self) -> CampaignStatusFilter:
        return self._status

    # ------------------------------------------------------------------ reading
    def fetch_page(self, offset: int, limit: int, *, count: bool = True) -> Page[CampaignIndexRow]:
        return self._services.campaigns.index(
            self._actor,
            status=self._status,
            text=self._text,
            sort=CampaignSortKey(self.sort_key or CampaignSortKey.CREATED),
            descending=self.descending,
            offset=offset,
            limit=limit,
            with_total=count,
        )

    def fetch_total(self) -> int:
        return self._services.campaigns.count(self._actor, status=self._status, text=self._text)

    def id_at(self, position: int) -> tuple[int | None, int]:
        return self._services.campaigns.id_at(
            self._actor,
            position,
            status=self._status,
            text=self._text,
            sort=CampaignSortKey(self.sort_key or CampaignSortKey.CREATED),
            descending=self.descending,
        )

    def fetch_rows(self, ids: Collection[int]) -> list[CampaignIndexRow]:
        return self._services.campaigns.index_rows(self._actor, ids)

    def apply_change(self, change: Change) -> None:
        """Refresh the rows a change names (campaigns, their audiences, or campaigns on a named
        number); re-read the window only when a row may have come, gone or moved (see
        :meth:`update_rows`).
        """
        if not (change.touches(CAMPAIGNS) or change.touches(AUDIENCE) or change.touches(NUMBERS)):
            return
        if change.touches(CAMPAIGNS) and not change.campaign_ids:
            self.requery()  # a change that does not say which campaigns
            return
        named = set(change.campaign_ids)
        if change.number_ids:
            named |= {row.id for row in self.rows() if row.phone_number_id in change.number_ids}
        self.update_rows(named)

    def sort_value(self, row: CampaignIndexRow) -> object:
        return _SORT_VALUES[CampaignSortKey(self.sort_key or CampaignSortKey.CREATED)](row)

    def keeps_place(self, old: CampaignIndexRow, new: CampaignIndexRow) -> bool:
        if new.status is not old.status and self._status is not CampaignStatusFilter.ALL:
            return False  # it may have left the status filter
        if self._text and (new.title, new.phone_e164, new.number_name) != (
            old.title,
            old.phone_e164,
            old.number_name,
        ):
            return False  # it may no longer match the filter
        return super().keeps_place(old, new)

    # ------------------------------------------------------------------ cells
    def _title_tooltip(self, row: CampaignIndexRow) -> str | None:
        if row.parent_id is not None:
            return f"{row.title}\nA followup: it sends on its campaign's number."
        return row.title

    def _badge_tags(self, row: CampaignIndexRow) -> tuple[Tag, ...]:
        if row.provisioning_status is None:
            return ()
        if row.number_released:
            return (released_tag(),)  # a number let go shows no live badge
        return (provisioning_tag(row.provisioning_status),)

    def _badge_tooltip(self, row: CampaignIndexRow) -> str | None:
        # Read on hover only: the index rows do not carry the carriers' answers.
        if row.phone_number_id is None or row.provisioning_status is None:
            return None
        try:
            number = self._services.numbers.get(self._actor, row.phone_number_id)
        except NotFound:
            return None
        return number_tooltip(number, self._simulator, timezone=self._timezone)


class CampaignControls:
    """The row above the campaign index: the actions on the selected campaign, the count of
    campaigns, the status filter and the text filter; and which actions a selection allows.
    """

    new_campaign_button: QPushButton
    edit_campaign_button: QPushButton
    launch_button: QPushButton
    pause_resume_button: QPushButton
    followup_button: QPushButton
    clone_button: QPushButton
    archive_button: QPushButton
    open_details_button: QPushButton
    count_label: QLabel
    campaign_status_filter: QComboBox
    campaign_filter_edit: QLineEdit

    def _add_controls(self, page: QVBoxLayout) -> None:
        actions = QHBoxLayout()
        actions.setSpacing(8)
        self.new_campaign_button = button(
            "New campaign",
            "new_campaign_button",
            icon_name="add",
            role="primary",
            tooltip="Create a Draft campaign (Ctrl+N)",
        )
        self.new_campaign_button.setProperty("icon_colour", "#ffffff")
        self.edit_campaign_button = button(
            "Edit",
            "edit_campaign_button",
            icon_name="rename",
            tooltip=ACTION_TIPS["edit_campaign_button"],
        )
        self.launch_button = button(
            "Launch",
            "launch_button",
            icon_name="launch",
            tooltip=ACTION_TIPS["launch_button"],
        )
        self.pause_resume_button = button("Pause", "pause_resume_button", icon_name="pause")
        self.followup_button = button(
            "Create followup",
            "followup_button",
            icon_name="followup",
            tooltip=ACTION_TIPS["followup_button"],
        )
        self.clone_button = button(
            "Clone",
            "clone_button",
            icon_name="clone",
            tooltip=ACTION_TIPS["clone_button"],
        )
        self.archive_button = button(
            "Archive", "archive_button", icon_name="archive", tooltip=ACTION_TIPS["archive_button"]
        )
        self.open_details_button = button(
            "Open details",
            "open_details_button",
            icon_name="details",
            tooltip="Campaign Details (double-click or Enter)",
        )
        for widget in (
            self.new_campaign_button,
            self.edit_campaign_button,
            self.launch_button,
            self.pause_resume_button,
            self.followup_button,
            self.clone_button,
            self.archive_button,
            self.open_details_button,
        ):
            actions.addWidget(widget)
        actions.addStretch(1)
        filters = QHBoxLayout()
        filters.setSpacing(8)
        self.count_label = label(role="muted", name="campaign_count_label")
        filters.addWidget(self.count_label)
        self.campaign_status_filter = FilterCombo()
        self.campaign_status_filter.setObjectName("campaign_status_filter")
        for status in CampaignStatusFilter:
            self.campaign_status_filter.addItem(status.label, status.value)
        filters.addWidget(self.campaign_status_filter)
        self.campaign_filter_edit = filter_edit(
            "campaign_filter_edit", "Filter by title or number", width=180
        )
        filters.addWidget(self.campaign_filter_edit)
        page.addWidget(ControlsRow(actions, filters))

    def _show_actions_for(self, campaign: CampaignIndexRow | None) -> None:
        """Enable the actions ``campaign`` (the selected one, or None) allows; a disabled one
        says why, in the words the service would refuse it with.
        """
        show_pause_or_resume(
            self.pause_resume_button,
            campaign.status if campaign else None,
            pause_tip="Pause sending; nothing goes out until resumed (C1)",
            resume_tip="Resume sending (C1)",
        )
        tips = {**ACTION_TIPS, "pause_resume_button": self.pause_resume_button.toolTip()}
        for action, reason in (
            (self.launch_button, attrgetter("launch_refusal")),
            (self.edit_campaign_button, attrgetter("edit_refusal")),
            (self.pause_resume_button, attrgetter("pause_or_resume_refusal")),
            (self.followup_button, attrgetter("followup_refusal")),
            (self.clone_button, attrgetter("clone_refusal")),
            (self.archive_button, attrgetter("archive_refusal")),
        ):
            refusal = NO_CAMPAIGN if campaign is None else reason(campaign)
            offer(action, refusal, tips[action.objectName()])
        self.open_details_button.setEnabled(campaign is not None)


class CampaignsTab(TableTab[CampaignTableModel], CampaignControls):
    """The campaign index with its actions: New campaign, Launch, Create Followup, Clone,
    Archive and Open details (double-click or Enter).

    Signals:
        details_requested(int): open Campaign Details for this campaign.
        manage_numbers_requested(): the launch dialog's Manage button (C2) was pressed.
    """

    details_requested = Signal(int)
    manage_numbers_requested = Signal()

    def __init__(
        self,
        services: Services,
        actor: Actor,
        *,
        timezone: str,
        simulator: SimulationControl | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            services,
            actor,
            name="campaigns_tab",
            timezone=timezone,
            simulator=simulator,
            parent=parent,
        )
        self._add_controls(self.page)

        self._add_table(
            CampaignTableModel(
                services, actor, timezone=timezone, simulator=simulator, parent=self
            ),
            "campaigns_table",
            filter_edit=self.campaign_filter_edit,
            filter_delay_ms=FILTER_DELAY_MS,
            count_label=self.count_label,
            noun="campaign",
        )
        self.campaign_status_filter.currentIndexChanged.connect(
            self._on_campaign_status_filter_changed
        )
        self.new_campaign_button.clicked.connect(self._on_new_campaign_button_clicked)
        self.launch_button.clicked.connect(self._on_launch_button_clicked)
        self.edit_campaign_button.clicked.connect(self._on_edit_campaign_button_clicked)
        self.pause_resume_button.clicked.connect(self._on_pause_resume_button_clicked)
        self.followup_button.clicked.connect(self._on_followup_button_clicked)
        self.clone_button.clicked.connect(self._on_clone_button_clicked)
        self.archive_button.clicked.connect(self._on_archive_button_clicked)
        self.open_details_button.clicked.connect(self._on_open_details_button_clicked)
        self.table.activated.connect(self._on_table_activated)
        self._show_totals()

    # ------------------------------------------------------------------ public
    def apply_change(self, change: Change) -> None:
        self.model.apply_change(change)
        if change.touches(CAMPAIGNS):
            self.message_bar.recheck()
        self._update_actions()

    def selected_campaign(self) -> CampaignIndexRow | None:
        campaign: CampaignIndexRow | None = self._selected_row()
        return campaign

    def select_campaign(self, campaign_id: int) -> bool:
        position = self.model.ensure_loaded(campaign_id, max_pages=5)
        if position is None:
            return False
        select_row(self.table, position)
        return True

    def refresh_time_flags(self) -> None:
        """Time moved on (C6, C17): the rows in view are read again now, the others when they
        come into view (flags move no row: they are neither statuses nor sort keys).
        """
        self.model.mark_stale()
        refresh_rows_in_view(self.table)

    def open_new_dialog(self) -> NewCampaignDialog:
        from thrudesk.views.campaign_dialogs import NewCampaignDialog

        dialog = NewCampaignDialog(self._services, self._actor, self)
        dialog.campaign_created.connect(self._on_new_dialog_campaign_created)
        self._show_dialog(dialog)
        return dialog

    def open_launch_dialog(self) -> LaunchDialog | None:
        campaign = self.selected_campaign()
        if campaign is None or not self.launch_button.isEnabled():
            self.message_bar.show_info("Select a Draft campaign to launch it.")
            return None
        self.message_bar.clear()
        from thrudesk.views.campaign_dialogs import LaunchDialog

        try:
            dialog = LaunchDialog(self._services, self._actor, self._simulator, campaign, self)
        except ThrudeskError as error:
            self.message_bar.show_error(error.message)
            return None
        dialog.campaign_launched.connect(self._on_launch_dialog_campaign_launched)
        dialog.manage_numbers_requested.connect(self.manage_numbers_requested)
        self._show_dialog(dialog)
        return dialog

    # ------------------------------------------------------------------ handlers
    def _apply_filter(self, text: str) -> None:
        self.model.set_filter(text=text)

    @Slot(int)
    def _on_campaign_status_filter_changed(self, _index: int) -> None:
        value = self.campaign_status_filter.currentData()
        self.model.set_filter(status=CampaignStatusFilter(value))

    @Slot()
    def _update_actions(self) -> None:
        self._show_actions_for(self.selected_campaign())

    @Slot()
    def _on_new_campaign_button_clicked(self) -> None:
        self.message_bar.clear()
        self.open_new_dialog()

    @Slot(int)
    def _on_new_dialog_campaign_created(self, campaign_id: int) -> None:
        self._show_created(campaign_id, "Draft created. Launch it when its contacts are ready.")

    def _show_created(self, campaign_id: int, message: str) -> None:
        self.model.requery()
        self.select_campaign(campaign_id)
        self.message_bar.show_info(message)

    @Slot()
    def _on_launch_button_clicked(self) -> None:
        self.open_launch_dialog()

    def open_edit_dialog(self) -> NewCampaignDialog | None:
        """Edit the selected Draft (title, message, area codes, use case)."""
        campaign = self.selected_campaign()
        if campaign is None or not self.edit_campaign_button.isEnabled():
            return None
        self.message_bar.clear()
        try:
            draft = self._services.campaigns.details(self._actor, campaign.id)
        except ThrudeskError as error:
            self.message_bar.show_error(error.message)
            return None
        from thrudesk.views.campaign_dialogs import NewCampaignDialog

        dialog = NewCampaignDialog(self._services, self._actor, self, draft=draft)
        dialog.campaign_saved.connect(self._on_edit_dialog_campaign_saved)
        self._show_dialog(dialog)
        return dialog

    @Slot()
    def _on_edit_campaign_button_clicked(self) -> None:
        self.open_edit_dialog()

    @Slot(int)
    def _on_edit_dialog_campaign_saved(self, campaign_id: int) -> None:
        self.model.refresh_ids([campaign_id])
        self.message_bar.show_info("Draft saved.")

    @Slot()
    def _on_pause_resume_button_clicked(self) -> None:
        campaign = self.selected_campaign()
        if campaign is None:
            return
        try:
            text = pause_or_resume(
                self._services, self._actor, campaign.id, campaign.title, campaign.status
            )
        except ThrudeskError as error:
            self.message_bar.show_error(error.message)
            return
        self.model.refresh_ids([campaign.id])
        self._update_actions()
        self.message_bar.show_info(text)

    @Slot(object)
    def _on_launch_dialog_campaign_launched(self, row: CampaignIndexRow) -> None:
        self.model.refresh_ids([row.id])
        if row.status is CampaignStatus.LAUNCHING:
            self.message_bar.show_state(
                launched_notice(row),
                lambda: (
                    self._services.campaigns.index_row(self._actor, row.id).status
                    is CampaignStatus.LAUNCHING
                ),
            )
            return
        self.message_bar.show_info(launched_notice(row))

    @Slot()
    def _on_followup_button_clicked(self) -> None:
        campaign = self.selected_campaign()
        if campaign is None:
            return
        self.message_bar.clear()
        from thrudesk.views.followup_dialog import FollowupDialog

        dialog = FollowupDialog(self._services, self._actor, campaign, self._timezone, self)
        dialog.followup_created.connect(self._on_followup_dialog_followup_created)
        self._show_dialog(dialog)

    @Slot(int)
    def _on_followup_dialog_followup_created(self, followup_id: int) -> None:
        self._show_created(followup_id, "Followup created: it sends on its campaign's number.")

    @Slot()
    def _on_clone_button_clicked(self) -> None:
        campaign = self.selected_campaign()
        if campaign is None:
            return
        try:
            copy_id = self._services.campaigns.clone(self._actor, campaign.id)
        except ThrudeskError as error:
            self.message_bar.show_error(error.message)
            return
        self._show_created(copy_id, f"“{campaign.title}” cloned into a new Draft.")

    @async_slot()
    async def _on_archive_button_clicked(self) -> None:
        campaign = self.selected_campaign()
        if campaign is None:
            return
        accepted = await confirm(
            self,
            "Archive campaign",
            f"Archive “{campaign.title}”?",
            "Archive",
            informative="Archiving cannot be undone. The campaign stays readable and can be "
            "cloned; a single-use number is released with its use-case slot.",
        )
        if not accepted:
            return
        try:
            self._services.campaigns.archive(self._actor, campaign.id)
        except ThrudeskError as error:
            self.message_bar.show_error(error.message)
            return
        self.model.requery()
        self.message_bar.show_info(f"“{campaign.title}” is archived.")

    @Slot()
    def _on_open_details_button_clicked(self) -> None:
        campaign = self.selected_campaign()
        if campaign is not None:
            self.details_requested.emit(campaign.id)

    @Slot(QModelIndex)
    def _on_table_activated(self, index: QModelIndex) -> None:
        campaign = self.model.row_at(index.row())
        if campaign is not None:
            self.details_requested.emit(campaign.id)
