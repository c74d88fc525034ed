"""In-app notifications (N11): the toolbar button with its unread count, and the list it opens."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QListView,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from thrudesk.services.rows import NotificationRow
from thrudesk.views import formatting, theme
from thrudesk.views.badges import PaintedDelegate
from thrudesk.views.roles import ROW_ROLE
from thrudesk.views.table_model import Column, ColumnTableModel
from thrudesk.views.theme import Tone
from thrudesk.views.widgets import button, label, set_style_property

AnyIndex = QModelIndex | QPersistentModelIndex
ITEM_HEIGHT = 68


def two_lines(metrics: QFontMetrics, text: str, width: int) -> str:
    """``text`` broken into at most two lines of ``width``, the second elided if need be."""
    words = text.split()
    first = ""
    while words:
        candidate = f"{first} {words[0]}".strip()
        if metrics.horizontalAdvance(candidate) > width and first:
            break
        first = candidate
        words.pop(0)
    if not words:
        return first
    rest = metrics.elidedText(" ".join(words), Qt.TextElideMode.ElideRight, width)
    return f"{first}\n{rest}"


class NotificationListModel(ColumnTableModel[NotificationRow]):
    """The admin's notifications, newest first: the title shown, the body as its tooltip."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            [Column("Notification", lambda r: r.title, tooltip=lambda r: r.body)], parent
        )
        self.timezone = formatting.EASTERN

    def row_id(self, row: NotificationRow) -> int:
        return row.id

    def set_rows(self, rows: Sequence[NotificationRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()


class NotificationDelegate(PaintedDelegate):
    """Title (bold while unread) with its time, and the body on the line below."""

    def __init__(self, model: NotificationListModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        row = index.data(ROW_ROLE)
        if not isinstance(row, NotificationRow):
            super().paint(painter, option, index)
            return
        self.paint_background(painter, option, index)
        colours = theme.current()
        rect = option.rect.adjusted(14, 8, -12, -8)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not row.read:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colours.colour("accent"))
            painter.drawEllipse(QRectF(option.rect.left() + 5, rect.top() + 6, 6, 6))
        title_font = QFont(option.font)
        title_font.setWeight(QFont.Weight.DemiBold if not row.read else QFont.Weight.Normal)
        when = formatting.short_date_time(row.created_at, self._model.timezone)
        metrics = QFontMetrics(option.font)
        when_width = metrics.horizontalAdvance(when)
        painter.setFont(option.font)
        painter.setPen(colours.colour("muted"))
        painter.drawText(
            QRect(rect.right() - when_width, rect.top(), when_width, metrics.height()),
            Qt.AlignmentFlag.AlignRight,
            when,
        )
        tone = Tone.DANGER if "failed" in row.title.lower() else Tone.SUCCESS
        painter.setFont(title_font)
        painter.setPen(colours.tone(tone).text)
        painter.drawText(
            QRect(rect.left(), rect.top(), rect.width() - when_width - 8, metrics.height()),
            Qt.AlignmentFlag.AlignLeft,
            row.title,
        )
        painter.setFont(option.font)
        painter.setPen(colours.colour("text"))
        body_rect = QRect(
            rect.left(), rect.top() + metrics.height() + 3, rect.width(), 2 * metrics.height() + 2
        )
        painter.drawText(
            body_rect, Qt.AlignmentFlag.AlignLeft, two_lines(metrics, row.body, rect.width())
        )
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        return QSize(360, ITEM_HEIGHT)


class NotificationsPopup(QFrame):
    """The list the notifications button opens; activating an entry opens its subject.

    Signals:
        notification_activated(NotificationRow)
        mark_all_read_requested()
    """

    notification_activated = Signal(object)
    mark_all_read_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("notifications_popup")
        self.setFixedWidth(420)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 0)
        layout.setSpacing(8)
        header = QHBoxLayout()
        header.setContentsMargins(14, 0, 10, 0)
        header.addWidget(label("Notifications", "section-title"))
        header.addStretch(1)
        self.mark_all_read_button = button("Mark all read", "mark_all_read_button", role="link")
        header.addWidget(self.mark_all_read_button)
        layout.addLayout(header)
        self.model = NotificationListModel(self)
        self.list_view = QListView()
        self.list_view.setObjectName("notifications_list")
        self.list_view.setModel(self.model)
        self.list_view.setItemDelegate(NotificationDelegate(self.model, self.list_view))
        self.list_view.setUniformItemSizes(True)
        self.list_view.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.list_view.setMinimumHeight(ITEM_HEIGHT * 2)
        layout.addWidget(self.list_view)
        self.empty_label = label("No notifications yet.", "muted", name="notifications_empty")
        self.empty_label.setContentsMargins(14, 6, 14, 14)
        layout.addWidget(self.empty_label)
        self.list_view.activated.connect(self._on_list_view_activated)
        self.list_view.clicked.connect(self._on_list_view_activated)
        self.mark_all_read_button.clicked.connect(self.mark_all_read_requested)

    def set_notifications(self, rows: Sequence[NotificationRow], timezone: str) -> None:
        self.model.timezone = timezone
        self.model.set_rows(rows)
        self.list_view.setVisible(bool(rows))
        self.empty_label.setVisible(not rows)
        self.mark_all_read_button.setEnabled(any(not row.read for row in rows))
        visible = min(len(rows), 6)
        self.list_view.setFixedHeight(max(ITEM_HEIGHT * 2, ITEM_HEIGHT * visible + 4))
        self.adjustSize()

    def show_below(self, anchor: QWidget) -> None:
        corner = anchor.mapToGlobal(QPoint(anchor.width(), anchor.height() + 4))
        self.move(corner.x() - self.width(), corner.y())
        self.show()
        self.list_view.setFocus()

    @Slot(QModelIndex)
    def _on_list_view_activated(self, index: QModelIndex) -> None:
        row = index.data(ROW_ROLE)
        if isinstance(row, NotificationRow):
            self.hide()
            self.notification_activated.emit(row)


class NotificationsButton(QToolButton):
    """The toolbar's bell with the unread count painted on it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notifications_button")
        self.setText("Notifications")
        self.setProperty("icon_name", "bell")
        self.setIcon(theme.icon("bell"))
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self._unread = 0

    @property
    def unread(self) -> int:
        return self._unread

    def set_unread(self, count: int) -> None:
        self._unread = count
        self.setAccessibleName(f"Notifications, {count} unread")
        self.setToolTip(
            formatting.plural(count, "unread notification") if count else "No unread notifications"
        )
        # The style sheet leaves room on the right for the count while there is one.
        set_style_property(self, "unread", count > 0)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._unread:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        count = str(self._unread) if self._unread < 100 else "99+"
        width = max(18, metrics.horizontalAdvance(count) + 10)
        rect = QRectF(self.width() - width - 8, (self.height() - 18) / 2, width, 18)
        tone = theme.current().tone(Tone.DANGER)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(tone.text)
        painter.drawRoundedRect(rect, 9, 9)
        painter.setPen(theme.current().colour("base"))
        bold = QFont(self.font())
        bold.setWeight(QFont.Weight.Bold)
        painter.setFont(bold)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, count)
        painter.end()
