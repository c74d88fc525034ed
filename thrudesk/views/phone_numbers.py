"""The Phone Numbers tab: every number of the account with its live badge, the limits of N2 and
U2 above it, and the actions Add, Rename, Delete and Request hard-to-get number.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from operator import attrgetter
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QWidget

from thrudesk.services.changes import ACCOUNTS, CAMPAIGNS, NUMBERS, Change
from thrudesk.services.container import Services
from thrudesk.services.errors import ThrudeskError
from thrudesk.services.rows import (
    HardToGetRequestRow,
    NumberKind,
    NumberSortKey,
    Page,
    PhoneNumberRow,
    ProvisioningStatus,
)
from thrudesk.services.unit_of_work import Actor
from thrudesk.views.aio import async_slot
from thrudesk.views.badges import (
    Tag,
    badge_samples,
    carrier_marks,
    kind_samples,
    number_tooltip,
    provisioning_tag,
    released_tag,
)
from thrudesk.views.hard_to_get import HardToGetDialog
from thrudesk.views.number_dialogs import AddNumberDialog, RenameNumberDialog
from thrudesk.views.simulation import SimulationControl
from thrudesk.views.table_model import Column, count_column
from thrudesk.views.table_tab import AccountTableModel, ControlsRow, TableTab, filter_edit
from thrudesk.views.tables import refresh_rows_in_view, select_row
from thrudesk.views.throttle import Throttle
from thrudesk.views.widgets import button, confirm, label, offer, set_role, set_style_property

FILTER_DELAY_MS = 200
# What each sort of the table orders a row by (a row whose value changed may have moved).
_SORT_VALUES: dict[NumberSortKey, Callable[[PhoneNumberRow], object]] = {
    NumberSortKey.NUMBER: attrgetter("e164"),
    NumberSortKey.NAME: attrgetter("name"),
    NumberSortKey.KIND: attrgetter("kind"),
    NumberSortKey.AREA_CODE: attrgetter("area_code"),
    NumberSortKey.USE_CASE: attrgetter("use_case_name"),
    NumberSortKey.STATUS: attrgetter("provisioning_status"),
    NumberSortKey.CARRIERS: attrgetter("confirmed"),
    NumberSortKey.CAMPAIGNS: attrgetter("campaigns_using"),
    NumberSortKey.CREATED: attrgetter("created_at"),
    NumberSortKey.COMPLETED: attrgetter("completed_at"),
}
# The usage figures above the table follow the simulator at most this often (QUALITY.md P2).
USAGE_REFRESH_MS = 250


ADD_NUMBER_TIP = "Buy a dedicated number and start its provisioning (Ctrl+N)"


class PhoneNumberTableModel(AccountTableModel[PhoneNumberRow]):
    """The account's numbers, sorted and filtered by :meth:`NumberService.page`."""

    def __init__(
        self,
        services: Services,
        actor: Actor,
        *,
        timezone: str,
        simulator: SimulationControl | None,
        parent: QObject | None = None,
    ) -> None:
        self._include_released = False
        columns: list[Column[PhoneNumberRow]] = [
            Column(
                "Number",
                lambda r: r.display,
                NumberSortKey.NUMBER,
                lambda r: r.e164,
                width=128,
                samples=lambda: ["(888) 888-8888"],
            ),
            Column("Name", lambda r: r.name or "", NumberSortKey.NAME, width=130),
            Column(
                "Kind",
                lambda r: r.kind.label,
                NumberSortKey.KIND,
                width=92,
                samples=kind_samples,
                steps_aside=2,
            ),
            Column(
                "Area code",
                lambda r: f"{r.area_code} · {r.place}" if r.place else r.area_code,
                NumberSortKey.AREA_CODE,
                width=170,
            ),
            Column("Use case", lambda r: r.use_case_name, NumberSortKey.USE_CASE, width=140),
            Column(
                "Provisioning",
                lambda r: r.provisioning_status.label,
                NumberSortKey.STATUS,
                self._badge_tooltip,
                tags=self._tags,
                width=178,
                samples=badge_samples,
            ),
            Column(
                "Carriers",
                lambda r: carrier_marks(r.carriers),
                NumberSortKey.CARRIERS,
                self._badge_tooltip,
                carriers=lambda r: r.carriers,
                width=96,
            ),
            count_column(
                "Campaigns",
                lambda r: r.campaigns_using,
                NumberSortKey.CAMPAIGNS,
                lambda r: "\n".join(r.campaign_titles) or None,
                width=92,
                steps_aside=3,
            ),
            self.time_column(
                "Created", lambda r: r.created_at, NumberSortKey.CREATED, width=116, steps_aside=1
            ),
            self.time_column(
                "Completed",
                lambda r: r.completed_at,
                NumberSortKey.COMPLETED,
                width=116,
                stretch=True,
            ),
        ]
        super().__init__(
            services,
            actor,
            columns,
            timezone=timezone,
            simulator=simulator,
            sort_column=2,
            descending=False,
            parent=parent,
        )

    def set_filter(self, text: str, *, include_released: bool | None = None) -> None:
        if include_released is not None:
            self._include_released = include_released
        self._text = text
        self.reload()

    def _query(self) -> dict[str, Any]:
        """The table's order and filters, as the number service's queries take them."""
        return {
            "sort": NumberSortKey(self.sort_key or NumberSortKey.CREATED),
            "descending": self.descending,
            "text": self._text,
            "include_released": self._include_released,
        }

    def fetch_page(self, offset: int, limit: int, *, count: bool = True) -> Page[PhoneNumberRow]:
        return self._services.numbers.page(self._actor, offset=offset, limit=limit, **self._query())

    def id_at(self, position: int) -> tuple[int | None, int]:
        return self._services.numbers.id_at(self._actor, position, **self._query())

    def fetch_rows(self, ids: Collection[int]) -> list[PhoneNumberRow]:
        return self._services.numbers.rows(self._actor, ids)

    def sort_value(self, row: PhoneNumberRow) -> object:
        return _SORT_VALUES[NumberSortKey(self.sort_key or NumberSortKey.CREATED)](row)

    def keeps_place(self, old: PhoneNumberRow, new: PhoneNumberRow) -> bool:
        if self._text and (new.name, new.use_case_name) != (old.name, old.use_case_name):
            return False  # it may no longer match the filter
        return super().keeps_place(old, new)

    def belongs(self, row: PhoneNumberRow) -> bool:
        return self._include_released or row.released_at is None

    def apply_change(self, change: Change) -> None:
        """Re-read the numbers a change names; the whole window only when rows may have come
        or moved (see :meth:`update_rows`).

        What the table shows of campaigns is how many use each number (and their titles): a
        change to campaigns marks every loaded row stale, and the tab reads the rows in view
        again (:meth:`refresh_stale`) rather than look up every named campaign's number.
        """
        if not (change.touches(NUMBERS) or change.touches(CAMPAIGNS)):
            return
        if (change.touches(NUMBERS) and not change.number_ids) or (
            change.touches(CAMPAIGNS) and not change.campaign_ids and not change.number_ids
        ):
            self.requery()  # a change that does not say which rows
            return
        if change.touches(CAMPAIGNS):
            self.mark_stale()
        self.update_rows(change.number_ids)

    def _tags(self, row: PhoneNumberRow) -> tuple[Tag, ...]:
        if row.released_at is not None:
            # A number let go shows no live badge; its last state is in the tooltip.
            return (released_tag(),)
        return (provisioning_tag(row.provisioning_status),)

    def _badge_tooltip(self, row: PhoneNumberRow) -> str:
        return number_tooltip(row, self._simulator, timezone=self._timezone)


