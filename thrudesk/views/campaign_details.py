"""The Campaign Details tab: one campaign's header with its live number badge and warnings, its
sending window, audience, senders, followups and event timeline.

The sections are cards of their own modules (sending window, audience, senders); this tab reads
the campaign, hands each card its part, and keeps the reading cheap on big campaigns: a change
re-reads the whole campaign at once when that is quick, and otherwise shows the counters the
campaign keeps at once and the full figures after a pause that grows with what they cost (and
never more often than every :data:`IMPORT_REFRESH_MS` while an import fills the campaign).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from thrudesk.services.changes import ACCOUNTS, CAMPAIGNS, CONVERSATIONS, NUMBERS, Change
from thrudesk.services.contacts import ExportReport, ImportReport
from thrudesk.services.container import Services
from thrudesk.services.errors import NotFound, ThrudeskError
from thrudesk.services.messaging import SendingSummary
from thrudesk.services.rows import (
    CampaignDetails,
    CampaignFlagKind,
    CampaignIndexRow,
    CampaignStatus,
    Carrier,
    CarrierCheckStatus,
    EventRow,
    FollowupRow,
    NumberMode,
    ProvisioningStatus,
    number_label,
)
from thrudesk.services.senders import TeamRow
from thrudesk.services.sending_window import SendingWindowRow
from thrudesk.services.unit_of_work import Actor
from thrudesk.views import formatting
from thrudesk.views.aio import async_slot
from thrudesk.views.audience_card import AudienceCard
from thrudesk.views.background import BIG_CAMPAIGN, BackgroundTask, Progress
from thrudesk.views.badges import (
    ProvisioningBadge,
    TagStrip,
    badge_tooltip,
    number_tooltip,
    status_tags,
)
from thrudesk.views.campaign_actions import (
    FOLLOWUP_TIP,
    launched_notice,
    pause_or_resume,
    show_pause_or_resume,
)
from thrudesk.views.campaign_dialogs import LaunchDialog, NewCampaignDialog
from thrudesk.views.followup_dialog import FollowupDialog
from thrudesk.views.senders_card import SOURCE_TEXT, SendersCard
from thrudesk.views.sending_window_card import SendingWindowCard
from thrudesk.views.simulation import SimulationControl, provisioning_estimate
from thrudesk.views.static_model import StaticTableModel
from thrudesk.views.table_model import Column, count_column, time_column
from thrudesk.views.tables import make_table
from thrudesk.views.teamwork_dialogs import ImportReportDialog
from thrudesk.views.timeline_chart import ProvisioningTimeline
from thrudesk.views.widgets import (
    Card,
    MessageBar,
    Notice,
    button,
    confirm,
    label,
    offer,
    open_beside,
)

__all__ = [
    "SOURCE_TEXT",
    "CampaignDetailsTab",
    "describe_event",
    "describe_teamwork_event",
    "provisioning_started_at",
]

# A full reading quicker than this is done at every change; a slower one waits a while,
# COST_FACTOR times what it took (between the bounds), so the window stays free most of the time.
QUICK_REFRESH_S = 0.05
COST_FACTOR = 8
MIN_DELAY_MS = 250
MAX_DELAY_MS = 4000
IMPORT_REFRESH_MS = 1500

# ------------------------------------------------------------------------------ event wording


def _plural_of(value: object, word: str) -> str:
    return formatting.plural(value, word) if isinstance(value, int) else word + "s"


def describe_teamwork_event(event: EventRow) -> str | None:
    """What an event of campaign teamwork (contacts, senders, sending) means, or None."""
    after = event.after or {}
    before = event.before or {}
    kind = event.kind
    if kind == "contacts_imported":
        return (
            f"{_plural_of(after.get('imported'), 'contact')} imported (lines {after.get('lines')})"
        )
    if kind == "senders_added":
        users = after.get("user_ids")
        count = len(users) if isinstance(users, list) else 0
        return f"{formatting.plural(count, 'sender')} added; Unassigned split among them"
    if kind == "sender_removed":
        returned = after.get("returned_to_unassigned")
        return f"Sender removed; {_plural_of(returned, 'conversation')} back to Unassigned"
    if kind == "sender_joined":
        return f"{after.get('name', 'A sender')} joined through the invite link"
    if kind == "batch_requested":
        return f"A sender requested a batch: {_plural_of(after.get('assigned'), 'conversation')}"
    if kind == "self_assign_switched":
        return "Self Assign switched " + ("on" if after.get("self_assign") else "off")
    if kind == "batch_size_changed":
        size = after.get("batch_size")
        return f"Batch size set to {size}" if size else "Batch size back to the account default"
    if kind == "invite_link_enabled":
        return "Invite link enabled"
    if kind == "invite_link_disabled":
        return "Invite link disabled for good"
    if kind == "sending_window_changed":
        what = next(iter(after), "")
        words = {
            "start_at": "Start date moved",
            "end_at": "End date changed",
            "sending_hours": f"Sending hours set to {after.get('sending_hours')}",
            "timezone": "Time zone changed",
        }
        return words.get(what, "Sending window changed") + (
            f" (was {before.get(what)})" if what == "sending_hours" and before.get(what) else ""
        )
    if kind == "held_messages_sent":
        return f"The window opened: {_plural_of(after.get('sent'), 'held message')} sent"
    if kind == "initial_message_held":
        return "An initial message is held until the window opens"
    if kind == "initial_message_sent":
        return "Initial message sent" + (" (at risk)" if after.get("at_risk") else "")
    if kind == "reply_received":
        return "A contact opted out (STOP)" if after.get("opted_out") else "A contact replied"
    return None


def _label_of(enum_type: type[Carrier] | type[NumberMode], value: object) -> str:
    try:
        return enum_type(str(value)).label
    except ValueError:
        return str(value)


def describe_event(event: EventRow) -> str:
    """What an audit event means, in an admin's words."""
    after = event.after or {}
    reason = after.get("reason")
    kind = event.kind
    if kind == "campaign_launched":
        mode = _label_of(NumberMode, after.get("number_mode"))
        return f"Launched on a {mode[0].lower() + mode[1:]}"
    if kind == "carrier_answered":
        carrier = _label_of(Carrier, after.get("carrier"))
        if after.get("status") == CarrierCheckStatus.CONFIRMED.value:
            return f"{carrier} confirmed the number"
        return f"{carrier} rejected the number" + (f": {reason}" if reason else "")
    if kind == "number_bought":
        e164 = str(after.get("e164", ""))
        name = after.get("name")
        shown = number_label(e164, name if isinstance(name, str) else None)
        text = f"Number {shown} bought in {after.get('area_code', '')}"
        skipped = after.get("skipped")
        if isinstance(skipped, list) and skipped:
            text += f" ({', '.join(map(str, skipped))} had none)"
        return text
    if kind == "number_renamed":
        return f"Number renamed “{after.get('name')}”" if after.get("name") else "Name removed"
    teamwork = describe_teamwork_event(event)
    if teamwork is not None:
        return teamwork
    fixed = {
        "campaign_created": "Draft created",
        "campaign_edited": "Draft edited",
        "campaign_activated": "Active: the number is Provisioning Complete",
        "campaign_paused": "Paused",
        "campaign_resumed": "Resumed",
        "campaign_cloned": "Created as a clone",
        "followup_created": "Followup created",
        "provisioning_started": "Provisioning started with AT&T, Verizon and T-Mobile",
        "provisioning_completed": "Provisioning Complete",
    }
    if kind in fixed:
        return fixed[kind]
    if kind == "campaign_provisioning_failed":
        return "Back to Draft: provisioning failed" + (f" ({reason})" if reason else "")
    if kind == "provisioning_failed":
        return "Provisioning Failed" + (f": {reason}" if reason else "")
    if kind == "campaign_archived":
        return "Archived" + (f" ({reason})" if reason else "")
    if kind == "number_released":
        return "Number released" + (f" ({reason})" if reason else "")
    return kind.replace("_", " ").capitalize()


