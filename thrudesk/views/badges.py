"""Provisioning badges and status tags: coloured tags that always carry their words.

Yellow *Provisioning Initiated*, green *Provisioning Complete*, red *Provisioning Failed* (UI.md),
each with a tooltip naming the three carriers' states and, while provisioning, the p50–p90
estimate. The same painting serves table cells (:class:`TagDelegate`) and the Campaign Details
header (:class:`ProvisioningBadge`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import (
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from thrudesk.services.rows import (
    CampaignFlag,
    CampaignFlagKind,
    CampaignStatus,
    CarrierCheckStatus,
    CarrierState,
    NumberKind,
    PhoneNumberRow,
    ProvisioningStatus,
)
from thrudesk.views import formatting, theme
from thrudesk.views.roles import CARRIERS_ROLE, TAGS_ROLE
from thrudesk.views.simulation import Estimate, SimulationControl, provisioning_estimate
from thrudesk.views.theme import Tone

AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Tag:
    """Words on a coloured pill; ``dot`` paints a status dot instead of a pill."""

    text: str
    tone: Tone
    dot: str | None = None


PROVISIONING_TONES: dict[ProvisioningStatus, Tone] = {
    ProvisioningStatus.INITIATED: Tone.WARNING,  # yellow
    ProvisioningStatus.COMPLETE: Tone.SUCCESS,  # green
    ProvisioningStatus.FAILED: Tone.DANGER,  # red
}

FLAG_TONES: dict[CampaignFlagKind, Tone] = {
    CampaignFlagKind.PROVISIONING_FAILED: Tone.DANGER,
    CampaignFlagKind.STILL_PROVISIONING: Tone.WARNING,
    CampaignFlagKind.STUCK: Tone.DANGER,
    CampaignFlagKind.AUTO_ARCHIVE_SOON: Tone.WARNING,
    CampaignFlagKind.FOLLOWUP: Tone.INFO,
}

# Short words for flags inside a table cell; the full warning is in the tooltip and the details.
FLAG_SHORT: dict[CampaignFlagKind, str] = {
    CampaignFlagKind.STILL_PROVISIONING: "Number still provisioning",
}


def provisioning_tag(status: ProvisioningStatus) -> Tag:
    return Tag(status.label, PROVISIONING_TONES[status])


def released_tag() -> Tag:
    """A number that was deleted or released (N5, N7, C10), in place of its badge."""
    return Tag("Released", Tone.MUTED)


def badge_samples() -> list[tuple[Tag, ...]]:
    """Every badge a provisioning column shows (for its width)."""
    badges: list[tuple[Tag, ...]] = [(provisioning_tag(status),) for status in ProvisioningStatus]
    return [*badges, (released_tag(),)]


def kind_samples() -> list[str]:
    """Every kind of number a Kind column shows (for its width)."""
    return [kind.label for kind in NumberKind]


def status_samples() -> list[tuple[Tag, ...]]:
    """Each status alone and with its widest usual flag (for the Status column's width); a
    rarer, longer one (a number still provisioning) is cut short, whole in the tooltip.
    """
    usual = {
        CampaignStatus.DRAFT: CampaignFlag(
            CampaignFlagKind.PROVISIONING_FAILED, "Provisioning Failed"
        ),
        CampaignStatus.LAUNCHING: CampaignFlag(CampaignFlagKind.STUCK, "Stuck"),
        CampaignStatus.ACTIVE: CampaignFlag(
            CampaignFlagKind.AUTO_ARCHIVE_SOON, "Auto-archived in 7 days"
        ),
    }
    samples = [status_tags(status, ()) for status in CampaignStatus]
    samples += [status_tags(status, (flag,)) for status, flag in usual.items()]
    return samples


def status_tags(status: CampaignStatus, flags: Sequence[CampaignFlag]) -> tuple[Tag, ...]:
    """The campaign's status word (with its dot) and its flags as tags (C1, C5, C6, C17)."""
    tags = [Tag(status.label, Tone.NEUTRAL, dot=f"dot_{status.value}")]
    for flag in flags:
        tags.append(Tag(FLAG_SHORT.get(flag.kind, flag.text), FLAG_TONES[flag.kind]))
    return tuple(tags)


def flags_tooltip(flags: Sequence[CampaignFlag]) -> str | None:
    lines = [
        f"<b>{escape(flag.text)}</b>" + (f"<br>{escape(flag.detail)}" if flag.detail else "")
        for flag in flags
    ]
    return "<br><br>".join(lines) if lines else None


CARRIER_MARKS = {
    CarrierCheckStatus.CONFIRMED: "✓",
    CarrierCheckStatus.REJECTED: "✗",
    CarrierCheckStatus.PENDING: "…",
}


def carrier_marks(carriers: Sequence[CarrierState]) -> str:
    """``✓ ✓ …``: the carriers' answers at a glance (the text behind the progress cell)."""
    return " ".join(CARRIER_MARKS[c.status] for c in carriers)


def badge_tooltip(
    status: ProvisioningStatus,
    carriers: Sequence[CarrierState],
    *,
    timezone: str,
    estimate: Estimate | None = None,
    failure_reason: str | None = None,
) -> str:
    """The badge's tooltip: the three carriers' states and, while provisioning, the estimate."""
    lines = [f"<b>{escape(status.label)}</b>"]
    for carrier in carriers:
        state = carrier.status.label
        if carrier.answered_at is not None:
            state += f" at {formatting.short_date_time(carrier.answered_at, timezone)}"
        if carrier.reason:
            state += f": {carrier.reason}"
        lines.append(f"{escape(carrier.carrier.label)}: {escape(state)}")
    if status is ProvisioningStatus.INITIATED and estimate is not None:
        if estimate.overdue:
            lines.append("Taking longer than usual")
        else:
            lines.append(f"Expected to complete in {escape(estimate.text)} (p50–p90)")
    if status is ProvisioningStatus.FAILED and failure_reason:
        lines.append(f"Reason: {escape(failure_reason)}")
    return "<br>".join(lines)


def number_tooltip(
    number: PhoneNumberRow, simulator: SimulationControl | None, *, timezone: str
) -> str:
    """The badge's tooltip for ``number`` as it is now, S6's estimate asked of ``simulator``."""
    return badge_tooltip(
        number.provisioning_status,
        number.carriers,
        timezone=timezone,
        estimate=provisioning_estimate(simulator, number.id, number.provisioning_status),
        failure_reason=number.failure_reason,
    )


# ------------------------------------------------------------------------------ painting
TAG_HEIGHT = 20
TAG_PADDING = 8
TAG_GAP = 5
DOT_SIZE = 8


def tag_font(base: QFont) -> QFont:
    font = QFont(base)
    font.setWeight(QFont.Weight.DemiBold)
    size = base.pointSizeF()
    if size > 0:
        font.setPointSizeF(max(7.0, size - 0.5))
    return font


class _TagMeasures:
    """A base font's tag font, and each tag text's width in it: tables paint the same few
    tags over and over, and measuring them at every cell cost more than painting them.
    """

    def __init__(self, base: QFont, key: str) -> None:
        self.key = key
        self.base = QFont(base)
        self.font = tag_font(base)
        self._metrics = QFontMetrics(self.font)
        self._base_metrics = QFontMetrics(base)
        self._widths: dict[tuple[str, bool], int] = {}

    def width(self, tag: Tag) -> int:
        key = (tag.text, tag.dot is not None)
        width = self._widths.get(key)
        if width is None:
            if tag.dot is not None:
                width = DOT_SIZE + 6 + self._base_metrics.horizontalAdvance(tag.text)
            else:
                width = self._metrics.horizontalAdvance(tag.text) + 2 * TAG_PADDING
            self._widths[key] = width
        return width


_measures: dict[str, _TagMeasures] = {}


def _measures_for(base: QFont) -> _TagMeasures:
    key = base.key()
    measures = _measures.get(key)
    if measures is None:
        measures = _measures[key] = _TagMeasures(base, key)
    return measures


def tags_width(tags: Sequence[Tag], base: QFont) -> int:
    measures = _measures_for(base)
    widths = [measures.width(tag) for tag in tags]
    return sum(widths) + TAG_GAP * max(0, len(widths) - 1)


def paint_tags(
    painter: QPainter,
    rect: QRect,
    tags: Sequence[Tag],
    base: QFont,
    *,
    text_colour: QColor | None = None,
) -> None:
    """Paint ``tags`` left to right, vertically centred in ``rect``, clipped at its right edge."""
    colours = theme.current()
    measures = _measures_for(base)
    device = painter.device()
    scale = device.devicePixelRatioF() if device is not None else 1.0
    painter.save()
    painter.setClipRect(rect)
    x = rect.left()
    for tag in tags:
        if x >= rect.right():
            break
        picture = _tag_picture(tag, colours, measures, rect.height(), scale, text_colour)
        painter.drawPixmap(x, rect.top(), picture)
        x += measures.width(tag) + TAG_GAP
    painter.restore()


# Each tag drawn once, for each font, height, pixel ratio and colours it is painted with: a table
# paints the same few tags in every row, and drawing a pill and its words cost some 45 µs a cell
# (QUALITY.md P2, P3). Flags carry a count of days, so the cache is emptied when it grows.
_pictures: dict[tuple[object, ...], QPixmap] = {}
PICTURES_KEPT = 512


def _tag_picture(
    tag: Tag,
    colours: theme.Theme,
    measures: _TagMeasures,
    height: int,
    scale: float,
    text_colour: QColor | None,
) -> QPixmap:
    own_text = text_colour.rgba() if text_colour is not None else None
    key = (tag, colours.scheme, measures.key, height, scale, own_text)
    picture = _pictures.get(key)
    if picture is None:
        if len(_pictures) >= PICTURES_KEPT:
            _pictures.clear()
        width = measures.width(tag)
        picture = QPixmap(max(1, round(width * scale)), max(1, round(height * scale)))
        picture.setDevicePixelRatio(scale)
        picture.fill(Qt.GlobalColor.transparent)
        painter = QPainter(picture)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        _draw_tag(painter, tag, colours, measures, width, height, text_colour)
        painter.end()
        _pictures[key] = picture
    return picture


def _draw_tag(
    painter: QPainter,
    tag: Tag,
    colours: theme.Theme,
    measures: _TagMeasures,
    width: int,
    height: int,
    text_colour: QColor | None,
) -> None:
    """One tag in a box of ``width`` by ``height`` at the painter's origin."""
    if tag.dot is not None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colours.colour(tag.dot))
        painter.drawEllipse(QRectF(0, (height - DOT_SIZE) / 2, DOT_SIZE, DOT_SIZE))
        painter.setFont(measures.base)
        painter.setPen(text_colour or colours.colour("text"))
        text_rect = QRect(DOT_SIZE + 6, 0, width - DOT_SIZE - 6, height)
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter, tag.text)
        return
    tone = colours.tone(tag.tone)
    pill_height = min(TAG_HEIGHT, height - 2)
    top = (height - pill_height) // 2
    pill = QRectF(0.5, top + 0.5, width - 1, pill_height - 1)
    painter.setPen(QPen(tone.border, 1))
    painter.setBrush(tone.background)
    painter.drawRoundedRect(pill, 4, 4)
    painter.setFont(measures.font)
    painter.setPen(tone.text)
    painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, tag.text)