class PhoneNumbersTab(TableTab[PhoneNumberTableModel]):
    """The Phone Numbers tab.

    Signals:
        number_added(int): a dedicated number was bought (its id).
    """

    number_added = Signal(int)

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
            name="phone_numbers_tab",
            timezone=timezone,
            simulator=simulator,
            parent=parent,
        )
        # N2 and U2 at a glance.
        usage = QHBoxLayout()
        usage.setSpacing(8)
        self.dedicated_usage_label = label(role="usage", name="dedicated_usage_label")
        usage.addWidget(self.dedicated_usage_label)
        self._use_case_chips: dict[int, QLabel] = {}
        self._use_case_row = QHBoxLayout()
        self._use_case_row.setSpacing(8)
        usage.addLayout(self._use_case_row)
        usage.addStretch(1)
        self.count_label = label(role="muted", name="number_count_label")
        usage.addWidget(self.count_label)
        self.page.addLayout(usage)

        actions = QHBoxLayout()
        actions.setSpacing(8)
        self.add_number_button = button(
            "Add dedicated number",
            "add_number_button",
            icon_name="add",
            role="primary",
            tooltip=ADD_NUMBER_TIP,
        )
        self.add_number_button.setProperty("icon_colour", "#ffffff")
        self.rename_number_button = button("Rename", "rename_number_button", icon_name="rename")
        self.delete_number_button = button("Delete", "delete_number_button", icon_name="delete")
        self.hard_to_get_button = button(
            "Request hard-to-get number",
            "hard_to_get_button",
            icon_name="hard-to-get",
            tooltip="Ask support for a number in a scarce area code such as 206 or 212",
        )
        for widget in (
            self.add_number_button,
            self.rename_number_button,
            self.delete_number_button,
            self.hard_to_get_button,
        ):
            actions.addWidget(widget)
        actions.addStretch(1)
        filters = QHBoxLayout()
        filters.setSpacing(8)
        self.show_released_check = QCheckBox("Show released")
        self.show_released_check.setObjectName("show_released_check")
        self.show_released_check.setToolTip("Also list deleted and released numbers")
        filters.addWidget(self.show_released_check)
        self.number_filter_edit = filter_edit(
            "number_filter_edit", "Filter by number, name or place", width=240
        )
        filters.addWidget(self.number_filter_edit)
        self.page.addWidget(ControlsRow(actions, filters))

        self._usage_throttle = Throttle(USAGE_REFRESH_MS, self.refresh_usage, self)
        self._stale_throttle = Throttle(
            USAGE_REFRESH_MS, lambda: refresh_rows_in_view(self.table), self
        )
        model = PhoneNumberTableModel(
            services, actor, timezone=timezone, simulator=simulator, parent=self
        )
        self._add_table(
            model,
            "phone_numbers_table",
            filter_edit=self.number_filter_edit,
            filter_delay_ms=FILTER_DELAY_MS,
            count_label=self.count_label,
            noun="number",
        )
        self.show_released_check.toggled.connect(self._on_show_released_check_toggled)
        self.add_number_button.clicked.connect(self._on_add_number_button_clicked)
        self.rename_number_button.clicked.connect(self._on_rename_number_button_clicked)
        self.delete_number_button.clicked.connect(self._on_delete_number_button_clicked)
        self.hard_to_get_button.clicked.connect(self._on_hard_to_get_button_clicked)
        self.refresh_usage()
        self._show_totals()

    # ------------------------------------------------------------------ public
    def set_account(self, actor: Actor, timezone: str) -> None:
        super().set_account(actor, timezone)
        self.refresh_usage()

    def apply_change(self, change: Change) -> None:
        if change.touches(NUMBERS) or change.touches(CAMPAIGNS) or change.touches(ACCOUNTS):
            self._usage_throttle.poke()
        self.model.apply_change(change)
        if change.touches(CAMPAIGNS):
            self._stale_throttle.poke()
        if change.touches(NUMBERS):
            self.message_bar.recheck()
        self._update_actions()

    def selected_number(self) -> PhoneNumberRow | None:
        number: PhoneNumberRow | None = self._selected_row()
        return number

    def select_number(self, number_id: int) -> bool:
        """Show the number's row, clearing the filter if it hides it (notifications use this)."""
        position = self.model.ensure_loaded(number_id)
        if position is None and (
            self.model.filter_text or not self.show_released_check.isChecked()
        ):
            self._clear_filter_quietly()
            self.show_released_check.blockSignals(True)
            self.show_released_check.setChecked(True)
            self.show_released_check.blockSignals(False)
            self.model.set_filter("", include_released=True)
            position = self.model.ensure_loaded(number_id)
        if position is None:
            return False
        select_row(self.table, position)
        self.table.setFocus()
        return True

    def open_add_dialog(self) -> AddNumberDialog | None:
        """The add-number dialog (also opened by the launch dialog's Manage button, C2); None,
        and the reason in the message bar, when the account holds all its dedicated numbers
        (N2: the limit shows before the form is filled in).
        """
        refusal = self._services.numbers.dedicated_usage(self._actor).refusal
        if refusal is not None:
            self.message_bar.show_error(refusal)
            return None
        dialog = AddNumberDialog(self._services, self._actor, self._simulator, self)
        dialog.number_added.connect(self._on_add_dialog_number_added)
        self._show_dialog(dialog)
        return dialog

    def refresh_usage(self) -> None:
        """N2 and U2: '3 of 5 dedicated numbers' and each use case's '37 of 49 numbers'."""
        usage = self._services.numbers.dedicated_usage(self._actor)
        self.dedicated_usage_label.setText(usage.text)
        set_role(self.dedicated_usage_label, "usage")
        set_style_property(self.dedicated_usage_label, "warning", usage.used >= usage.limit)
        # N2: at the limit the action is disabled, with why on it, before any form is filled.
        offer(self.add_number_button, usage.refusal, ADD_NUMBER_TIP)
        shown: set[int] = set()
        for use_case in self._services.numbers.use_cases(self._actor):
            if not use_case.usable:
                continue
            shown.add(use_case.id)
            chip = self._use_case_chips.get(use_case.id)
            if chip is None:
                chip = label(name=f"use_case_usage_{use_case.id}")
                self._use_case_chips[use_case.id] = chip
                self._use_case_row.addWidget(chip)
            chip.setText(f"{use_case.name}: {use_case.usage_text}")
            chip.setToolTip(
                f"A use case holds at most {use_case.limit} numbers, dedicated and single-use "
                "together."
                + (
                    " Close to the limit: archive old single-use campaigns or delete an unused "
                    "dedicated number to free slots."
                    if use_case.warning
                    else ""
                )
            )
            set_role(chip, "usage")
            set_style_property(chip, "warning", use_case.warning)
        for use_case_id in set(self._use_case_chips) - shown:
            self._use_case_chips.pop(use_case_id).deleteLater()

    # ------------------------------------------------------------------ handlers
    def _apply_filter(self, text: str) -> None:
        self.model.set_filter(text)

    @Slot(bool)
    def _on_show_released_check_toggled(self, checked: bool) -> None:
        self.model.set_filter(self.number_filter_edit.text(), include_released=checked)

    @Slot()
    def _update_actions(self) -> None:
        number = self.selected_number()
        self.rename_number_button.setEnabled(
            number is not None
            and number.kind is NumberKind.DEDICATED
            and number.released_at is None
        )
        if number is None:
            self.delete_number_button.setEnabled(False)
            self.delete_number_button.setToolTip("Select a dedicated number to delete it")
            return
        # N5: why a number cannot be deleted is said on the button.
        offer(
            self.delete_number_button,
            number.delete_blocked_reason,
            f"Delete {number.label} and free its slots",
        )

    @Slot()
    def _on_add_number_button_clicked(self) -> None:
        self.message_bar.clear()
        self.open_add_dialog()

    @Slot(object)
    def _on_add_dialog_number_added(self, number: PhoneNumberRow) -> None:
        self.model.requery()
        position = self.model.ensure_loaded(number.id)
        if position is not None:
            select_row(self.table, position)
        self.message_bar.show_state(
            f"{number.label} bought in {number.area_code}; provisioning has started.",
            lambda: (
                self._services.numbers.get(self._actor, number.id).provisioning_status
                is ProvisioningStatus.INITIATED
            ),
        )
        self.number_added.emit(number.id)

    @Slot()
    def _on_rename_number_button_clicked(self) -> None:
        number = self.selected_number()
        if number is None:
            return
        dialog = RenameNumberDialog(self._services, self._actor, number, self)
        dialog.number_renamed.connect(self._on_rename_dialog_number_renamed)
        self._show_dialog(dialog)

    @Slot(object)
    def _on_rename_dialog_number_renamed(self, number: PhoneNumberRow) -> None:
        self.model.refresh_ids([number.id])

    @async_slot()
    async def _on_delete_number_button_clicked(self) -> None:
        number = self.selected_number()
        if number is None:
            return
        accepted = await confirm(
            self,
            "Delete number",
            f"Delete {number.label}?",
            "Delete number",
            informative="The number is released: its dedicated slot and its use-case slot are "
            "freed. This cannot be undone.",
        )
        if not accepted:
            return
        try:
            self._services.numbers.delete(self._actor, number.id)
        except ThrudeskError as error:
            self.message_bar.show_error(error.message)
            return
        self.model.requery()
        self.message_bar.show_info(f"{number.label} was deleted; its slots are free.")

    @Slot()
    def _on_hard_to_get_button_clicked(self) -> None:
        self.message_bar.clear()
        dialog = HardToGetDialog(self._services, self._actor, self._timezone, self)
        dialog.request_filed.connect(self._on_hard_to_get_dialog_request_filed)
        self._show_dialog(dialog)

    @Slot(object)
    def _on_hard_to_get_dialog_request_filed(self, request: HardToGetRequestRow) -> None:
        self.message_bar.show_info(
            f"Request for a number in {request.area_code} sent to support. You will be "
            "notified when it is added or refused."
        )
