"""A searchable area-code field: type a code, a city or a state, pick from the list (N1, N8)."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, Signal, Slot
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from thrudesk.services import area_codes
from thrudesk.services.rows import AreaCodeRow

HARD_TO_GET_MARK = "hard to get"
SUGGESTIONS = 40


def describe(row: AreaCodeRow) -> str:
    """``206 · Seattle, WA (hard to get)``: how the picker lists a code."""
    return f"{row.label} ({HARD_TO_GET_MARK})" if row.hard_to_get else row.label


class AreaCodePicker(QLineEdit):
    """An area-code input that suggests codes by code, city or state as the admin types.

    The admin may type the three digits directly; :meth:`area_code` answers them, or what was
    typed when it is not a code, so that the service's own message explains the mistake.

    A chosen code is shown from its start, so that a narrow field cuts the place, never the
    code; the whole text is the field's tooltip.

    Signals:
        area_code_changed(str): the code in the field changed (empty when there is none).
    """

    area_code_changed = Signal(str)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        name: str = "area_code_picker",
        placeholder: str = "Code, city or state, e.g. 206 or Seattle",
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self._suggestions = QStringListModel(self)
        completer = QCompleter(self._suggestions, self)
        # The list is already the search's answer, best first: show it as it is.
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setMaxVisibleItems(10)
        self.setCompleter(completer)
        # Queued: the line edit puts the chosen text in (its cursor at the end) after this
        # slot would have run.
        completer.activated.connect(self.show_start, Qt.ConnectionType.QueuedConnection)
        self.editingFinished.connect(self.show_start)
        self._last_code = ""
        self.textEdited.connect(self._on_self_text_edited)
        self.textChanged.connect(self._on_self_text_changed)

    def area_code(self) -> str:
        """The chosen code (three digits at the start of the text), or the raw text."""
        text = self.text().strip()
        head = text[:3]
        if len(head) == 3 and head.isascii() and head.isdigit():
            return head
        return text

    def set_area_code(self, code: str) -> None:
        row = area_codes.lookup(code)
        self.setText(row.label if row else code)
        self.show_start()

    def row(self) -> AreaCodeRow | None:
        return area_codes.lookup(self.area_code())

    @Slot()
    def show_start(self) -> None:
        """Scroll the text back to its start, where the code is."""
        self.setCursorPosition(0)

    @Slot(str)
    def _on_self_text_edited(self, text: str) -> None:
        needle = text.strip()
        rows = area_codes.search(needle, limit=SUGGESTIONS) if needle else []
        self._suggestions.setStringList([describe(row) for row in rows])

    @Slot(str)
    def _on_self_text_changed(self, text: str) -> None:
        self.setToolTip(text)
        code = self.area_code()
        code = code if area_codes.lookup(code) else ""
        if code != self._last_code:
            self._last_code = code
            self.area_code_changed.emit(code)
