"""Inputs that several dialogs share."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time
from functools import cache
from zoneinfo import available_timezones

from PySide6.QtCore import QDate, QDateTime, QLocale, Qt, QTime
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QComboBox, QDateTimeEdit, QSizePolicy, QWidget

from thrudesk.services.accounts import check_batch_size
from thrudesk.services.rows import BrandStatus, UseCaseRow
from thrudesk.services.validation import EARLIEST, LATEST
from thrudesk.views import formatting


def use_case_text(use_case: UseCaseRow) -> str:
    """``Voter Outreach · 37 of 49 numbers``, or the status when numbers cannot attach (U1)."""
    if not use_case.usable:
        status = (
            use_case.status.label
            if use_case.brand_status is BrandStatus.REGISTERED
            else f"brand {use_case.brand_status.label}"
        )
        return f"{use_case.name} · {status}"
    return f"{use_case.name} · {use_case.usage_text}"


class UseCaseCombo(QComboBox):
    """The account's use cases with their usage (U2); the data of each item is its id.

    A use case that cannot be chosen is shown disabled, with why as its tooltip: one numbers
    cannot attach to (U1), and with ``for_a_number`` one at its 49 numbers too (N3).
    """

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        name: str = "use_case_combo",
        for_a_number: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._for_a_number = for_a_number

    def set_use_cases(self, use_cases: Sequence[UseCaseRow], selected: int | None = None) -> None:
        self.clear()
        model = self.model()
        choosable: list[int] = []
        for position, use_case in enumerate(use_cases):
            self.addItem(use_case_text(use_case), use_case.id)
            reason = use_case.refusal if self._for_a_number else use_case.unusable_reason
            if reason is None:
                choosable.append(position)
                continue
            self.setItemData(position, reason, Qt.ItemDataRole.ToolTipRole)
            item = model.item(position) if isinstance(model, QStandardItemModel) else None
            if item is not None:
                item.setEnabled(False)
        if selected is not None:
            # What a draft holds stays chosen, even when it cannot be chosen anew.
            index = self.findData(selected)
            if index >= 0:
                self.setCurrentIndex(index)
                return
        # The first use case that can be chosen.
        if choosable:
            self.setCurrentIndex(choosable[0])

    def use_case_id(self) -> int | None:
        value = self.currentData()
        return value if isinstance(value, int) else None


# As formatting.date_time writes a moment with its year: "Mon 7 Dec 2026, 06:30".
DATE_TIME_FORMAT = "ddd d MMM yyyy, HH:mm"
# The window speaks English whatever the desktop's language, in its editors too.
ENGLISH = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


def date_time_edit(name: str) -> QDateTimeEdit:
    """A date-and-time input with a calendar, written as the window writes dates."""
    edit = QDateTimeEdit()
    edit.setObjectName(name)
    edit.setLocale(ENGLISH)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(DATE_TIME_FORMAT)
    return edit


def _shown(moment: datetime, timezone: str) -> QDateTime:
    when = formatting.local(moment, timezone)
    return QDateTime(QDate(when.year, when.month, when.day), QTime(when.hour, when.minute))


def set_local_date_time(edit: QDateTimeEdit, moment: datetime, timezone: str) -> None:
    """Show ``moment`` in ``timezone``, to the minute, offering only the moments the services
    accept (1 January 2000 to 31 December 2099) as read in that zone.
    """
    edit.setDateTimeRange(_shown(EARLIEST, timezone), _shown(LATEST, timezone))
    edit.setDateTime(_shown(min(max(moment, EARLIEST), LATEST), timezone))


def local_date_time(edit: QDateTimeEdit, timezone: str) -> datetime:
    """The moment the input shows, read in ``timezone``."""
    value = edit.dateTime()
    date, clock = value.date(), value.time()
    return datetime(
        date.year(),
        date.month(),
        date.day(),
        clock.hour(),
        clock.minute(),
        tzinfo=formatting.zone(timezone),
    )


# The zones most US campaigns use come first; every other IANA zone follows, by name.
COMMON_ZONES = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
)


@cache
def zone_names() -> tuple[str, ...]:
    others = sorted(
        name
        for name in available_timezones()
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/")) and name != "localtime"
    )
    return COMMON_ZONES + tuple(name for name in others if name not in COMMON_ZONES)


def batch_size_from_text(text: str, *, field: str = "batch_size") -> int | None:
    """A typed batch size: empty is None (the account default); anything but a whole number is
    refused by the rule of C14 itself, with its message.
    """
    cleaned = text.strip().replace("\u202f", "").replace(",", "")
    if not cleaned:
        return None
    if cleaned.lstrip("+-").isdigit():
        return int(cleaned)
    return check_batch_size(cleaned, field=field)


class TimeCombo(QComboBox):
    """A time of day chosen from the half hours (any other time already set is listed too)."""

    STEP_MINUTES = 30

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setMaxVisibleItems(12)
        for minutes in range(0, 24 * 60, self.STEP_MINUTES):
            value = time(minutes // 60, minutes % 60)
            self.addItem(f"{value:%H:%M}", value)

    def set_time(self, value: time) -> None:
        value = value.replace(second=0, microsecond=0)
        position = self.findData(value)
        if position < 0:
            # Keep the list in order: the odd time goes where it belongs.
            position = sum(1 for i in range(self.count()) if self.itemData(i) < value)
            self.insertItem(position, f"{value:%H:%M}", value)
        self.setCurrentIndex(position)

    def time(self) -> time:
        value = self.currentData()
        return value if isinstance(value, time) else time(0, 0)
