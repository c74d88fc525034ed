"""Campaign Details, Senders (C12–C15): who sends, added directly or through the invite link;
Self Assign and its batch size; the invite link with Copy Link and Disable.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from thrudesk.services import campaign_rules
from thrudesk.services.accounts import BATCH_SIZE_MAX, BATCH_SIZE_MIN
from thrudesk.services.container import Services
from thrudesk.services.errors import ThrudeskError
from thrudesk.services.rows import Role, SenderRow, SenderSource
from thrudesk.services.senders import TeamRow
from thrudesk.services.unit_of_work import Actor
from thrudesk.views import formatting
from thrudesk.views.aio import async_slot
from thrudesk.views.inputs import batch_size_from_text
from thrudesk.views.static_model import StaticTableModel
from thrudesk.views.table_model import Column, count_column, time_column
from thrudesk.views.tables import make_table, selected_position
from thrudesk.views.teamwork_dialogs import AddSendersDialog
from thrudesk.views.widgets import (
    Card,
    ElidedLabel,
    FieldErrors,
    button,
    confirm,
    label,
    open_beside,
    set_role,
)

SOURCE_TEXT = {SenderSource.DIRECT: "Added directly", SenderSource.INVITE_LINK: "Invite link"}
COPIED_SHOWN_MS = 2500
VISIBLE_SENDER_ROWS = 4


def preloading_text(team: TeamRow) -> str:
    """C12: whether the campaign waits for senders, in words."""
    unassigned = formatting.count(team.unassigned)
    if team.preloaded:
        return (
            f"Pre-loaded: no senders yet, all {unassigned} conversations wait Unassigned. Add "
            "senders, or switch Self Assign on and share the invite link."
        )
    if not team.senders:
        return "No senders yet. Senders can be added in Draft and at any time until archived."
    return (
        f"{formatting.plural(len(team.senders), 'sender')}; {unassigned} conversations Unassigned"
    )


class SendersCard(Card):
    """The team of one campaign, and how conversations reach it.

    Signals:
        team_changed(): the admin changed the team (the tab reads the campaign again).
        info(str): a confirmation to show in the tab's message bar.
        refused(str): a refusal that belongs to no control of the card.
    """

    team_changed = Signal()
    info = Signal(str)
    refused = Signal(str)

    def __init__(
        self, services: Services, actor: Actor, timezone: str, parent: QWidget | None = None
    ) -> None:
        super().__init__("Senders", "senders_card", parent)
        self._services = services
        self._actor = actor
        self._timezone = timezone
        self._campaign_id: int | None = None
        self._title = ""
        # Whether the campaign shown can still change (not archived: campaign_rules).
        self._changeable = False
        self._team: TeamRow | None = None

        self.add_senders_button = button(
            "Add senders…",
            "add_senders_button",
            icon_name="add",
            tooltip="Add senders of the account; the Unassigned conversations are split evenly",
        )
        self.remove_sender_button = button(
            "Remove",
            "remove_sender_button",
            icon_name="delete",
            tooltip="Remove the selected sender; their unsent conversations return to Unassigned",
        )
        self.header_actions.addWidget(self.add_senders_button)
        self.header_actions.addWidget(self.remove_sender_button)

        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(6)
        grid.setColumnStretch(1, 1)

        self.preloading_value = label(name="preloading_value", wrap=True)

        # Self Assign: the switch, the batch size, and what they mean together.
        self_assign = QWidget()
        self_assign_column = QVBoxLayout(self_assign)
        self_assign_column.setContentsMargins(0, 0, 0, 0)
        self_assign_column.setSpacing(3)
        switch_row = QHBoxLayout()
        switch_row.setSpacing(8)
        self.self_assign_check = QCheckBox("On")
        self.self_assign_check.setObjectName("self_assign_check")
        switch_row.addWidget(self.self_assign_check)
        switch_row.addSpacing(10)
        switch_row.addWidget(label("Batch size", "caption"))
        self.batch_size_edit = QLineEdit()
        self.batch_size_edit.setObjectName("batch_size_edit")
        self.batch_size_edit.setFixedWidth(150)
        self.batch_size_edit.setToolTip(
            f"{BATCH_SIZE_MIN} to {BATCH_SIZE_MAX} conversations per request; leave empty for "
            "the account default"
        )
        switch_row.addWidget(self.batch_size_edit)
        self.set_batch_size_button = button("Set", "set_batch_size_button")
        self.set_batch_size_button.setAutoDefault(False)
        switch_row.addWidget(self.set_batch_size_button)
        switch_row.addStretch(1)
        self_assign_column.addLayout(switch_row)
        self.self_assign_value = label(role="hint", name="self_assign_value", wrap=True)
        self_assign_column.addWidget(self.self_assign_value)
        # Refusals beside what they refuse; others go to the tab's message bar.
        self.errors = FieldErrors(self.refused.emit)
        self.self_assign_error = self.errors.add("self_assign", self.self_assign_check)
        self.batch_size_error = self.errors.add("batch_size", self.batch_size_edit)
        self_assign_column.addWidget(self.self_assign_error)
        self_assign_column.addWidget(self.batch_size_error)

        # The invite link: its URL, Copy Link, Disable (or Enable when Self Assign is on).
        invite = QWidget()
        invite_column = QVBoxLayout(invite)
        invite_column.setContentsMargins(0, 0, 0, 0)
        invite_column.setSpacing(3)
        link_row = QHBoxLayout()
        link_row.setSpacing(6)
        self.invite_link_value = ElidedLabel()
        self.invite_link_value.setObjectName("invite_link_value")
        self.invite_link_value.setMinimumWidth(120)
        link_row.addWidget(self.invite_link_value, 1)
        # "Copied" goes on a line of its own under the link, its room kept while it is hidden:
        # the link keeps its width and nothing below moves when it shows.
        self.link_copied_label = label("Copied", "hint", name="link_copied_label")
        retained = self.link_copied_label.sizePolicy()
        retained.setRetainSizeWhenHidden(True)
        self.link_copied_label.setSizePolicy(retained)
        self.link_copied_label.hide()
        self.copy_link_button = button(
            "Copy link", "copy_link_button", icon_name="clone", tooltip="Copy the invite link"
        )
        self.disable_link_button = button(
            "Disable",
            "disable_link_button",
            tooltip="Disable this link for good; anyone following it is refused",
        )
        self.enable_link_button = button(
            "Enable",
            "enable_link_button",
            tooltip="Make a new invite link, with a new token",
        )
        for action in (self.copy_link_button, self.disable_link_button, self.enable_link_button):
            action.setAutoDefault(False)
            link_row.addWidget(action)
        invite_column.addLayout(link_row)
        invite_column.addWidget(self.link_copied_label)
        self.invite_link_error = self.errors.add("invite_link", self.invite_link_value)
        invite_column.addWidget(self.invite_link_error)

        rows: list[tuple[str, QWidget]] = [
            ("Pre-loading", self.preloading_value),
            ("Self Assign", self_assign),
            ("Invite link", invite),
        ]
        captions = []
        for position, (caption, widget) in enumerate(rows):
            caption_label = label(caption, "caption")
            caption_label.setContentsMargins(0, 5 if position else 0, 0, 0)
            grid.addWidget(caption_label, position, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(widget, position, 1)
            captions.append(caption_label)
        self.preloading_caption = captions[0]
        self.body.addLayout(grid)

        self.senders_model: StaticTableModel[SenderRow] = StaticTableModel(
            [
                Column("Sender", lambda r: r.name, stretch=True, width=150),
                Column("Joined", lambda r: SOURCE_TEXT.get(r.source, str(r.source)), width=110),
                count_column("Assigned", lambda r: r.assigned, width=80),
                time_column("Added", lambda r: r.added_at, lambda: self._timezone, width=104),
            ],
            lambda r: r.user_id,
            self,
        )
        self.senders_table = make_table(self.senders_model, "senders_table", sortable=False)
        self.body.addWidget(self.senders_table)
        self.senders_error = self.errors.add("senders", self.senders_table)
        self.body.addWidget(self.senders_error)

        self._copied_timer = QTimer(self)
        self._copied_timer.setSingleShot(True)
        self._copied_timer.setInterval(COPIED_SHOWN_MS)
        self._copied_timer.timeout.connect(self.link_copied_label.hide)

        self.add_senders_button.clicked.connect(self._on_add_senders_button_clicked)
        self.remove_sender_button.clicked.connect(self._on_remove_sender_button_clicked)
        self.self_assign_check.clicked.connect(self._on_self_assign_check_clicked)
        self.set_batch_size_button.clicked.connect(self._on_set_batch_size_button_clicked)
        self.batch_size_edit.returnPressed.connect(self._on_set_batch_size_button_clicked)
        self.copy_link_button.clicked.connect(self._on_copy_link_button_clicked)
        self.disable_link_button.clicked.connect(self._on_disable_link_button_clicked)
        self.enable_link_button.clicked.connect(self._on_enable_link_button_clicked)
        self.senders_table.selectionModel().selectionChanged.connect(self._update_actions)
        self.senders_model.modelReset.connect(self._update_actions)

    # ------------------------------------------------------------------ public
    @property
    def team(self) -> TeamRow | None:
        return self._team

    def set_account(self, actor: Actor, timezone: str) -> None:
        self._actor, self._timezone = actor, timezone

    def show_team(self, team: TeamRow, *, title: str, default_batch_size: int) -> None:
        """Show the campaign's team; switching campaign clears the card's refusals."""
        if team.campaign_id != self._campaign_id:
            self._clear_errors()
            self.link_copied_label.hide()
        self._campaign_id = team.campaign_id
        self._title = title
        self._team = team
        self._changeable = campaign_rules.change_refusal(title, team.status) is None
        archived = not self._changeable
        self.preloading_value.setText(preloading_text(team))
        # C12 names the state while nobody sends yet; then the row just counts the team.
        self.preloading_caption.setText("Pre-loading" if not team.senders else "Team")

        self.self_assign_check.setChecked(team.self_assign)
        self.self_assign_check.setEnabled(team.self_assign_switchable)
        self.self_assign_check.setToolTip(
            "Senders of the campaign request batches of conversations themselves"
            if team.self_assign_switchable
            else f"Self Assign can be switched in Draft or Active; this campaign is "
            f"{team.status.label}."
        )
        if not self.batch_size_edit.hasFocus():
            self.batch_size_edit.setText("" if team.batch_size_is_default else str(team.batch_size))
        placeholder = f"{formatting.count(default_batch_size)} (account default)"
        self.batch_size_edit.setPlaceholderText(placeholder)
        # As wide as its placeholder in the desktop's font, the frame and padding around it.
        width = max(self.batch_size_edit.fontMetrics().horizontalAdvance(placeholder) + 28, 150)
        if self.batch_size_edit.minimumWidth() != width:
            self.batch_size_edit.setFixedWidth(width)
        self.batch_size_edit.setEnabled(not archived)
        self.set_batch_size_button.setEnabled(not archived)
        size = formatting.count(team.batch_size)
        default = " (the account default)" if team.batch_size_is_default else ""
        self.self_assign_value.setText(
            f"Each request gives a sender up to {size} Unassigned conversations{default}."
            if team.self_assign
            else f"Off: the admin assigns conversations. Batches of {size}{default} once on."
        )

        invite = team.invite
        self.invite_link_value.setText(
            invite.url
            if invite
            else (
                "Disabled. Enable makes a new link."
                if team.self_assign
                else "None: the link exists only while Self Assign is on."
            )
        )
        self.invite_link_value.setToolTip(invite.url if invite else "")
        set_role(self.invite_link_value, "" if invite else "muted")
        self.copy_link_button.setVisible(invite is not None)
        self.disable_link_button.setVisible(invite is not None and not archived)
        self.enable_link_button.setVisible(invite is None and team.self_assign and not archived)
        if invite is None:
            self.link_copied_label.hide()

        self.senders_model.set_rows(team.senders)
        shown = max(1, min(VISIBLE_SENDER_ROWS, len(team.senders)))
        self.senders_table.setFixedHeight(32 * shown + 34)
        self.senders_table.setVisible(bool(team.senders))
        self.add_senders_button.setEnabled(not archived)
        self._update_actions()

    def selected_sender(self) -> SenderRow | None:
        position = selected_position(self.senders_table)
        return self.senders_model.row_at(position) if position is not None else None

    # ------------------------------------------------------------------ helpers
    def _clear_errors(self) -> None:
        self.errors.clear()

    def _refuse(self, error: ThrudeskError) -> None:
        """Show a refusal beside the control its field names, else in the tab's message bar."""
        self.errors.show(error)

    @Slot()
    def _update_actions(self) -> None:
        self.remove_sender_button.setEnabled(
            self._changeable
            and self.selected_sender() is not None
            and self._campaign_id is not None
        )

    # ------------------------------------------------------------------ handlers
    @Slot()
    def _on_add_senders_button_clicked(self) -> None:
        team = self._team
        if team is None or self._campaign_id is None:
            return
        self._clear_errors()
        on_campaign = {sender.user_id for sender in team.senders}
        choices = [
            user
            for user in self._services.accounts.users(self._actor, Role.SENDER)
            if user.id not in on_campaign
        ]
        dialog = AddSendersDialog(
            self._services,
            self._actor,
            self._campaign_id,
            self._title,
            choices,
            team.unassigned,
            self,
        )
        dialog.senders_added.connect(self._on_add_senders_dialog_senders_added)
        open_beside(dialog)

    @Slot(object)
    def _on_add_senders_dialog_senders_added(self, team: TeamRow) -> None:
        before = {sender.user_id for sender in self._team.senders} if self._team else set()
        added = [sender for sender in team.senders if sender.user_id not in before]
        shares = ", ".join(f"{s.name} {formatting.count(s.assigned)}" for s in added)
        self.info.emit(
            f"{formatting.plural(len(added), 'sender')} added; conversations assigned: {shares}."
        )
        self.team_changed.emit()

    @async_slot()
    async def _on_remove_sender_button_clicked(self) -> None:
        sender = self.selected_sender()
        campaign_id = self._campaign_id
        if sender is None or campaign_id is None:
            return
        self._clear_errors()
        accepted = await confirm(
            self,
            "Remove sender",
            f"Remove {sender.name} from “{self._title}”?",
            "Remove",
            informative="Their unsent conversations return to Unassigned; what they already "
            "sent stays theirs in the results.",
        )
        if not accepted:
            return
        before = self._team.unassigned if self._team else 0
        try:
            team = self._services.senders.remove(self._actor, campaign_id, sender.user_id)
        except ThrudeskError as error:
            self._refuse(error)
            return
        returned = max(0, team.unassigned - before)
        self.info.emit(
            f"{sender.name} removed; {formatting.plural(returned, 'conversation')} returned to "
            "Unassigned."
        )
        self.team_changed.emit()

    @Slot(bool)
    def _on_self_assign_check_clicked(self, checked: bool) -> None:
        campaign_id = self._campaign_id
        if campaign_id is None:
            return
        self._clear_errors()
        try:
            self._services.senders.set_self_assign(self._actor, campaign_id, checked)
        except ThrudeskError as error:
            self.self_assign_check.setChecked(not checked)
            self._refuse(error)
            return
        self.team_changed.emit()

    @Slot()
    def _on_set_batch_size_button_clicked(self) -> None:
        campaign_id = self._campaign_id
        if campaign_id is None:
            return
        self._clear_errors()
        try:
            size = batch_size_from_text(self.batch_size_edit.text())
            self._services.senders.set_batch_size(self._actor, campaign_id, size)
        except ThrudeskError as error:
            self._refuse(error)
            return
        self.batch_size_edit.clearFocus()
        self.team_changed.emit()

    @Slot()
    def _on_copy_link_button_clicked(self) -> None:
        team = self._team
        if team is None or team.invite is None:
            return
        QGuiApplication.clipboard().setText(team.invite.url)
        self.link_copied_label.setText("Copied to the clipboard")
        self.link_copied_label.show()
        self._copied_timer.start()

    @async_slot()
    async def _on_disable_link_button_clicked(self) -> None:
        campaign_id = self._campaign_id
        if campaign_id is None:
            return
        self._clear_errors()
        accepted = await confirm(
            self,
            "Disable invite link",
            f"Disable the invite link of “{self._title}”?",
            "Disable link",
            informative="Disabling is permanent: anyone following this link from now on is "
            "refused. Enable makes a new link with a new token, to share again.",
        )
        if not accepted:
            return
        try:
            self._services.senders.disable_invite_link(self._actor, campaign_id)
        except ThrudeskError as error:
            self._refuse(error)
            return
        self.info.emit("Invite link disabled for good; Enable makes a new one.")
        self.team_changed.emit()

    @Slot()
    def _on_enable_link_button_clicked(self) -> None:
        campaign_id = self._campaign_id
        if campaign_id is None:
            return
        self._clear_errors()
        try:
            self._services.senders.enable_invite_link(self._actor, campaign_id)
        except ThrudeskError as error:
            self._refuse(error)
            return
        self.info.emit("A new invite link is enabled; the old one stays refused.")
        self.team_changed.emit()
