"""Small widgets every tab uses: the inline message bar, field errors, cards, confirmations."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QSize, Qt, SignalInstance, Slot
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QBoxLayout,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from thrudesk.services.errors import ThrudeskError
from thrudesk.views import theme


def set_role(widget: QWidget, role: str) -> None:
    """Give ``widget`` a style role (see base.qss) and refresh its look."""
    set_style_property(widget, "role", role)


def set_style_property(widget: QWidget, name: str, value: object) -> None:
    """Set a property base.qss selects on, and restyle ``widget`` only when the value changed.

    Restyling makes every layout above the widget lay itself out again, and the tab widget then
    repaints its whole page, table included: done at every live update, that cost the window
    6 to 9 ms at a time (QUALITY.md P2).
    """
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    repolish(widget)


def repolish(widget: QWidget) -> None:
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def label(
    text: str = "", role: str | None = None, *, name: str | None = None, wrap: bool = False
) -> QLabel:
    """A label in a style role (see base.qss); ``wrap`` breaks long text into lines."""
    widget = QLabel(text)
    if role:
        widget.setProperty("role", role)
    if name:
        widget.setObjectName(name)
    if wrap:
        widget.setWordWrap(True)
    return widget


def button(
    text: str,
    name: str,
    *,
    icon_name: str | None = None,
    role: str | None = None,
    tooltip: str | None = None,
) -> QPushButton:
    widget = QPushButton(text)
    widget.setObjectName(name)
    if icon_name:
        widget.setIcon(theme.icon(icon_name))
        widget.setProperty("icon_name", icon_name)
    if role:
        widget.setProperty("role", role)
    if tooltip:
        widget.setToolTip(tooltip)
    return widget


class _SteadyPages(QObject):
    """Keeps a tab widget from repainting its whole page when the page's contents change size.

    A label whose text changes lays its page out again, and the page then asks the tab widget
    to lay itself out, which repaints the page whole, table included: 6 to 9 ms at every live
    update (QUALITY.md P2). Where the page sits depends only on the tab widget's size and its
    tab bar's, so unless the tab bar's size hint changed, the request goes no further than the
    window (whose minimum size may have changed).
    """

    def __init__(self, tabs: QTabWidget) -> None:
        super().__init__(tabs)
        self._tabs = tabs
        self._bar_hint: QSize | None = None
        tabs.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.LayoutRequest:
            return False
        bar_hint = self._tabs.tabBar().sizeHint()
        if bar_hint == self._bar_hint:
            self._tabs.updateGeometry()
            return True
        self._bar_hint = bar_hint
        return False


def steady_pages(tabs: QTabWidget) -> None:
    """Let ``tabs`` lay its pages out again only when its tab bar changed size."""
    _SteadyPages(tabs)


def open_beside(dialog: QDialog) -> None:
    """Show ``dialog`` without waiting for it, deleted once closed: open(), not exec(), so the
    window and the simulator keep running behind it.
    """
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()


def needed_height(dialog: QDialog, width: int) -> int:
    """How tall ``dialog``'s contents are at ``width``, wrapped text broken at that width (its
    size hint breaks it at the layout's own width: too short for a hint, or an empty band).
    """
    layout = dialog.layout()
    if layout is not None:
        layout.activate()
        height = layout.totalHeightForWidth(width)
        if height > 0:
            return height
    return dialog.sizeHint().height()


def open_at_width(dialog: QDialog, width: int) -> None:
    """Size ``dialog`` to open ``width`` wide (at least its minimum) and as tall as its contents
    then need.
    """
    width = max(width, dialog.minimumWidth())
    dialog.resize(width, needed_height(dialog, width))


def offer(button: QAbstractButton, refusal: str | None, tip: str) -> None:
    """Enable ``button`` with its ``tip``, or disable it with ``refusal``, the service's own
    sentence for why: the reason is on the disabled button, where the admin looks for it.
    """
    button.setEnabled(refusal is None)
    button.setToolTip(tip if refusal is None else refusal)


def close_button(dialog: QDialog) -> QPushButton:
    """The Close button of a dialog that only informs: the default button, and it accepts."""
    widget = QPushButton("Close")
    widget.setObjectName("accept_button")
    widget.setDefault(True)
    widget.clicked.connect(dialog.accept)
    return widget


def retint_icons(root: QWidget) -> None:
    """Redraw the icons of ``root``'s buttons in the current theme's colours."""
    for widget in root.findChildren(QAbstractButton):
        name = widget.property("icon_name")
        if isinstance(name, str) and name:
            colour = widget.property("icon_colour")
            widget.setIcon(theme.icon(name, colour if isinstance(colour, str) else None))


class MessageBar(QFrame):
    """A refusal or a notice shown inline above a tab's table, until dismissed or replaced.

    Its ``objectName`` is ``message_bar``; the text is in the ``message_label`` child.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Whether the notice shown still tells the truth (None: until dismissed or replaced).
        self._holds: Callable[[], bool] | None = None
        self.setObjectName("message_bar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 7, 6, 7)
        self._label = label(name="message_label", wrap=True)
        self._label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton()
        close.setObjectName("message_close_button")
        close.setIcon(theme.icon("close"))
        close.setProperty("icon_name", "close")
        close.setAutoRaise(True)
        close.setToolTip("Dismiss")
        close.clicked.connect(self.clear)
        layout.addWidget(self._label, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def text(self) -> str:
        return "" if self.isHidden() else self._label.text()

    @Slot(str)
    def show_error(self, message: str) -> None:
        self._show(message, "error")

    @Slot(str)
    def show_info(self, message: str) -> None:
        self._show(message, "info")

    def show_state(self, message: str, holds: Callable[[], bool]) -> None:
        """A notice about a state that will change (a campaign Launching, a number
        provisioning): it goes by itself at the first :meth:`recheck` after ``holds()`` says
        the state is over.
        """
        self._show(message, "info")
        self._holds = holds

    def recheck(self) -> None:
        """Take away a notice whose state is over (the tab calls this when its data changes)."""
        holds = self._holds
        if holds is None or self.isHidden():
            return
        try:
            still = holds()
        except ThrudeskError:
            still = False  # what it was about is gone
        if not still:
            self.clear()

    def _show(self, message: str, kind: str) -> None:
        self._holds = None
        self.setProperty("kind", kind)
        repolish(self)
        repolish(self._label)
        self._label.setText(message)
        self.show()

    @Slot()
    def clear(self) -> None:
        self._holds = None
        self._label.clear()
        self.hide()


class Notice(QFrame):
    """A tinted box of wrapped text: ``notice`` (blue), ``warning`` (yellow) or ``danger`` (red).

    The text is in a child QLabel named ``name``; the box itself is ``<name>_box``. Padding lives
    on the box, not the label, so that wrapped text is never clipped.
    """

    def __init__(self, role: str, name: str, text: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(f"{name}_box")
        self.setProperty("role", role)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(11, 7, 11, 7)
        self.label = QLabel(text)
        self.label.setObjectName(name)
        self.label.setWordWrap(True)
        self.label.setProperty("role", f"{role}-text")
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.label)

    def setText(self, text: str) -> None:
        self.label.setText(text)

    def text(self) -> str:
        return self.label.text()


class FieldErrors:
    """Shows a refusal next to the control its ``field`` names, or where ``general`` says.

    Each registered field has a small red label under its control (``<field>_error``); a refusal
    whose field is not registered goes to ``general``: a dialog's ``error_label``, or what shows
    a message elsewhere (a card's refusals go to its tab's message bar).
    """

    def __init__(self, general: QLabel | Callable[[str], object]) -> None:
        self._general = general
        if isinstance(general, QLabel):
            general.setObjectName("error_label")
            general.setWordWrap(True)
            general.hide()
        self._fields: dict[str, tuple[QWidget, QLabel]] = {}

    def add(self, field: str, control: QWidget, *aliases: str) -> QLabel:
        """Register ``control`` for ``field`` (and aliases); answer its error label to lay out.

        A refusal shown for the field goes as soon as the admin changes the control: the value
        it was about is no longer the one in the form.
        """
        error = label(role="field-error", name=f"{field}_error", wrap=True)
        error.hide()
        for name in (field, *aliases):
            self._fields[name] = (control, error)
        changed = _edited_signal(control)
        if changed is not None:
            changed.connect(lambda *_args: self._clear_field(control, error))
        return error

    def _clear_field(self, control: QWidget, error: QLabel) -> None:
        if error.isHidden() and not control.property("invalid"):
            if isinstance(self._general, QLabel) and not self._general.isHidden():
                self._general.clear()
                self._general.hide()
            return
        error.clear()
        error.hide()
        if control.property("invalid"):
            control.setProperty("invalid", False)
            repolish(control)

    def clear(self) -> None:
        if isinstance(self._general, QLabel):
            self._general.clear()
            self._general.hide()
        for control, error in self._fields.values():
            error.clear()
            error.hide()
            if control.property("invalid"):
                control.setProperty("invalid", False)
                repolish(control)

    def show(self, error: ThrudeskError) -> None:
        self.clear()
        target = self._fields.get(error.field or "")
        if target is None:
            if isinstance(self._general, QLabel):
                self._general.setText(error.message)
                self._general.show()
            else:
                self._general(error.message)
            return
        control, field_label = target
        field_label.setText(error.message)
        field_label.show()
        control.setProperty("invalid", True)
        repolish(control)
        control.setFocus(Qt.FocusReason.OtherFocusReason)

    def message_for(self, field: str) -> str:
        target = self._fields.get(field)
        return target[1].text() if target else ""


def _edited_signal(control: QWidget) -> SignalInstance | None:
    """The signal a control sends when the admin changes its value (None for a display)."""
    for name in (
        "area_code_changed",
        "textChanged",
        "currentIndexChanged",
        "valueChanged",
        "dateTimeChanged",
        "toggled",
        "selection_changed",
    ):
        signal = getattr(control, name, None)
        if isinstance(signal, SignalInstance):
            return signal
    return None


class Card(QFrame):
    """A white panel with a title row (and room for actions beside the title) and a body.

    ``header_actions`` is a horizontal layout at the title's right, ``body`` a vertical layout:
    later controls go into them without restructuring the tab.
    """

    def __init__(self, title: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setProperty("role", "card")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(14, 11, 14, 13)
        outer.setSpacing(8)
        header = QHBoxLayout()
        header.setSpacing(6)
        self.title_label = label(title, "section-title")
        header.addWidget(self.title_label)
        header.addStretch(1)
        self.header_actions = QHBoxLayout()
        self.header_actions.setSpacing(6)
        header.addLayout(self.header_actions)
        outer.addLayout(header)
        self.body = QVBoxLayout()
        self.body.setSpacing(6)
        outer.addLayout(self.body, 1)


def hbox(*widgets: QWidget | int | None, spacing: int = 8, margins: int = 0) -> QHBoxLayout:
    """A row of widgets; an int adds that much stretch, None a stretch of 1."""
    layout = QHBoxLayout()
    _fill(layout, widgets, spacing, margins)
    return layout


def _fill(
    layout: QBoxLayout, widgets: tuple[QWidget | int | None, ...], spacing: int, margins: int
) -> None:
    layout.setSpacing(spacing)
    layout.setContentsMargins(margins, margins, margins, margins)
    for widget in widgets:
        if widget is None:
            layout.addStretch(1)
        elif isinstance(widget, int):
            layout.addStretch(widget)
        else:
            layout.addWidget(widget)


async def confirm(
    parent: QWidget,
    title: str,
    text: str,
    accept: str,
    *,
    informative: str = "",
    destructive: bool = True,
) -> bool:
    """Ask before a destructive action; answers True when the admin accepts.

    The box is opened with ``open()`` and awaited through its ``finished`` signal: a nested
    ``exec()`` inside a coroutine would re-enter the event loop (ARCHITECTURE.md pattern 3).
    """
    box = QMessageBox(parent)
    box.setObjectName("confirm_dialog")
    box.setWindowTitle(title)
    box.setIcon(QMessageBox.Icon.Warning if destructive else QMessageBox.Icon.Question)
    box.setText(text)
    if informative:
        box.setInformativeText(informative)
    accept_button = box.addButton(accept, QMessageBox.ButtonRole.AcceptRole)
    accept_button.setObjectName("confirm_accept_button")
    cancel_button = box.addButton(QMessageBox.StandardButton.Cancel)
    cancel_button.setObjectName("confirm_cancel_button")
    box.setDefaultButton(cancel_button if destructive else accept_button)
    future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()

    def finished(_result: int) -> None:
        if not future.done():
            future.set_result(box.clickedButton() is accept_button)
        box.deleteLater()

    box.finished.connect(finished)
    box.open()
    return await future


class ProgressBar(QProgressBar):
    """A progress bar whose steps are painted with the rest of the window.

    ``QProgressBar.setValue`` paints the bar on the spot whenever its fill grows; under the
    style sheet that paints the cards beneath it as well, 15 to 24 ms for each of an import's
    hundred steps, during which the window answered nothing (QUALITY.md P5). A step set by
    :meth:`set_progress` only marks the bar for the window's next paint.
    """

    def set_progress(self, value: int) -> None:
        self.setUpdatesEnabled(False)
        try:
            self.setValue(value)
        finally:
            self.setUpdatesEnabled(True)  # schedules the bar's paint, as update() does


class ElidedLabel(QLabel):
    """A one-line label that shows as much of its text as fits, with an ellipsis in the middle
    (a link keeps its start and its end); :meth:`text` is always the whole text.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setMinimumWidth(80)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(self.minimumWidth(), hint.height())

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(min(hint.width(), 480), hint.height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        rect = self.contentsRect()
        shown = self.fontMetrics().elidedText(
            self.text(), Qt.TextElideMode.ElideMiddle, rect.width()
        )
        painter.drawText(rect, int(self.alignment()), shown)
        painter.end()
