"""The Campaign Details tab: one campaign's header with its live number badge and warnings, its
sending window, audience, senders, followups and event timeline.

Each section is a :class:`~thrudesk.views.widgets.Card` whose ``header_actions`` row and ``body``
take the controls that come later (add and remove senders, Self Assign and its batch size, the
invite link's Copy and Disable, contact import with its progress bar) without restructuring the
tab.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from thrudesk.services.changes import CAMPAIGNS, CONVERSATIONS, NUMBERS, Change
from thrudesk.services.container import Services
from thrudesk.services.errors import NotFound, ThrudeskError
from thrudesk.services.rows import (
    CampaignDetails,
    CampaignFlagKind,
    Carrier,
    CarrierCheckStatus,
    EventRow,
    FollowupRow,
    NumberKind,
    NumberMode,
    ProvisioningStatus,
    SenderRow,
    SenderSource,
    format_phone,
)
from thrudesk.services.unit_of_work import Actor
from thrudesk.views import formatting
from thrudesk.views.aio import async_slot
from thrudesk.views.badges import ProvisioningBadge, TagStrip, badge_tooltip, status_tags
from thrudesk.views.campaign_dialogs import preferences_text
from thrudesk.views.simulation import SimulationControl
from thrudesk.views.static_model import StaticTableModel
from thrudesk.views.table_model import RIGHT, Column
from thrudesk.views.tables import make_table
from thrudesk.views.timeline_chart import ProvisioningTimeline
from thrudesk.views.widgets import Card, MessageBar, Notice, button, confirm, label

# ------------------------------------------------------------------------------ event wording


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
        text = f"Number {format_phone(e164)} bought in {after.get('area_code', '')}"
        skipped = after.get("skipped")
        if isinstance(skipped, list) and skipped:
            text += f" ({', '.join(map(str, skipped))} had none)"
        return text
    if kind == "number_renamed":
        return f"Number renamed “{after.get('name')}”" if after.get("name") else "Name removed"
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


SOURCE_TEXT = {SenderSource.DIRECT: "Added directly", SenderSource.INVITE_LINK: "Invite link"}


class CampaignDetailsTab(QWidget):
    """The Campaign Details tab.

    Signals:
        campaign_shown(int): the tab now shows this campaign (after Clone and archive too).
        campaign_requested(int): a followup was opened from the list.
        number_requested(int): the admin asked to see the campaign's number.
    """

    campaign_shown = Signal(int)
    campaign_requested = Signal(int)
    number_requested = Signal(int)

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
        grid.setColumnStretch(0, 5)
        grid.setColumnStretch(1, 7)
        page.addLayout(grid, 1)
        left = QVBoxLayout()
        left.setSpacing(12)
        right = QVBoxLayout()
        right.setSpacing(12)
        grid.addLayout(left, 0, 0)
        grid.addLayout(right, 0, 1)
        self._build_sending_window(left)
        self._build_audience(left)
        self._build_senders(left)
        self._build_followups(left)
        left.addStretch(1)
        self._build_provisioning(right)
        self._build_timeline(right)

    # ------------------------------------------------------------------ layout
    def _build_header(self, page: QVBoxLayout) -> None:
        header = QFrame()
        header.setObjectName("details_header")
        header.setProperty("role", "card")
        layout = QVBoxLayout(header)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(8)
        top = QHBoxLayout()
        top.setSpacing(12)
        self.title_label = label(role="title", name="details_title_label")
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top.addWidget(self.title_label)
        self.status_tags = TagStrip("details_status_tags")
        top.addWidget(self.status_tags, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addStretch(1)
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
        self.script_label = label(role="muted", name="details_script_label")
        self.script_label.setWordWrap(True)
        layout.addWidget(self.script_label)
        self._warnings = QVBoxLayout()
        self._warnings.setSpacing(6)
        layout.addLayout(self._warnings)
        page.addWidget(header)
        self.clone_and_archive_button.clicked.connect(self._on_clone_and_archive_button_clicked)
        self.show_number_button.clicked.connect(self._on_show_number_button_clicked)

    def _value_grid(self, card: Card, rows: list[tuple[str, str]]) -> dict[str, QLabel]:
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(6)
        grid.setColumnStretch(1, 1)
        values: dict[str, QLabel] = {}
        for position, (caption, name) in enumerate(rows):
            grid.addWidget(label(caption, "caption"), position, 0)
            value = label(name=name)
            value.setWordWrap(True)
            grid.addWidget(value, position, 1)
            values[name] = value
        card.body.addLayout(grid)
        return values

    def _build_sending_window(self, column: QVBoxLayout) -> None:
        self.sending_window_card = Card("Sending window", "sending_window_card")
        values = self._value_grid(
            self.sending_window_card,
            [
                ("Start date", "start_date_value"),
                ("End date", "end_date_value"),
                ("Sending hours", "sending_hours_value"),
                ("Area codes", "area_codes_value"),
            ],
        )
        self.start_date_value = values["start_date_value"]
        self.end_date_value = values["end_date_value"]
        self.sending_hours_value = values["sending_hours_value"]
        self.area_codes_value = values["area_codes_value"]
        column.addWidget(self.sending_window_card)

    def _build_audience(self, column: QVBoxLayout) -> None:
        self.audience_card = Card("Audience", "audience_card")
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(10)
        self.audience_values: dict[str, QLabel] = {}
        figures = [
            ("contacts", "Contacts"),
            ("unassigned", "Unassigned"),
            ("assigned", "Assigned"),
            ("sent", "Sent"),
            ("delivered", "Delivered"),
            ("at_risk", "At risk"),
            ("opted_out", "Opted out"),
            ("continued_threads", "Threads continued"),
        ]
        for position, (key, caption) in enumerate(figures):
            cell = QVBoxLayout()
            cell.setSpacing(0)
            value = label("0", "figure", name=f"audience_{key}_value")
            cell.addWidget(value)
            cell.addWidget(label(caption, "caption"))
            grid.addLayout(cell, position // 4, position % 4)
            self.audience_values[key] = value
        self.audience_card.body.addLayout(grid)
        self.threads_label = label(role="hint", name="threads_label")
        self.threads_label.setWordWrap(True)
        self.audience_card.body.addWidget(self.threads_label)
        column.addWidget(self.audience_card)

    def _build_senders(self, column: QVBoxLayout) -> None:
        self.senders_card = Card("Senders", "senders_card")
        values = self._value_grid(
            self.senders_card,
            [
                ("Pre-loading", "preloading_value"),
                ("Self Assign", "self_assign_value"),
                ("Invite link", "invite_link_value"),
            ],
        )
        self.preloading_value = values["preloading_value"]
        self.self_assign_value = values["self_assign_value"]
        self.invite_link_value = values["invite_link_value"]
        self.senders_model: StaticTableModel[SenderRow] = StaticTableModel(
            [
                Column("Sender", lambda r: r.name, stretch=True, width=150),
                Column("Joined", lambda r: SOURCE_TEXT.get(r.source, str(r.source)), width=110),
                Column("Assigned", lambda r: formatting.count(r.assigned), align=RIGHT, width=80),
                Column(
                    "Added",
                    lambda r: formatting.short_date_time(r.added_at, self._timezone),
                    width=104,
                ),
            ],
            lambda r: r.user_id,
            self,
        )
        self.senders_table = make_table(self.senders_model, "senders_table", sortable=False)
        self.senders_table.setFixedHeight(32 * 3 + 34)
        self.senders_card.body.addWidget(self.senders_table)
        column.addWidget(self.senders_card)

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
        )
        self.chart_legend.setWordWrap(True)
        self.provisioning_card.body.addWidget(self.chart_legend)
        column.addWidget(self.provisioning_card)

    def _build_followups(self, column: QVBoxLayout) -> None:
        self.followups_card = Card("Followups", "followups_card")
        self.followups_model: StaticTableModel[FollowupRow] = StaticTableModel(
            [
                Column("Followup", lambda r: r.title, stretch=True, width=200),
                Column(
                    "Status",
                    lambda r: r.status.label,
                    tags=lambda r: status_tags(r.status, ()),
                    width=100,
                ),
                Column(
                    "Contacts", lambda r: formatting.count(r.contact_count), align=RIGHT, width=80
                ),
                Column(
                    "Expires",
                    lambda r: formatting.short_date_time(r.end_at, self._timezone),
                    width=110,
                ),
            ],
            lambda r: r.id,
            self,
        )
        self.followups_table = make_table(self.followups_model, "followups_table", sortable=False)
        self.followups_table.setFixedHeight(32 * 3 + 34)
        self.followups_table.activated.connect(self._on_followups_table_activated)
        self.followups_empty = label(
            "No followups yet. Create one from the Campaigns tab: it reaches this campaign's "
            "contacts on its number, with no provisioning wait.",
            "hint",
            name="followups_empty_label",
        )
        self.followups_empty.setWordWrap(True)
        self.followups_card.body.addWidget(self.followups_table)
        self.followups_card.body.addWidget(self.followups_empty)
        column.addWidget(self.followups_card)

    def _build_timeline(self, column: QVBoxLayout) -> None:
        self.timeline_card = Card("Timeline", "timeline_card")
        self.events_model: StaticTableModel[EventRow] = StaticTableModel(
            [
                Column(
                    "When",
                    lambda r: formatting.short_date_time(r.at, self._timezone),
                    width=104,
                ),
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
        self.event_timeline_table.setMinimumHeight(120)
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
        self.show_campaign(None)

    def show_campaign(self, campaign_id: int | None) -> None:
        """Show ``campaign_id`` (None: the empty state)."""
        self._campaign_id = campaign_id
        self.message_bar.clear()
        self.refresh()
        if self._details is not None:
            self.campaign_shown.emit(self._details.id)

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
        ):
            self.refresh()

    def tick(self, now: datetime) -> None:
        """Move the chart's "now" while a carrier is still pending."""
        self.timeline_chart.set_now(now)

    def refresh(self) -> None:
        """Read the campaign again and show it (live updates call this)."""
        if self._campaign_id is None:
            self._details = None
            self._stack.setCurrentIndex(0)
            return
        try:
            details = self._services.campaigns.details(self._actor, self._campaign_id)
            events = self._services.events.for_campaign(self._actor, self._campaign_id)
        except NotFound:
            self._campaign_id = None
            self._details = None
            self._stack.setCurrentIndex(0)
            return
        self._details = details
        self._stack.setCurrentIndex(1)
        self._show_header(details)
        self._show_sending_window(details)
        self._show_audience(details)
        self._show_senders(details)
        self._show_provisioning(details, events)
        self.followups_model.set_rows(details.followups)
        has_followups = bool(details.followups)
        self.followups_table.setVisible(has_followups)
        self.followups_empty.setVisible(not has_followups)
        if details.parent_id is not None:
            self.followups_empty.setText(
                f"This is a followup of “{details.parent_title}”; followups are created from the "
                "original campaign."
            )
        self.events_model.set_rows(list(reversed(events)))

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
            estimate = None
            if row.provisioning_status is ProvisioningStatus.INITIATED and self._simulator:
                estimate = self._simulator.number_estimate(row.phone_number_id or 0)
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
        self.clone_and_archive_button.setVisible(details.can_clone_and_archive)
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

    def _show_sending_window(self, details: CampaignDetails) -> None:
        tz = details.timezone
        self.start_date_value.setText(
            formatting.date_time(details.row.start_at, tz, year=True)
            if details.row.start_at
            else "Now, when the campaign launches"
        )
        self.end_date_value.setText(
            formatting.date_time(details.end_at, tz, year=True) if details.end_at else "None"
        )
        self.sending_hours_value.setText(
            f"{details.sending_hours_start:%H:%M}–{details.sending_hours_end:%H:%M} ({tz})"
        )
        self.area_codes_value.setText(preferences_text(details.area_codes))

    def _show_audience(self, details: CampaignDetails) -> None:
        for key, value in self.audience_values.items():
            value.setText(formatting.count(int(getattr(details, key))))
        if details.row.number_kind is NumberKind.DEDICATED:
            self.threads_label.setText(
                f"{formatting.plural(details.continued_threads, 'contact')} continue a thread "
                "texted earlier from this dedicated number."
            )
        else:
            self.threads_label.setText(
                "Threads continue across campaigns only on a dedicated number."
            )

    def _show_senders(self, details: CampaignDetails) -> None:
        senders = len(details.senders)
        if senders == 0:
            self.preloading_value.setText(
                f"No senders yet: all {formatting.count(details.unassigned)} conversations are "
                "Unassigned. Senders can be added once the campaign is Active."
            )
        else:
            self.preloading_value.setText(
                f"{formatting.plural(senders, 'sender')}; "
                f"{formatting.count(details.unassigned)} conversations Unassigned"
            )
        self.self_assign_value.setText(
            f"On, batches of {formatting.count(details.batch_size)}"
            if details.self_assign
            else f"Off (batch size {formatting.count(details.batch_size)} when switched on)"
        )
        self.invite_link_value.setText(
            "Enabled" if details.invite_token else "None (exists only while Self Assign is on)"
        )
        self.senders_model.set_rows(details.senders)
        # Pre-loading (C12) says it in words; an empty table would only take room.
        self.senders_table.setVisible(bool(details.senders))

    def _show_provisioning(self, details: CampaignDetails, events: list[EventRow]) -> None:
        row = details.row
        number_id = row.phone_number_id
        started = provisioning_started_at(events, number_id) if number_id is not None else None
        estimate = None
        if row.provisioning_status is ProvisioningStatus.INITIATED and self._simulator:
            estimate = self._simulator.number_estimate(number_id or 0)
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
    @async_slot
    async def _on_clone_and_archive_button_clicked(self) -> None:
        details = self._details
        if details is None:
            return
        accepted = await confirm(
            self,
            "Clone and archive",
            f"Clone “{details.title}” and archive it?",
            "Clone and archive",
            informative="A new Draft copy keeps the title, message, contacts, area codes, use "
            "case and Self Assign settings. This campaign is archived for good.",
        )
        if not accepted:
            return
        try:
            copy_id = self._services.campaigns.clone_and_archive(self._actor, details.id)
        except ThrudeskError as error:
            self.message_bar.show_error(error.message)
            return
        self.show_campaign(copy_id)
        self.message_bar.show_info(
            f"“{details.title}” is archived; this Draft copy is ready to launch again."
        )

    def _on_show_number_button_clicked(self) -> None:
        if self._details is not None and self._details.row.phone_number_id is not None:
            self.number_requested.emit(self._details.row.phone_number_id)

    def _on_followups_table_activated(self, index: QModelIndex) -> None:
        followup = self.followups_model.row_at(index.row())
        if followup is not None:
            self.campaign_requested.emit(followup.id)