CellText = Callable[[int, int], tuple[str, Qt.AlignmentFlag] | None]
"""A cell's text and alignment by row and column position (None: no such cell)."""


class CellDelegate(QStyledItemDelegate):
    """Fills a cell's style option from what ``cell_text`` answers for its row and column,
    in one call into Python. The base class asks the model for seven roles, one call into
    Python each, for every cell it paints: some 1,600 calls for one paint of the Campaigns
    table (QUALITY.md P3). Without ``cell_text`` the model is asked as usual.
    """

    def __init__(self, parent: QObject | None = None, *, cell_text: CellText | None = None):
        super().__init__(parent)
        self._cell_text = cell_text

    def initStyleOption(self, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        if self._cell_text is None:
            super().initStyleOption(option, index)
            return
        if isinstance(index, QModelIndex):  # Qt passes no other kind
            option.index = index
        cell = self._cell_text(index.row(), index.column())
        if cell is not None:
            option.text, option.displayAlignment = cell
            option.features |= QStyleOptionViewItem.ViewItemFeature.HasDisplay


class PaintedDelegate(CellDelegate):
    """A delegate that paints a cell's content itself, over the background the style draws."""

    def paint_background(
        self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex
    ) -> None:
        """The cell as the style draws it (background, selection, focus) without its text."""
        self.initStyleOption(option, index)
        option.text = ""
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)


