"""Inputs that several dialogs share."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QComboBox, QSizePolicy, QWidget

from thrudesk.services.rows import BrandStatus, UseCaseRow


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
    """The account's use cases with their usage (U2); the data of each item is its id."""

    def __init__(self, parent: QWidget | None = None, *, name: str = "use_case_combo") -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_use_cases(self, use_cases: Sequence[UseCaseRow], selected: int | None = None) -> None:
        self.clear()
        for use_case in use_cases:
            self.addItem(use_case_text(use_case), use_case.id)
        if selected is not None:
            index = self.findData(selected)
            if index >= 0:
                self.setCurrentIndex(index)
                return
        # Prefer the first use case numbers can attach to.
        for position, use_case in enumerate(use_cases):
            if use_case.usable:
                self.setCurrentIndex(position)
                return

    def use_case_id(self) -> int | None:
        value = self.currentData()
        return value if isinstance(value, int) else None
