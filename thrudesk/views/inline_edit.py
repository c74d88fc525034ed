"""A value that is edited where it is shown: text with a Change link, which swaps in an editor
with Save and Cancel; a refusal of the service appears right under that editor.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from thrudesk.views.widgets import button, label, repolish


class InlineEditor(QWidget):
    """One editable value of a card.

    ``key`` names its parts: ``<key>_value`` (the text), ``<key>_change_button``,
    ``<key>_save_button`` and ``<key>_cancel_button``; the refusal label is ``error_name``.
    The owner fills the editor when :attr:`edit_started` fires and, on :attr:`save_requested`,
    calls its service and answers with :meth:`finish` or :meth:`refuse`.

    Signals:
        edit_started(): the admin pressed Change; put the current value in the editor.
        save_requested(): the admin pressed Save (or Enter in the editor).
    """

    edit_started = Signal()
    save_requested = Signal()

    def __init__(
        self, key: str, editor: QWidget, error_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"{key}_editor")
        self.editor = editor
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(3)
        self._shown = QWidget()
        row = QHBoxLayout(self._shown)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        self.value_label = label(name=f"{key}_value", wrap=True)
        self.value_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self.value_label, 1)
        self.change_button = button("Change", f"{key}_change_button", role="link")
        self.change_button.setAutoDefault(False)
        row.addWidget(self.change_button, 0, Qt.AlignmentFlag.AlignTop)
        outer.addWidget(self._shown)

        self._editing = QWidget()
        edit_row = QHBoxLayout(self._editing)
        edit_row.setContentsMargins(0, 0, 0, 0)
        edit_row.setSpacing(6)
        edit_row.addWidget(editor, 1)
        self.save_button = button("Save", f"{key}_save_button", role="primary")
        self.cancel_button = button("Cancel", f"{key}_cancel_button")
        for action in (self.save_button, self.cancel_button):
            action.setAutoDefault(False)
            edit_row.addWidget(action)
        self._editing.hide()
        outer.addWidget(self._editing)

        self.error_label = label(role="field-error", name=error_name, wrap=True)
        self.error_label.hide()
        outer.addWidget(self.error_label)

        self.change_button.clicked.connect(self._on_change_button_clicked)
        self.save_button.clicked.connect(self.save_requested)
        self.cancel_button.clicked.connect(self.finish)

    @property
    def editing(self) -> bool:
        return not self._editing.isHidden()

    def set_value(self, text: str) -> None:
        self.value_label.setText(text)

    def set_editable(self, editable: bool, reason: str = "") -> None:
        """Offer Change or not (an archived campaign is read only); ``reason`` as its tooltip."""
        if not editable and self.editing:
            self.finish()
        self.change_button.setVisible(editable)
        self.value_label.setToolTip("" if editable else reason)

    def begin(self) -> None:
        """Show the editor, filled by whoever listens to :attr:`edit_started`."""
        self.edit_started.emit()
        self._clear_error()
        self._shown.hide()
        self._editing.show()
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot()
    def finish(self) -> None:
        """Back to the value (saved, or cancelled)."""
        self._clear_error()
        self._editing.hide()
        self._shown.show()

    def refuse(self, message: str) -> None:
        """Keep the editor open and show the service's refusal under it."""
        self.error_label.setText(message)
        self.error_label.show()
        self.editor.setProperty("invalid", True)
        repolish(self.editor)

    def _clear_error(self) -> None:
        self.error_label.clear()
        self.error_label.hide()
        if self.editor.property("invalid"):
            self.editor.setProperty("invalid", False)
            repolish(self.editor)

    @Slot()
    def _on_change_button_clicked(self) -> None:
        self.begin()