def provisioning_started_at(events: list[EventRow], number_id: int) -> datetime | None:
    for event in events:
        if (
            event.kind == "provisioning_started"
            and event.subject_type == "phone_number"
            and event.subject_id == number_id
        ):
            return event.at
    return None


@dataclass(frozen=True)
class CampaignReading:
    """Everything the tab shows about one campaign, read in one go (on any thread)."""

    details: CampaignDetails
    events: tuple[EventRow, ...]
    window: SendingWindowRow
    team: TeamRow
    summary: SendingSummary
    default_batch_size: int


def read_campaign(services: Services, actor: Actor, campaign_id: int) -> CampaignReading:
    """Read what Campaign Details shows; only services, so a worker thread may call it."""
    return CampaignReading(
        details=services.campaigns.details(actor, campaign_id),
        events=tuple(services.events.for_campaign(actor, campaign_id)),
        window=services.sending_window.window(actor, campaign_id),
        team=services.senders.team(actor, campaign_id),
        summary=services.messaging.summary(actor, campaign_id),
        default_batch_size=services.accounts.get(actor.account_id).default_batch_size,
    )


class CampaignDetailsTab(QWidget):
    """The Campaign Details tab.

    Signals:
        campaign_shown(int): the tab now shows this campaign (after Clone and archive too).
        campaign_requested(int): a followup was opened from the list.
        number_requested(int): the admin asked to see the campaign's number.
        manage_numbers_requested(): Manage was pressed in the launch dialog (C2).
    """

    campaign_shown = Signal(int)
    campaign_requested = Signal(int)
    number_requested = Signal(int)
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
        super().__init__(parent)
        self.setObjectName("campaign_details_tab")
        self._services = services
        self._actor = actor
        self._timezone = timezone
        self._simulator = simulator
        self._campaign_id: int | None = None
        self._details: CampaignDetails | None = None
        self._cost = 0.0  # seconds the last full reading took
        self._reading: BackgroundTask | None = None
        self._reading_again = False
        self._generation = 0  # a reading started before the last one shown is stale
        self._contacts = 0  # the campaign's contacts, as last read
        # Built with the tab, not in its first reading: that reading's cost decides whether the
        # next ones go to a worker thread, and these services load their code when first asked.
        _ = services.contacts, services.messaging

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self._stack = QStackedWidget()
        outer.addWidget(self._stack)

        empty = QWidget()
        empty_layout = QVBoxLayout(empty)
        self.empty_label = label(
            "Open a campaign from the Campaigns tab (double-click it or press Enter) to see its "
            "details here.",
            "muted",
            name="details_empty_label",
        )
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        empty_layout.addWidget(self.empty_label)
        self._stack.addWidget(empty)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        content = QWidget()
        content.setObjectName("details_content")
        scroll.setWidget(content)
        self._stack.addWidget(scroll)
        page = QVBoxLayout(content)
        page.setContentsMargins(16, 14, 16, 14)
        page.setSpacing(12)

        self._build_header(page)
        self.message_bar = MessageBar()
        self.message_bar.setObjectName("details_message_bar")
        page.addWidget(self.message_bar)

        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(12)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        page.addLayout(grid, 1)
        left = QVBoxLayout()
        left.setSpacing(12)
        right = QVBoxLayout()
        right.setSpacing(12)
        grid.addLayout(left, 0, 0)
        grid.addLayout(right, 0, 1)

        self.sending_window_card = SendingWindowCard(services, actor, timezone)
        self.audience_card = AudienceCard(services, actor)
        self.senders_card = SendersCard(services, actor, timezone)
        left.addWidget(self.audience_card)
        left.addWidget(self.sending_window_card)
        self._build_followups(left)
        left.addStretch(1)
        right.addWidget(self.senders_card)
        self._build_provisioning(right)
        self._build_timeline(right)

        # Names the earlier tab had: the cards' widgets, reachable from the tab.
        self.start_date_value = self.sending_window_card.start_date_value
        self.end_date_value = self.sending_window_card.end_date_value
        self.sending_hours_value = self.sending_window_card.sending_hours_value
        self.area_codes_value = self.sending_window_card.area_codes_value
        self.audience_values = self.audience_card.values
        self.threads_label = self.audience_card.threads_label
        self.preloading_value = self.senders_card.preloading_value
        self.self_assign_value = self.senders_card.self_assign_value
        self.invite_link_value = self.senders_card.invite_link_value
        self.senders_model = self.senders_card.senders_model
        self.senders_table = self.senders_card.senders_table

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.timeout.connect(self._on_refresh_timer_timeout)

        self.sending_window_card.window_changed.connect(self.refresh)
        self.senders_card.team_changed.connect(self.refresh)
        self.senders_card.info.connect(self.message_bar.show_info)
        self.senders_card.refused.connect(self.message_bar.show_error)
        self.audience_card.import_started.connect(self._on_audience_card_import_started)
        self.audience_card.import_finished.connect(self._on_audience_card_import_finished)
        self.audience_card.export_finished.connect(self._on_audience_card_export_finished)
        self.audience_card.refused.connect(self.message_bar.show_error)

    # ------------------------------------------------------------------ layout
    def _build_header(self, page: QVBoxLayout) -> None:
        header = QFrame()
        header.setObjectName("details_header")
        header.setProperty("role", "card")
        layout = QVBoxLayout(header)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(8)
        top = QHBoxLayout()
        top.setSpacing(8)
        self.title_label = label(role="title", name="details_title_label")
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top.addWidget(self.title_label)
        top.addSpacing(4)
        self.status_tags = TagStrip("details_status_tags")
        top.addWidget(self.status_tags, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addStretch(1)
        self.details_launch_button = button(
            "Launch",
            "details_launch_button",
            icon_name="launch",
            role="primary",
            tooltip="Launch the Draft (Ctrl+L)",
        )
        self.details_launch_button.setProperty("icon_colour", "#ffffff")
        top.addWidget(self.details_launch_button)
        self.details_edit_button = button(
            "Edit",
            "details_edit_button",
            icon_name="rename",
            tooltip="Change the Draft's title, message, area codes or use case",
        )
        top.addWidget(self.details_edit_button)
        self.details_pause_resume_button = button(
            "Pause", "details_pause_resume_button", icon_name="pause"
        )
        top.addWidget(self.details_pause_resume_button)
        self.clone_and_archive_button = button(
            "Clone and archive",
            "clone_and_archive_button",
            icon_name="clone",
            role="primary",
            tooltip="Create a fresh Draft copy and archive this campaign (C9)",
        )
        self.clone_and_archive_button.setProperty("icon_colour", "#ffffff")
        top.addWidget(self.clone_and_archive_button)
        layout.addLayout(top)

        number = QHBoxLayout()
        number.setSpacing(10)
        self.number_caption = label("Sending number", "caption")
        number.addWidget(self.number_caption)
        self.number_label = label(name="details_number_label")
        self.number_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        number.addWidget(self.number_label)
        self.provisioning_badge = ProvisioningBadge()
        number.addWidget(self.provisioning_badge, 0, Qt.AlignmentFlag.AlignVCenter)
        self.show_number_button = button("Show number", "show_number_button", role="link")
        number.addWidget(self.show_number_button)
        number.addStretch(1)
        self.meta_label = label(role="muted", name="details_meta_label")
        number.addWidget(self.meta_label)
        layout.addLayout(number)
        self.script_label = label(role="muted", name="details_script_label", wrap=True)
        layout.addWidget(self.script_label)
        self._warnings = QVBoxLayout()
        self._warnings.setSpacing(6)
        layout.addLayout(self._warnings)
        page.addWidget(header)
        self.clone_and_archive_button.clicked.connect(self._on_clone_and_archive_button_clicked)
        self.show_number_button.clicked.connect(self._on_show_number_button_clicked)
        self.details_pause_resume_button.clicked.connect(
            self._on_details_pause_resume_button_clicked
        )
        self.details_edit_button.clicked.connect(self._on_details_edit_button_clicked)
        self.details_launch_button.clicked.connect(self._on_details_launch_button_clicked)

    def _build_provisioning(self, column: QVBoxLayout) -> None:
        self.provisioning_card = Card("Provisioning", "provisioning_card")
        self.provisioning_summary = label(role="muted", name="provisioning_summary_label")
        self.provisioning_card.header_actions.addWidget(self.provisioning_summary)
        self.timeline_chart = ProvisioningTimeline()
        self.provisioning_card.body.addWidget(self.timeline_chart)
        self.chart_legend = label(
            "Each bar runs from the start of provisioning to that carrier's answer; a dashed box "
            "is when a pending answer is expected (p50–p90).",
            "hint",
            name="chart_legend_label",
            wrap=True,
        )
        self.provisioning_card.body.addWidget(self.chart_legend)
        column.addWidget(self.provisioning_card)

    def _build_followups(self, column: QVBoxLayout) -> None:
        self.followups_card = Card("Followups", "followups_card")
        self.create_followup_button = button(
            "Create followup…",
            "create_followup_button",
            icon_name="followup",
            tooltip=FOLLOWUP_TIP,
        )
        self.followups_card.header_actions.addWidget(self.create_followup_button)
        self.followups_model: StaticTableModel[FollowupRow] = StaticTableModel(
            [
                Column("Followup", lambda r: r.title, stretch=True, width=200),
                Column(
                    "Status",
                    lambda r: r.status.label,
                    tags=lambda r: status_tags(r.status, ()),
                    width=100,
                ),
                count_column("Contacts", lambda r: r.contact_count, width=80),
                time_column("Expires", lambda r: r.end_at, lambda: self._timezone, width=110),
            ],
            lambda r: r.id,
            self,
        )
        self.followups_table = make_table(self.followups_model, "followups_table", sortable=False)
        self.followups_table.setFixedHeight(32 * 3 + 34)
        self.followups_table.activated.connect(self._on_followups_table_activated)
        self.followups_empty = label(
            "No followups yet. A followup reaches this campaign's contacts on its number, with "
            "no provisioning wait.",
            "hint",
            name="followups_empty_label",
            wrap=True,
        )
        self.followups_card.body.addWidget(self.followups_table)
        self.followups_card.body.addWidget(self.followups_empty)
        column.addWidget(self.followups_card)
        self.create_followup_button.clicked.connect(self._on_create_followup_button_clicked)

    def _build_timeline(self, column: QVBoxLayout) -> None:
        self.timeline_card = Card("Timeline", "timeline_card")
        self.events_model: StaticTableModel[EventRow] = StaticTableModel(
            [
                time_column("When", lambda r: r.at, lambda: self._timezone, width=104),
                Column(
                    "Subject",
                    lambda r: "Number" if r.subject_type == "phone_number" else "Campaign",
                    width=84,
                ),
                Column("What happened", describe_event, stretch=True, width=260),
                Column("By", lambda r: r.actor_label, width=120),
            ],
            lambda r: r.id,
            self,
        )
        self.event_timeline_table = make_table(
            self.events_model, "event_timeline_table", sortable=False
        )
        self.event_timeline_table.setMinimumHeight(160)
        self.timeline_card.body.addWidget(self.event_timeline_table, 1)
        column.addWidget(self.timeline_card, 1)

    # ------------------------------------------------------------------ public
    @property
    def campaign_id(self) -> int | None:
        return self._campaign_id

    @property
    def details(self) -> CampaignDetails | None:
        return self._details

    def set_account(self, actor: Actor, timezone: str) -> None:
        self._actor, self._timezone = actor, timezone
        self.sending_window_card.set_account(actor, timezone)
        self.audience_card.set_account(actor)
        self.senders_card.set_account(actor, timezone)
        self.show_campaign(None)

    def show_campaign(self, campaign_id: int | None) -> None:
        """Show ``campaign_id`` (None: the empty state)."""
        self._campaign_id = campaign_id
        self.message_bar.clear()
        self.refresh()
        if self._details is not None:
            self.campaign_shown.emit(self._details.id)

    def open_launch_dialog(self) -> LaunchDialog | None:
        """The launch dialog for the Draft shown (C2), as the Campaigns tab opens it; None, with
        why in the message bar, when it cannot be launched.
        """
        details = self._details
        if details is None:
            return None
        refusal = details.row.launch_refusal
        if refusal is not None:
            self.message_bar.show_error(refusal)
            return None
        self.message_bar.clear()
        try:
            dialog = LaunchDialog(self._services, self._actor, self._simulator, details.row, self)
        except ThrudeskError as error:
            self.message_bar.show_error(error.message)
            return None
        dialog.campaign_launched.connect(self._on_launch_dialog_campaign_launched)
        dialog.manage_numbers_requested.connect(self.manage_numbers_requested)
        open_beside(dialog)
        return dialog

    def apply_change(self, change: Change) -> None:
        details = self._details
        if details is None:
            return
        if (
            details.id in change.campaign_ids
            or (
                details.row.phone_number_id is not None
                and details.row.phone_number_id in change.number_ids
            )
            or any(f.id in change.campaign_ids for f in details.followups)
            or (change.touches(CAMPAIGNS) and not change.campaign_ids)
            or (change.touches(CONVERSATIONS) and details.id in change.campaign_ids)
            or (change.touches(NUMBERS) and not change.number_ids)
            or change.touches(ACCOUNTS)  # the default batch size, the launching setting
        ):
            self.refresh_soon()

    def tick(self, now: datetime) -> None:
        """Move the chart's "now" while a carrier is still pending."""
        self.timeline_chart.set_now(now)

    def refresh_soon(self) -> None:
        """Read the campaign again: at once when that is quick, else the cheap counters now and
        the full figures after a pause, read off the GUI thread (see the module's notes).
        """
        if self._campaign_id is None:
            return
        if self._refresh_timer.isActive() or self._reading is not None:
            # The full figures are on their way; the counters follow every change meanwhile,
            # so that they never lag behind an import's own report.
            self._refresh_counters()
            if self._reading is not None:
                self._reading_again = True  # once the reading under way has been shown
            return
        delay = self._refresh_delay()
        if delay == 0:
            self.refresh()
            return
        self._refresh_counters()
        self._refresh_timer.start(delay)

    @Slot()
    def refresh(self) -> None:
        """Read the campaign again and show all of it, now."""
        self._refresh_timer.stop()
        self._generation += 1
        if self._campaign_id is None:
            self._details = None
            self._stack.setCurrentIndex(0)
            return
        started = time.perf_counter()
        try:
            reading = read_campaign(self._services, self._actor, self._campaign_id)
        except NotFound:
            self._campaign_id = None
            self._details = None
            self._stack.setCurrentIndex(0)
            return
        self._show_reading(reading)
        self._cost = time.perf_counter() - started

    def refresh_in_background(self) -> None:
        """Read the campaign again on a worker thread and show it when read; a quick reading
        is simply done now.
        """
        campaign_id = self._campaign_id
        if campaign_id is None or self._quick():
            self.refresh()
            return
        self._refresh_timer.stop()
        if self._reading is not None:
            self._reading_again = True
            return
        services, actor = self._services, self._actor

        def work(_progress: Progress, _cancel: threading.Event) -> tuple[CampaignReading, float]:
            started = time.perf_counter()
            return read_campaign(services, actor, campaign_id), time.perf_counter() - started

        task = BackgroundTask("campaign_details_reading", work, self)
        task.setProperty("generation", self._generation)
        queued = Qt.ConnectionType.QueuedConnection
        task.succeeded.connect(self._on_reading_succeeded, queued)
        task.failed.connect(self._on_reading_failed, queued)
        self._reading = task
        self._reading_again = False
        task.start()

    def shutdown(self) -> None:
        """Stop a running import or export (the window is closing)."""
        self._refresh_timer.stop()
        self.audience_card.shutdown()
        if self._reading is not None:
            self._reading.wait(10.0)

    # ------------------------------------------------------------------ reading, cheaply
    def _quick(self) -> bool:
        """Whether reading the campaign is quick enough to do on the window's thread."""
        return self._cost < QUICK_REFRESH_S and self._contacts < BIG_CAMPAIGN

    def _refresh_delay(self) -> int:
        importing = self.audience_card.importing == self._campaign_id
        if not importing and self._quick():
            return 0
        delay = min(MAX_DELAY_MS, max(MIN_DELAY_MS, round(self._cost * 1000 * COST_FACTOR)))
        return max(delay, IMPORT_REFRESH_MS) if importing else delay

    def _show_reading(self, reading: CampaignReading) -> None:
        details = reading.details
        self._details = details
        self._contacts = details.contacts
        self._stack.setCurrentIndex(1)
        self._show_header(details)
        self.sending_window_card.show_window(
            reading.window,
            title=details.title,
            status=details.status,
            area_codes=details.area_codes,
        )
        self.audience_card.show_campaign(details)
        self.audience_card.show_figures(details, reading.summary)
        self.senders_card.show_team(
            reading.team, title=details.title, default_batch_size=reading.default_batch_size
        )
        self._show_provisioning(details, list(reading.events))
        self._show_followups(details)
        self.events_model.set_rows(list(reversed(reading.events)))

    @Slot(object)
    def _on_reading_succeeded(self, outcome: object) -> None:
        task, self._reading = self._reading, None
        again, self._reading_again = self._reading_again, False
        if task is not None:
            current = task.property("generation") == self._generation
            task.deleteLater()
        else:
            current = False
        if not isinstance(outcome, tuple):
            raise TypeError(f"a campaign reading answered {outcome!r}")
        reading, cost = outcome
        assert isinstance(reading, CampaignReading)
        # Shown only if nothing was read since it started, and it is still the campaign shown.
        if current and reading.details.id == self._campaign_id:
            self._show_reading(reading)
            self._cost = float(cost)
        if again:
            self.refresh_soon()

    @Slot(object)
    def _on_reading_failed(self, error: object) -> None:
        task, self._reading = self._reading, None
        self._reading_again = False
        if task is not None:
            task.deleteLater()
        if isinstance(error, NotFound):
            self.refresh()  # gone meanwhile: the empty state, read again on this thread
            return
        if isinstance(error, BaseException):
            raise error
        raise TypeError(f"a campaign reading failed with {error!r}")

    def _refresh_counters(self) -> None:
        """The header and the counters the campaign keeps: a single indexed row to read."""
        if self._campaign_id is None:
            return
        try:
            row = self._services.campaigns.index_row(self._actor, self._campaign_id)
        except NotFound:
            return
        self.status_tags.set_tags(status_tags(row.status, row.flags))
        badge = self.provisioning_badge
        if row.provisioning_status is not None and row.phone_number_id is not None:
            tooltip = badge.toolTip()
            if (
                row.provisioning_status is not badge.status()
                or row.provisioning_status is ProvisioningStatus.INITIATED
            ):
                # Carriers answer while it provisions: the tooltip tells them, never the
                # state before (one row of the number, read with the counters).
                try:
                    number = self._services.numbers.get(self._actor, row.phone_number_id)
                    tooltip = number_tooltip(number, self._simulator, timezone=self._timezone)
                except NotFound:
                    pass  # gone meanwhile: the full reading that follows shows what is left
            badge.set_status(row.provisioning_status, tooltip)
        self.audience_card.show_counters(row.contact_count, row.unassigned_count)
        self._contacts = row.contact_count

    # ------------------------------------------------------------------ sections
    def _show_header(self, details: CampaignDetails) -> None:
        row = details.row
        self.title_label.setText(details.title)
        self.status_tags.set_tags(status_tags(row.status, row.flags))
        if row.phone_e164:
            self.number_label.setText(row.phone_label)
            self.show_number_button.setVisible(row.phone_number_id is not None)
        else:
            self.number_label.setText("No number yet: it is chosen at launch")
            self.show_number_button.hide()
        if row.provisioning_status is not None:
            estimate = provisioning_estimate(
                self._simulator, row.phone_number_id or 0, row.provisioning_status
            )
            self.provisioning_badge.set_status(
                row.provisioning_status,
                badge_tooltip(
                    row.provisioning_status,
                    details.carriers,
                    timezone=self._timezone,
                    estimate=estimate,
                    failure_reason=details.failure_reason,
                ),
            )
        else:
            self.provisioning_badge.set_status(None)
        meta = []
        if row.number_kind is not None:
            meta.append(row.number_kind.label)
        if details.use_case_name:
            meta.append(details.use_case_name)
        if details.parent_title:
            meta.append(f"Followup of “{details.parent_title}”")
        elif details.cloned_from_title:
            meta.append(f"Cloned from “{details.cloned_from_title}”")
        self.meta_label.setText(" · ".join(meta))
        script = details.script.strip()
        self.script_label.setText(f"“{script}”" if script else "No message yet.")
        self.details_launch_button.setVisible(row.launch_refusal is None)
        self.clone_and_archive_button.setVisible(row.clone_and_archive_refusal is None)
        self.details_pause_resume_button.setVisible(row.pause_or_resume_refusal is None)
        show_pause_or_resume(
            self.details_pause_resume_button,
            details.status,
            pause_tip="Pause sending; held and unsent messages wait until it resumes",
            resume_tip="Resume sending: the window opens again and senders go on",
        )
        self.details_edit_button.setVisible(row.edit_refusal is None)
        while self._warnings.count():
            item = self._warnings.takeAt(0)
            if item is not None and (widget := item.widget()) is not None:
                widget.deleteLater()
        for flag in row.flags:
            if flag.kind is CampaignFlagKind.FOLLOWUP:
                continue
            danger = flag.kind in (CampaignFlagKind.PROVISIONING_FAILED, CampaignFlagKind.STUCK)
            text = flag.text
            if flag.kind is CampaignFlagKind.PROVISIONING_FAILED and details.failure_reason:
                text += f": {details.failure_reason}."
            if flag.detail:
                text += f" {flag.detail}"
            warning = Notice(
                "danger" if danger else "warning", f"details_warning_{flag.kind.value}", text
            )
            self._warnings.addWidget(warning)

    def _show_followups(self, details: CampaignDetails) -> None:
        self.followups_model.set_rows(details.followups)
        has_followups = bool(details.followups)
        self.followups_table.setVisible(has_followups)
        self.followups_empty.setVisible(not has_followups)
        original = details.parent_id is None
        self.create_followup_button.setVisible(original)
        offer(
            self.create_followup_button,
            details.row.followup_refusal,
            FOLLOWUP_TIP,
        )
        if not original:
            self.followups_empty.setText(
                f"This is a followup of “{details.parent_title}”; followups are created from the "
                "original campaign."
            )

    def _show_provisioning(self, details: CampaignDetails, events: list[EventRow]) -> None:
        row = details.row
        number_id = row.phone_number_id
        started = provisioning_started_at(events, number_id) if number_id is not None else None
        estimate = provisioning_estimate(self._simulator, number_id or 0, row.provisioning_status)
        self.timeline_chart.set_provisioning(
            started_at=started,
            carriers=details.carriers,
            status=row.provisioning_status,
            now=self._services.clock.now(),
            timezone=details.timezone,
            estimate=estimate,
        )
        if row.provisioning_status is None:
            summary = "No number yet"
        elif row.provisioning_status is ProvisioningStatus.INITIATED:
            confirmed = sum(1 for c in details.carriers if c.status is CarrierCheckStatus.CONFIRMED)
            summary = f"{confirmed} of 3 carriers confirmed"
            if estimate is not None:
                summary += (
                    " · taking longer than usual"
                    if estimate.overdue
                    else f" · {estimate.text} to go"
                )
        elif row.provisioning_status is ProvisioningStatus.COMPLETE and started is not None:
            answered = [c.answered_at for c in details.carriers if c.answered_at]
            took = max(answered) - started if answered else None
            summary = f"Complete in {formatting.duration(took)}" if took else "Complete"
        else:
            summary = row.provisioning_status.label
        self.provisioning_summary.setText(summary)

    # ------------------------------------------------------------------ handlers
    @Slot()
    def _on_refresh_timer_timeout(self) -> None:
        self.refresh_in_background()

    @async_slot()
    async def _on_clone_and_archive_button_clicked(self) -> None:
        details = self._details
        if details is None:
            return
        try:
            copy_title = self._services.campaigns.clone_title(self._actor, details.id)
        except ThrudeskError as error:
            self.message_bar.show_error(error.message)
            return
        accepted = await confirm(
            self,
            "Clone and archive",
            f"Clone “{details.title}” and archive it?",
            "Clone and archive",
            informative=f"A new Draft, “{copy_title}”, gets this campaign's message, contacts, "
            "area codes, use case and Self Assign settings. This campaign is archived for good.",
        )
        if not accepted:
            return
        try:
            copy_id = self._services.campaigns.clone_and_archive(self._actor, details.id)
        except ThrudeskError as error:
            self.message_bar.show_error(error.message)
            return
        self.show_campaign(copy_id)
        copy = self._details
        named = f"“{copy.title}”" if copy is not None and copy.id == copy_id else "the copy"
        self.message_bar.show_info(
            f"“{details.title}” is archived; {named} is a Draft, ready to launch again."
        )

    @Slot()
    def _on_details_pause_resume_button_clicked(self) -> None:
        details = self._details
        if details is None:
            return
        try:
            text = pause_or_resume(
                self._services, self._actor, details.id, details.title, details.status
            )
        except ThrudeskError as error:
            self.message_bar.show_error(error.message)
            return
        self.refresh()
        self.message_bar.show_info(text)

    @Slot()
    def _on_details_edit_button_clicked(self) -> None:
        details = self._details
        if details is None:
            return
        dialog = NewCampaignDialog(self._services, self._actor, self, draft=details)
        dialog.campaign_saved.connect(self._on_edit_dialog_campaign_saved)
        open_beside(dialog)

    @Slot()
    def _on_details_launch_button_clicked(self) -> None:
        self.open_launch_dialog()

    @Slot(object)
    def _on_launch_dialog_campaign_launched(self, row: CampaignIndexRow) -> None:
        self.refresh()
        if row.status is CampaignStatus.LAUNCHING:
            self.message_bar.show_state(
                launched_notice(row),
                lambda: (
                    self._details is not None
                    and self._details.id == row.id
                    and self._details.status is CampaignStatus.LAUNCHING
                ),
            )
            return
        self.message_bar.show_info(launched_notice(row))

    @Slot(int)
    def _on_edit_dialog_campaign_saved(self, _campaign_id: int) -> None:
        self.refresh()
        self.message_bar.show_info("Draft saved.")

    @Slot()
    def _on_create_followup_button_clicked(self) -> None:
        details = self._details
        if details is None:
            return
        dialog = FollowupDialog(self._services, self._actor, details.row, self._timezone, self)
        dialog.followup_created.connect(self._on_followup_dialog_followup_created)
        open_beside(dialog)

    @Slot(int)
    def _on_followup_dialog_followup_created(self, _followup_id: int) -> None:
        self.refresh()
        self.message_bar.show_info("Followup created: it sends on this campaign's number.")

    @Slot()
    def _on_show_number_button_clicked(self) -> None:
        if self._details is not None and self._details.row.phone_number_id is not None:
            self.number_requested.emit(self._details.row.phone_number_id)

    @Slot(QModelIndex)
    def _on_followups_table_activated(self, index: QModelIndex) -> None:
        followup = self.followups_model.row_at(index.row())
        if followup is not None:
            self.campaign_requested.emit(followup.id)

    @Slot(int)
    def _on_audience_card_import_started(self, _campaign_id: int) -> None:
        self.message_bar.clear()

    @Slot(object, str)
    def _on_audience_card_import_finished(self, report: ImportReport, file_name: str) -> None:
        self.message_bar.show_info(f"{file_name}: {report.summary}")
        if report.refused:
            open_beside(ImportReportDialog(report, file_name, self._services, self))
        if report.campaign_id != self._campaign_id:
            return
        # The counters show at once. A big campaign's full figures are read off the window's
        # thread, after a pause: a reading started now would take the interpreter in turns
        # with the window's thread while it lays out and paints the outcome.
        self._refresh_counters()
        if self._quick():
            self.refresh()
        else:
            self._refresh_timer.start(MIN_DELAY_MS)

    @Slot(object)
    def _on_audience_card_export_finished(self, report: ExportReport) -> None:
        if report.cancelled:
            self.message_bar.show_info("Export cancelled: no file was written.")
            return
        self.message_bar.show_info(
            f"Exported {formatting.plural(report.rows, 'contact')} to {Path(report.path)}."
        )
