"""A small time chart of a number's provisioning, carrier by carrier (Campaign Details)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from thrudesk.services.rows import CarrierCheckStatus, CarrierState, ProvisioningStatus
from thrudesk.views import formatting, theme
from thrudesk.views.simulation import Estimate
from thrudesk.views.theme import Tone

ROW_HEIGHT = 26
LABEL_WIDTH = 78
AXIS_HEIGHT = 22
BAR_HEIGHT = 10
NICE_STEPS = tuple(
    timedelta(minutes=m) for m in (1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080)
)


def tick_step(span: timedelta, ticks: int = 4) -> timedelta:
    """The smallest round step that cuts ``span`` into at most ``ticks`` parts."""
    for step in NICE_STEPS:
        if span / step <= ticks:
            return step
    return NICE_STEPS[-1]


class ProvisioningTimeline(QWidget):
    """Three bars, one per carrier, from the start of provisioning to each answer (or to now,
    with the p50–p90 range still expected drawn ahead of it).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("provisioning_timeline")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(3 * ROW_HEIGHT + AXIS_HEIGHT + 8)
        self._started_at: datetime | None = None
        self._carriers: tuple[CarrierState, ...] = ()
        self._status: ProvisioningStatus | None = None
        self._now: datetime | None = None
        self._estimate: Estimate | None = None
        self._timezone = formatting.EASTERN

    def set_provisioning(
        self,
        *,
        started_at: datetime | None,
        carriers: Sequence[CarrierState],
        status: ProvisioningStatus | None,
        now: datetime,
        timezone: str,
        estimate: Estimate | None = None,
    ) -> None:
        drawn = (started_at, tuple(carriers), status, timezone, estimate)
        shown = (self._started_at, self._carriers, self._status, self._timezone, self._estimate)
        if drawn == shown:
            # Shown again as it is (a campaign's figures changed, not its number): only the
            # "now" of a pending provisioning moves. Repainting the chart at every reading of a
            # busy campaign kept the window from its timers (QUALITY.md P5).
            self.set_now(now)
            return
        self._started_at, self._carriers, self._status, self._timezone, self._estimate = drawn
        self._now = now
        self.update()

    def set_now(self, now: datetime) -> None:
        if self._status is ProvisioningStatus.INITIATED:
            self._now = now
            self.update()

    def sizeHint(self) -> QSize:
        return QSize(420, 3 * ROW_HEIGHT + AXIS_HEIGHT + 8)

    def has_data(self) -> bool:
        return self._started_at is not None and bool(self._carriers)

    # ------------------------------------------------------------------ painting
    def _span(self) -> tuple[datetime, datetime]:
        assert self._started_at is not None
        assert self._now is not None
        start = self._started_at
        end = max([start, *(c.answered_at for c in self._carriers if c.answered_at)])
        if any(c.status is CarrierCheckStatus.PENDING for c in self._carriers):
            end = max(end, self._now)
            if self._estimate is not None and not self._estimate.overdue:
                end = max(end, self._now + self._estimate.p90)
        if end - start < timedelta(minutes=5):
            end = start + timedelta(minutes=5)
        return start, end + (end - start) * 0.02

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colours = theme.current()
        font = self.font()
        metrics = QFontMetrics(font)
        if not self.has_data() or self._now is None:
            painter.setPen(colours.colour("muted"))
            painter.drawText(
                self.rect(),
                Qt.AlignmentFlag.AlignCenter,
                "No provisioning yet: it appears here when the campaign has a number.",
            )
            painter.end()
            return
        start, end = self._span()
        # Room on the right for the longest note, so a note always sits after its bar.
        reserve = metrics.horizontalAdvance("Confirmed 00:00") + 16
        plot = QRectF(LABEL_WIDTH, 4, self.width() - LABEL_WIDTH - reserve, 3 * ROW_HEIGHT)
        total = (end - start).total_seconds()

        def x_of(moment: datetime) -> float:
            return plot.left() + plot.width() * (moment - start).total_seconds() / total

        # Grid and axis labels.
        step = tick_step(end - start)
        local_start = formatting.local(start, self._timezone)
        first = local_start.replace(second=0, microsecond=0)
        minutes = int(step.total_seconds() // 60)
        if minutes < 60:
            first = first.replace(minute=(first.minute // minutes) * minutes) + step
        elif minutes < 1440:
            hours = minutes // 60
            first = first.replace(minute=0, hour=(first.hour // hours) * hours) + step
        else:
            first = first.replace(hour=0, minute=0) + timedelta(days=1)
        painter.setFont(font)
        grid_pen = QPen(colours.colour("chart_grid"), 1)
        tick = first
        while tick < formatting.local(end, self._timezone):
            x = x_of(tick)
            if x > plot.left() + 24:
                painter.setPen(grid_pen)
                painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
                painter.setPen(colours.colour("muted"))
                text = (
                    f"{tick:%H:%M}"
                    if minutes < 1440
                    else formatting.short_date_time(tick, self._timezone)
                )
                painter.drawText(
                    QRectF(x - 40, plot.bottom() + 3, 80, AXIS_HEIGHT - 4),
                    Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                    text,
                )
            tick += step
        painter.setPen(QPen(colours.colour("border_strong"), 1))
        painter.drawLine(QPointF(plot.left(), plot.top()), QPointF(plot.left(), plot.bottom()))

        # One row per carrier.
        success, danger, warning = (
            colours.tone(Tone.SUCCESS),
            colours.tone(Tone.DANGER),
            colours.tone(Tone.WARNING),
        )
        for row, carrier in enumerate(self._carriers):
            top = plot.top() + row * ROW_HEIGHT
            middle = top + ROW_HEIGHT / 2
            painter.setPen(colours.colour("text"))
            painter.drawText(
                QRectF(0, top, LABEL_WIDTH - 10, ROW_HEIGHT),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                carrier.carrier.label,
            )
            bar_top = middle - BAR_HEIGHT / 2
            x0 = x_of(start)
            if carrier.status is CarrierCheckStatus.PENDING:
                x1 = x_of(self._now)
                if self._estimate is not None and not self._estimate.overdue:
                    low = x_of(self._now + self._estimate.p50)
                    high = x_of(self._now + self._estimate.p90)
                    expected = QRectF(low, bar_top, max(2.0, high - low), BAR_HEIGHT)
                    painter.setPen(QPen(warning.border, 1, Qt.PenStyle.DashLine))
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.drawRoundedRect(expected, 3, 3)
                    painter.setPen(QPen(warning.border, 1, Qt.PenStyle.DotLine))
                    painter.drawLine(QPointF(x1 + 2, middle), QPointF(expected.left(), middle))
                    x1_note = expected.right()
                else:
                    x1_note = x1
                painter.setPen(QPen(warning.border, 1))
                brush = QBrush(warning.background)
                painter.setBrush(brush)
                painter.drawRoundedRect(QRectF(x0, bar_top, max(4.0, x1 - x0), BAR_HEIGHT), 3, 3)
                painter.setBrush(QBrush(warning.border, Qt.BrushStyle.BDiagPattern))
                painter.drawRoundedRect(QRectF(x0, bar_top, max(4.0, x1 - x0), BAR_HEIGHT), 3, 3)
                note, note_colour, x_end = "Pending", warning.text, x1_note
            else:
                assert carrier.answered_at is not None
                x1 = x_of(carrier.answered_at)
                tone = success if carrier.status is CarrierCheckStatus.CONFIRMED else danger
                painter.setPen(QPen(tone.border, 1))
                painter.setBrush(tone.border if tone is success else tone.text)
                painter.drawRoundedRect(QRectF(x0, bar_top, max(4.0, x1 - x0), BAR_HEIGHT), 3, 3)
                when = formatting.clock_time(carrier.answered_at, self._timezone)
                word = "Confirmed" if carrier.status is CarrierCheckStatus.CONFIRMED else "Rejected"
                note, note_colour, x_end = f"{word} {when}", tone.text, x1
            width = metrics.horizontalAdvance(note)
            painter.setPen(note_colour)
            painter.drawText(
                QRectF(x_end + 6, top, width + 2, ROW_HEIGHT),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                note,
            )
        painter.end()