class TagDelegate(PaintedDelegate):
    """Paints a cell's :data:`~thrudesk.views.roles.TAGS_ROLE` as coloured tags."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        tags = index.data(TAGS_ROLE)
        if not tags:
            super().paint(painter, option, index)
            return
        self.paint_background(painter, option, index)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        area = option.rect.adjusted(8, 0, -6, 0)
        text_colour = option.palette.highlightedText().color() if selected else None
        paint_tags(painter, area, tags, option.font, text_colour=text_colour)

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        hint = super().sizeHint(option, index)
        tags = index.data(TAGS_ROLE)
        if tags:
            hint.setWidth(tags_width(tags, option.font) + 16)
        return hint


class CarrierProgressDelegate(PaintedDelegate):
    """The carriers column: three small segments (confirmed, rejected, pending) and ``2/3``."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        carriers = index.data(CARRIERS_ROLE)
        if not carriers:
            super().paint(painter, option, index)
            return
        self.paint_background(painter, option, index)
        colours = theme.current()
        fill = {
            CarrierCheckStatus.CONFIRMED: colours.tone(Tone.SUCCESS).border,
            CarrierCheckStatus.REJECTED: colours.tone(Tone.DANGER).text,
            CarrierCheckStatus.PENDING: colours.colour("border"),
        }
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = option.rect
        x = rect.left() + 8
        top = rect.top() + (rect.height() - 6) / 2
        painter.setPen(Qt.PenStyle.NoPen)
        for carrier in carriers:
            painter.setBrush(fill[carrier.status])
            painter.drawRoundedRect(QRectF(x, top, 14, 6), 3, 3)
            x += 17
        confirmed = sum(1 for c in carriers if c.status is CarrierCheckStatus.CONFIRMED)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setPen(
            option.palette.highlightedText().color() if selected else colours.colour("muted")
        )
        painter.setFont(option.font)
        painter.drawText(
            QRect(int(x) + 4, rect.top(), rect.right() - int(x) - 4, rect.height()),
            Qt.AlignmentFlag.AlignVCenter,
            f"{confirmed}/{len(carriers)}",
        )
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        hint = super().sizeHint(option, index)
        hint.setWidth(8 + 17 * 3 + 4 + QFontMetrics(option.font).horizontalAdvance("3/3") + 12)
        return hint


