"""Create Followup (C8): title, message, expiry, and targeting that leaves contacts out of the
original's list: by reply, by a field's value, and by hand. Opted-out contacts are always left
out (M3); the audience count follows every change.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from thrudesk.services.campaigns import FollowupTargeting
from thrudesk.services.contacts import ConversationRow
from thrudesk.services.container import Services
from thrudesk.services.errors import InvalidInput, ThrudeskError
from thrudesk.services.rows import CampaignIndexRow
from thrudesk.services.unit_of_work import Actor
from thrudesk.views import formatting
from thrudesk.views.background import BIG_CAMPAIGN, BackgroundTask, Progress
from thrudesk.views.form_dialog import FormDialog
from thrudesk.views.inputs import date_time_edit, local_date_time, set_local_date_time
from thrudesk.views.roles import ID_ROLE, ROW_ROLE
from thrudesk.views.tables import plain_table
from thrudesk.views.widgets import Notice, button, label, open_at_width

AnyIndex = QModelIndex | QPersistentModelIndex

TARGETING = (
    ("Every contact of the campaign", None),
    ("Only contacts who replied", True),
    ("Only contacts who did not reply", False),
)
AUDIENCE_DELAY_MS = 150
FILTER_DELAY_MS = 250
CHOICES_PAGE = 200


def reply_text(row: ConversationRow) -> str:
    if row.opted_out:
        return "Opted out"
    if row.reply_text:
        return f"Replied: {row.reply_text}"
    return row.message_state.label


class ContactChoiceModel(QAbstractTableModel):
    """The campaign's contacts, searchable and loaded a page at a time, each with a check box
    that leaves it out of the followup. Opted-out contacts are shown, never checkable: they are
    always left out.

    Signals:
        excluded_changed(): the contacts left out by hand changed.
    """

    excluded_changed = Signal()

    COLUMNS = ("Leave out", "Phone", "Name", "Reply")

    def __init__(
        self,
        services: Services,
        actor: Actor,
        campaign_id: int,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._actor = actor
        self._campaign_id = campaign_id
        self._rows: list[ConversationRow] = []
        self._total = 0
        self._text = ""
        self.excluded: set[int] = set()

    # ------------------------------------------------------------------ loading
    def set_filter(self, text: str) -> None:
        """Show the contacts whose phone or names match ``text`` (the choices made are kept)."""
        self._text = text
        self.reload()

    def reload(self) -> None:
        page = self._services.contacts.conversations(
            self._actor, self._campaign_id, text_filter=self._text, limit=CHOICES_PAGE
        )
        self.beginResetModel()
        self._rows = list(page.rows)
        self._total = page.total
        self.endResetModel()

    @property
    def total(self) -> int:
        return self._total

    def canFetchMore(self, parent: AnyIndex) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: AnyIndex) -> None:
        if not self.canFetchMore(parent):
            return
        page = self._services.contacts.conversations(
            self._actor,
            self._campaign_id,
            text_filter=self._text,
            offset=len(self._rows),
            limit=CHOICES_PAGE,
        )
        known = {row.id for row in self._rows}
        fresh = [row for row in page.rows if row.id not in known]
        if not fresh:
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
        self._rows.extend(fresh)
        self.endInsertRows()

    # ------------------------------------------------------------------ choices
    def row_at(self, position: int) -> ConversationRow | None:
        return self._rows[position] if 0 <= position < len(self._rows) else None

    def set_excluded(self, contact_id: int, excluded: bool) -> None:
        if excluded == (contact_id in self.excluded):
            return
        if excluded:
            self.excluded.add(contact_id)
        else:
            self.excluded.discard(contact_id)
        for position, row in enumerate(self._rows):
            if row.contact_id == contact_id:
                index = self.index(position, 0)
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.excluded_changed.emit()

    @Slot()
    def clear_excluded(self) -> None:
        if not self.excluded:
            return
        self.excluded.clear()
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self._rows) - 1, 0),
                [Qt.ItemDataRole.CheckStateRole],
            )
        self.excluded_changed.emit()

    # ------------------------------------------------------------------ Qt model interface
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid() or index.row() >= len(self._rows):
            return Qt.ItemFlag.NoItemFlags
        row = self._rows[index.row()]
        flags = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
        if row.opted_out:
            return flags  # always left out: shown, not enabled
        flags |= Qt.ItemFlag.ItemIsEnabled
        if index.column() == 0:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.CheckStateRole and column == 0:
            left_out = row.opted_out or row.contact_id in self.excluded
            return Qt.CheckState.Checked if left_out else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 1:
                return row.display_phone
            if column == 2:
                return f"{row.first_name} {row.last_name}".strip() or "—"
            if column == 3:
                return reply_text(row)
            return None
        if role == ID_ROLE:
            return row.contact_id
        if role == ROW_ROLE:
            return row
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            role != Qt.ItemDataRole.CheckStateRole
            or not index.isValid()
            or index.column() != 0
            or index.row() >= len(self._rows)
        ):
            return False
        row = self._rows[index.row()]
        if row.opted_out:
            return False
        checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value)
        self.set_excluded(row.contact_id, checked)
        return True

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.COLUMNS)
        ):
            return self.COLUMNS[section]
        return None


class FollowupDialog(FormDialog):
    """C8: a followup on the campaign's number, to its contacts minus the chosen targeting.

    Signals:
        followup_created(int): the new followup's id.
    """

    followup_created = Signal(int)

    def __init__(
        self,
        services: Services,
        actor: Actor,
        campaign: CampaignIndexRow,
        timezone: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            f"Create followup for {campaign.title}", "followup_dialog", "Create followup", parent
        )
        self._services = services
        self._actor = actor
        self._campaign = campaign
        self._timezone = timezone
        self._field_rules: dict[str, str] = {}
        self._counting: BackgroundTask | None = None
        self._count_again = False
        self.set_intro(
            "A followup sends on this campaign's number, so it needs no provisioning, and reaches "
            "only this campaign's contacts: targeting leaves some of them out."
        )
        self.title_edit = QLineEdit(f"{campaign.title}: followup")
        self.title_edit.setObjectName("title_edit")
        self.add_field("Title", self.title_edit, "title")
        self.message_edit = QPlainTextEdit()
        self.message_edit.setTabChangesFocus(True)  # Tab moves on, as in every other field
        self.message_edit.setObjectName("message_edit")
        self.message_edit.setFixedHeight(72)
        self.message_edit.setPlaceholderText("Hi {first_name}, one more thing…")
        self.add_field("Message", self.message_edit, "message")
        self.expires_edit = date_time_edit("expires_edit")
        self.expires_edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        default = formatting.local(services.clock.now() + timedelta(days=2), timezone)
        set_local_date_time(self.expires_edit, default.replace(minute=0), timezone)
        self.add_field(
            "Expires",
            self.expires_edit,
            "expires_at",
            hint=f"In the account's time zone ({timezone}).",
        )

        # ---- targeting: replies
        self.targeting_combo = QComboBox()
        self.targeting_combo.setObjectName("targeting_combo")
        self.targeting_combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        for text, _replied in TARGETING:
            self.targeting_combo.addItem(text)
        self.add_field("Replies", self.targeting_combo, "targeting")

        # ---- targeting: by field
        by_field = QWidget()
        by_field_column = QVBoxLayout(by_field)
        by_field_column.setContentsMargins(0, 0, 0, 0)
        by_field_column.setSpacing(4)
        choose = QHBoxLayout()
        choose.setSpacing(6)
        self.targeting_field_combo = QComboBox()
        self.targeting_field_combo.setObjectName("targeting_field_combo")
        self.targeting_value_combo = QComboBox()
        self.targeting_value_combo.setObjectName("targeting_value_combo")
        self.targeting_value_combo.setEditable(True)
        self.targeting_value_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.add_field_rule_button = button("Leave out", "add_field_rule_button")
        self.add_field_rule_button.setAutoDefault(False)
        choose.addWidget(self.targeting_field_combo, 2)
        choose.addWidget(label("=", "muted"))
        choose.addWidget(self.targeting_value_combo, 3)
        choose.addWidget(self.add_field_rule_button)
        by_field_column.addLayout(choose)
        rules = QHBoxLayout()
        rules.setSpacing(6)
        self.field_rules_label = label(role="hint", name="field_rules_label", wrap=True)
        rules.addWidget(self.field_rules_label, 1)
        self.clear_field_rules_button = button("Clear", "clear_field_rules_button", role="link")
        self.clear_field_rules_button.setAutoDefault(False)
        rules.addWidget(self.clear_field_rules_button, 0, Qt.AlignmentFlag.AlignTop)
        by_field_column.addLayout(rules)
        self.add_field("By field", by_field)

        # ---- targeting: by hand
        by_hand = QWidget()
        by_hand_column = QVBoxLayout(by_hand)
        by_hand_column.setContentsMargins(0, 0, 0, 0)
        by_hand_column.setSpacing(4)
        self.contact_filter_edit = QLineEdit()
        self.contact_filter_edit.setObjectName("contact_filter_edit")
        self.contact_filter_edit.setPlaceholderText("Search by phone or name")
        self.contact_filter_edit.setClearButtonEnabled(True)
        by_hand_column.addWidget(self.contact_filter_edit)
        self.contacts_model = ContactChoiceModel(services, actor, campaign.id, self)
        self.contacts_model.reload()
        self.contact_choices_table = plain_table(self.contacts_model, "contact_choices_table")
        header = self.contact_choices_table.horizontalHeader()
        for column, width in enumerate((84, 130, 150, 150)):
            self.contact_choices_table.setColumnWidth(column, width)
        header.setStretchLastSection(True)
        self.contact_choices_table.setFixedHeight(32 * 5 + 34)
        by_hand_column.addWidget(self.contact_choices_table)
        left_out = QHBoxLayout()
        left_out.setSpacing(6)
        self.left_out_label = label(role="hint", name="left_out_label")
        left_out.addWidget(self.left_out_label, 1)
        self.clear_left_out_button = button("Clear", "clear_left_out_button", role="link")
        self.clear_left_out_button.setAutoDefault(False)
        left_out.addWidget(self.clear_left_out_button)
        by_hand_column.addLayout(left_out)
        self.add_field("By hand", by_hand)

        self.audience_label = Notice("notice", "audience_label")
        self.extra.addWidget(self.audience_label)

        self._audience_timer = QTimer(self)
        self._audience_timer.setSingleShot(True)
        self._audience_timer.setInterval(AUDIENCE_DELAY_MS)
        self._audience_timer.timeout.connect(self.update_audience)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self._on_filter_timer_timeout)

        self._fill_fields()
        self.targeting_combo.currentIndexChanged.connect(self._audience_timer.start)
        self.targeting_field_combo.currentIndexChanged.connect(
            self._on_targeting_field_combo_changed
        )
        self.add_field_rule_button.clicked.connect(self._on_add_field_rule_button_clicked)
        self.clear_field_rules_button.clicked.connect(self._on_clear_field_rules_button_clicked)
        self.contact_filter_edit.textChanged.connect(self._filter_timer.start)
        self.contacts_model.excluded_changed.connect(self._on_contacts_model_excluded_changed)
        self.clear_left_out_button.clicked.connect(self.contacts_model.clear_excluded)
        self.finished.connect(self._on_self_finished)
        self._show_rules()
        self._show_left_out()
        self.update_audience()
        open_at_width(self, 640)

    # ------------------------------------------------------------------ targeting
    def targeting(self) -> FollowupTargeting:
        return FollowupTargeting(
            replied=TARGETING[self.targeting_combo.currentIndex()][1],
            field_equals=dict(self._field_rules),
            exclude_contact_ids=tuple(sorted(self.contacts_model.excluded)),
        )

    @Slot()
    def update_audience(self) -> None:
        """Count the contacts the followup would reach with the targeting as it stands; a big
        campaign is counted off the window's thread.
        """
        self._audience_timer.stop()
        targeting = self.targeting()
        if self._campaign.contact_count < BIG_CAMPAIGN:
            try:
                reach = self._services.campaigns.followup_audience_size(
                    self._actor, self._campaign.id, targeting
                )
            except ThrudeskError as error:
                self.errors.show(error)
                return
            self._show_audience(reach)
            return
        if self._counting is not None:
            self._count_again = True
            return
        campaigns, actor, campaign_id = self._services.campaigns, self._actor, self._campaign.id

        def work(_progress: Progress, _cancel: threading.Event) -> int:
            return campaigns.followup_audience_size(actor, campaign_id, targeting)

        task = BackgroundTask("followup_audience_count", work, self)
        queued = Qt.ConnectionType.QueuedConnection
        task.succeeded.connect(self._on_count_succeeded, queued)
        task.failed.connect(self._on_count_failed, queued)
        self._counting = task
        self._count_again = False
        self.audience_label.setText("Counting the contacts it reaches…")
        task.start()

    def _show_audience(self, reach: int) -> None:
        self.audience_label.setText(
            f"Reaches {formatting.plural(reach, 'contact')} of the campaign's "
            f"{formatting.count(self._campaign.contact_count)}. Opted-out contacts are always "
            "left out."
        )

    def _counted(self) -> bool:
        """The count under way has ended; answers whether the targeting changed meanwhile."""
        task, self._counting = self._counting, None
        if task is not None:
            task.deleteLater()
        again, self._count_again = self._count_again, False
        if again:
            self.update_audience()
        return again

    @Slot(object)
    def _on_count_succeeded(self, reach: object) -> None:
        if not self._counted() and isinstance(reach, int):
            self._show_audience(reach)

    @Slot(object)
    def _on_count_failed(self, error: object) -> None:
        if self._counted():
            return
        if isinstance(error, ThrudeskError):
            self.errors.show(error)
            return
        if isinstance(error, BaseException):
            raise error
        raise TypeError(f"counting the audience failed with {error!r}")

    @Slot(int)
    def _on_self_finished(self, _result: int) -> None:
        # The count reads only; wait for it so that it ends before the dialog is deleted.
        if self._counting is not None:
            self._counting.wait(10.0)

    def expires_at(self) -> datetime:
        try:
            return local_date_time(self.expires_edit, self._timezone)
        except ValueError:
            raise InvalidInput("Choose when the followup expires.", field="expires_at") from None

    def _fill_fields(self) -> None:
        names = self._services.contacts.field_names(self._actor, self._campaign.id)
        combo = self.targeting_field_combo
        combo.clear()
        for name in names:
            combo.addItem(name, name)
        has_fields = bool(names)
        for widget in (combo, self.targeting_value_combo, self.add_field_rule_button):
            widget.setEnabled(has_fields)
        if not has_fields:
            combo.setPlaceholderText("No fields: the CSV had only phones and names")
        self._on_targeting_field_combo_changed()

    def _show_rules(self) -> None:
        if self._field_rules:
            text = "Leaving out: " + "; ".join(
                f"{name} = “{value}”" for name, value in sorted(self._field_rules.items())
            )
        else:
            text = "No field leaves anyone out. One value per field; choosing another replaces it."
        self.field_rules_label.setText(text)
        self.clear_field_rules_button.setVisible(bool(self._field_rules))

    def _show_left_out(self) -> None:
        count = len(self.contacts_model.excluded)
        self.left_out_label.setText(
            f"{formatting.plural(count, 'contact')} left out by hand."
            if count
            else "Tick contacts to leave them out."
        )
        self.clear_left_out_button.setVisible(bool(count))

    # ------------------------------------------------------------------ handlers
    @Slot()
    def _on_targeting_field_combo_changed(self) -> None:
        name = self.targeting_field_combo.currentData()
        values = self.targeting_value_combo
        values.clear()
        if isinstance(name, str):
            values.addItems(
                self._services.contacts.field_values(self._actor, self._campaign.id, name)
            )

    @Slot()
    def _on_add_field_rule_button_clicked(self) -> None:
        name = self.targeting_field_combo.currentData()
        if not isinstance(name, str):
            return
        self._field_rules[name] = self.targeting_value_combo.currentText()
        self._show_rules()
        self.update_audience()

    @Slot()
    def _on_clear_field_rules_button_clicked(self) -> None:
        self._field_rules.clear()
        self._show_rules()
        self.update_audience()

    @Slot()
    def _on_filter_timer_timeout(self) -> None:
        self.contacts_model.set_filter(self.contact_filter_edit.text())

    @Slot()
    def _on_contacts_model_excluded_changed(self) -> None:
        self._show_left_out()
        self._audience_timer.start()

    def submit(self) -> None:
        followup_id = self._services.campaigns.create_followup(
            self._actor,
            self._campaign.id,
            title=self.title_edit.text(),
            message=self.message_edit.toPlainText(),
            expires_at=self.expires_at(),
            targeting=self.targeting(),
        )
        self.followup_created.emit(followup_id)
