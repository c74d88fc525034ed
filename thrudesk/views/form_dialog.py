"""The shape of every thrudesk dialog: a form, refusals shown next to their fields, two buttons."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from thrudesk.services.errors import ThrudeskError
from thrudesk.views.widgets import FieldErrors, label, needed_height


class FormDialog(QDialog):
    """A dialog whose accept button calls :meth:`submit`; a refusal keeps it open and shows
    the service's message beside the control its ``field`` names (or in ``error_label``).
    """

    def __init__(
        self,
        title: str,
        name: str,
        accept_text: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._opened = False
        self.setObjectName(name)
        self.setWindowTitle(title)
        self.setModal(True)
        self.setMinimumWidth(540)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 18, 20, 16)
        outer.setSpacing(12)
        self.intro = label(role="hint", wrap=True)
        self.intro.hide()
        outer.addWidget(self.intro)
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form.setHorizontalSpacing(12)
        self.form.setVerticalSpacing(6)
        outer.addLayout(self.form)
        self.extra = QVBoxLayout()
        self.extra.setSpacing(8)
        outer.addLayout(self.extra)
        self.error_label = QLabel()
        self.errors = FieldErrors(self.error_label)
        outer.addWidget(self.error_label)
        outer.addStretch(1)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        buttons.addStretch(1)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("cancel_button")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        self.accept_button = QPushButton(accept_text)
        self.accept_button.setObjectName("accept_button")
        self.accept_button.setDefault(True)
        self.accept_button.clicked.connect(self._on_accept_button_clicked)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.accept_button)
        outer.addLayout(buttons)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._opened:
            # Typing goes into the form at once; Space cannot press an accept button that
            # QDialog would otherwise focus.
            self._opened = True
            first = self.first_field()
            if first is not None:
                first.setFocus(Qt.FocusReason.OtherFocusReason)

    def first_field(self) -> QWidget | None:
        """The first control in the tab order that takes the focus and is not a push button."""
        widget = self.nextInFocusChain()
        while widget is not None and widget is not self:
            if (
                widget.focusPolicy() & Qt.FocusPolicy.TabFocus
                and widget.isVisibleTo(self)
                and widget.isEnabled()
                and not isinstance(widget, QPushButton | QToolButton)
                and self.isAncestorOf(widget)
            ):
                return widget
            widget = widget.nextInFocusChain()
        return None

    def set_intro(self, text: str) -> None:
        self.intro.setText(text)
        self.intro.setVisible(bool(text))

    def add_field(
        self,
        caption: str,
        control: QWidget,
        field: str | None = None,
        *aliases: str,
        hint: str | None = None,
    ) -> None:
        """A labelled control, its (hidden) error label and an optional hint under it."""
        cell = QWidget()
        # The whole row wide, whatever the control: its hint then wraps at the dialog's width,
        # where the form measures it (a narrow cell left it cut off under a narrow control).
        cell.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(3)
        column.addWidget(control)
        if field is not None:
            column.addWidget(self.errors.add(field, control, *aliases))
        if hint:
            note = label(hint, "hint", wrap=True)
            column.addWidget(note)
        caption_label = QLabel(caption)
        # Top-aligned so that an error appearing under the control does not move the caption,
        # and nudged down to sit on the control's first line.
        caption_label.setContentsMargins(0, 6, 0, 0)
        self.form.addRow(caption_label, cell)

    def fit_height(self) -> None:
        """Keep the width and take the height the contents need at it, after a part of the
        dialog was shown or hidden (``adjustSize`` would take the size hint's width as well).
        """
        self.resize(self.width(), needed_height(self, self.width()))

    def _grow_to_fit(self) -> None:
        """Make room for a refusal that appeared: the dialog grows, never shrinks, under it."""
        wanted = needed_height(self, self.width())
        if wanted > self.height():
            self.resize(self.width(), wanted)

    def submit(self) -> None:
        """Do the dialog's work through a service; raise the service's refusal as it is."""
        raise NotImplementedError

    @Slot()
    def _on_accept_button_clicked(self) -> None:
        self.errors.clear()
        try:
            self.submit()
        except ThrudeskError as error:
            self.errors.show(error)
            self._grow_to_fit()
            return
        self.accept()