class ProvisioningBadge(QWidget):
    """A provisioning badge as a widget (Campaign Details header); empty when there is no number.

    Its ``objectName`` is ``provisioning_badge``; tests read :meth:`status` and :meth:`text`.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("provisioning_badge")
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self._status: ProvisioningStatus | None = None

    def set_status(self, status: ProvisioningStatus | None, tooltip: str | None = None) -> None:
        shown = (self._status, self.toolTip(), self.isHidden())
        if shown == (status, tooltip or "", status is None):
            return  # the same badge: no layout, no repaint
        self._status = status
        self.setToolTip(tooltip or "")
        self.setVisible(status is not None)
        self.updateGeometry()
        self.update()

    def status(self) -> ProvisioningStatus | None:
        return self._status

    def text(self) -> str:
        return self._status.label if self._status else ""

    def tone(self) -> Tone | None:
        return PROVISIONING_TONES[self._status] if self._status else None

    def sizeHint(self) -> QSize:
        if self._status is None:
            return QSize(0, TAG_HEIGHT + 2)
        return QSize(tags_width([provisioning_tag(self._status)], self.font()) + 2, TAG_HEIGHT + 4)

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._status is None:
            return
        painter = QPainter(self)
        paint_tags(painter, self.rect(), [provisioning_tag(self._status)], self.font())
        painter.end()


class TagStrip(QWidget):
    """A row of tags as a widget (a campaign's status and flags in Campaign Details)."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self._tags: tuple[Tag, ...] = ()

    def set_tags(self, tags: Sequence[Tag]) -> None:
        if tuple(tags) == self._tags:
            return  # the same tags: no layout, no repaint
        self._tags = tuple(tags)
        self.updateGeometry()
        self.update()

    def tags(self) -> tuple[Tag, ...]:
        return self._tags

    def sizeHint(self) -> QSize:
        return QSize(tags_width(self._tags, self.font()) + 2, TAG_HEIGHT + 4)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        paint_tags(painter, self.rect(), self._tags, self.font())
        painter.end()
