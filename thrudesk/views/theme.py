"""Light and dark themes that follow the system, and icons tinted to match.

The colours live in ``resources/themes/{light,dark}.json``; ``base.qss`` uses them as ``@tokens``.
Delegates that paint badges ask :func:`current` for the same colours, so a painted tag and a
styled widget always agree.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path

from PySide6.QtCore import (
    QByteArray,
    QDir,
    QObject,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTemporaryDir,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication, QStyleFactory

log = logging.getLogger("thrudesk.views.theme")


class Scheme(StrEnum):
    LIGHT = "light"
    DARK = "dark"


class Tone(StrEnum):
    """What a coloured tag means; each theme gives it a background, a text and a border colour."""

    NEUTRAL = "neutral"
    INFO = "info"
    SUCCESS = "success"
    WARNING = "warning"
    DANGER = "danger"
    MUTED = "muted"


@dataclass(frozen=True)
class ToneColours:
    background: QColor
    text: QColor
    border: QColor


class Theme:
    """One scheme's colours, read from its JSON file."""

    def __init__(self, scheme: Scheme, values: dict[str, str | list[str]]) -> None:
        self.scheme = scheme
        self._values = values

    def colour(self, name: str) -> QColor:
        value = self._values[name]
        return QColor(value if isinstance(value, str) else value[0])

    def hex(self, name: str) -> str:
        value = self._values[name]
        return value if isinstance(value, str) else value[0]

    def tone(self, tone: Tone) -> ToneColours:
        values = self._values[f"tone_{tone.value}"]
        assert isinstance(values, list), f"tone_{tone.value} needs three colours"
        background, text, border = values
        return ToneColours(QColor(background), QColor(text), QColor(border))

    def tokens(self) -> dict[str, str]:
        """Every colour as a QSS token; a tone gives ``tone_x_bg``, ``_fg`` and ``_border``."""
        out: dict[str, str] = {}
        for key, value in self._values.items():
            if isinstance(value, str):
                out[key] = value
            else:
                out[f"{key}_bg"], out[f"{key}_fg"], out[f"{key}_border"] = value
        return out

    def palette(self) -> QPalette:
        palette = QPalette()
        roles = {
            QPalette.ColorRole.Window: "window",
            QPalette.ColorRole.WindowText: "text",
            QPalette.ColorRole.Base: "base",
            QPalette.ColorRole.AlternateBase: "alternate",
            QPalette.ColorRole.Text: "text",
            QPalette.ColorRole.Button: "panel",
            QPalette.ColorRole.ButtonText: "text",
            QPalette.ColorRole.Highlight: "selection",
            QPalette.ColorRole.HighlightedText: "selection_text",
            QPalette.ColorRole.ToolTipBase: "panel",
            QPalette.ColorRole.ToolTipText: "text",
            QPalette.ColorRole.PlaceholderText: "faint",
            QPalette.ColorRole.Link: "accent",
            QPalette.ColorRole.Mid: "border",
            QPalette.ColorRole.Midlight: "border",
            QPalette.ColorRole.Dark: "border_strong",
            QPalette.ColorRole.Light: "base",
        }
        for role, name in roles.items():
            palette.setColor(role, self.colour(name))
        for role in (
            QPalette.ColorRole.WindowText,
            QPalette.ColorRole.Text,
            QPalette.ColorRole.ButtonText,
        ):
            palette.setColor(QPalette.ColorGroup.Disabled, role, self.colour("faint"))
        return palette


@cache
def _resource_text(*parts: str) -> str:
    target = resources.files("thrudesk.resources")
    for part in parts:
        target = target.joinpath(part)
    return target.read_text("utf-8")


@cache
def load_theme(scheme: Scheme) -> Theme:
    return Theme(scheme, json.loads(_resource_text("themes", f"{scheme.value}.json")))


# Pictures the style sheet draws, which it cannot tint as the icons are tinted: written in the
# theme's colours (name: the icon drawn, the colour), as ``<name>-<scheme>.svg`` in the folder
# the ``themed:`` search path names.
THEMED_IMAGES = {
    "down-arrow": ("chevron-down", "muted"),
    "down-arrow-disabled": ("chevron-down", "faint"),
}


def write_themed_images(theme: Theme, folder: Path) -> None:
    """Write :data:`THEMED_IMAGES` for ``theme`` into ``folder``."""
    for name, (icon_name, colour) in THEMED_IMAGES.items():
        svg = _resource_text("icons", f"{icon_name}.svg").replace("currentColor", theme.hex(colour))
        (folder / f"{name}-{theme.scheme.value}.svg").write_text(svg, "utf-8")


def style_sheet(theme: Theme) -> str:
    """``base.qss`` with its ``@tokens`` replaced by the theme's colours (longest names first),
    and ``@scheme`` by the scheme's name (for :data:`THEMED_IMAGES`).
    """
    tokens = {**theme.tokens(), "scheme": theme.scheme.value}
    pattern = re.compile(
        "@(" + "|".join(sorted(map(re.escape, tokens), key=len, reverse=True)) + ")"
    )
    return pattern.sub(lambda match: tokens[match.group(1)], _resource_text("themes", "base.qss"))


def system_scheme() -> Scheme:
    hints = QGuiApplication.styleHints()
    if hints.colorScheme() is Qt.ColorScheme.Dark:
        return Scheme.DARK
    return Scheme.LIGHT


class ThemeManager(QObject):
    """Applies the theme to the application and follows the system's light/dark choice.

    Signals:
        theme_changed(): after the palette and style sheet changed; widgets re-tint icons.
    """

    theme_changed = Signal()

    def __init__(self, app: QApplication, scheme: Scheme | None = None) -> None:
        super().__init__(app)
        self._app = app
        self._forced = scheme
        self._theme = load_theme(scheme or system_scheme())
        QDir.addSearchPath("icons", str(resources.files("thrudesk.resources").joinpath("icons")))
        # Removed with the manager, at the end of the program.
        self._images = QTemporaryDir()
        QDir.addSearchPath("themed", self._images.path())
        QGuiApplication.styleHints().colorSchemeChanged.connect(
            self._on_style_hints_color_scheme_changed
        )

    @property
    def theme(self) -> Theme:
        return self._theme

    def apply(self) -> None:
        global _current
        _current = self._theme
        fusion = QStyleFactory.create("Fusion")
        if fusion is not None:
            self._app.setStyle(fusion)
        self._app.setPalette(self._theme.palette())
        if self._images.isValid():
            write_themed_images(self._theme, Path(self._images.path()))
        else:
            log.warning("no temporary folder for the themed images: %s", self._images.errorString())
        self._app.setStyleSheet(style_sheet(self._theme))
        _tinted_icon.cache_clear()
        self.theme_changed.emit()

    @Slot(Qt.ColorScheme)
    def _on_style_hints_color_scheme_changed(self, scheme: Qt.ColorScheme) -> None:
        if self._forced is not None:
            return
        wanted = Scheme.DARK if scheme is Qt.ColorScheme.Dark else Scheme.LIGHT
        if wanted is not self._theme.scheme:
            log.info("the system switched to the %s theme", wanted.value)
            self._theme = load_theme(wanted)
            self.apply()


_current: Theme | None = None


def current() -> Theme:
    """The theme in use (light until a ThemeManager applies one)."""
    return _current or load_theme(Scheme.LIGHT)


class _TintedIconEngine(QIconEngine):
    """An SVG icon drawn in one colour (another when disabled), rendered at the sizes and
    device pixel ratios the window asks for, when it first asks.

    Rendering every size up front cost more than the rest of a tab's first paint together.
    """

    def __init__(self, svg: str, colour: str, disabled: str) -> None:
        super().__init__()
        self._svg = svg
        self._colour = colour
        self._disabled = disabled
        self._renderers: dict[str, QSvgRenderer] = {}
        self._pixmaps: dict[tuple[int, int, int, str], QPixmap] = {}

    def _tint(self, mode: QIcon.Mode) -> str:
        return self._disabled if mode == QIcon.Mode.Disabled else self._colour

    def _render(self, size: QSize, tint: str, scale: float) -> QPixmap:
        width, height = max(1, round(size.width() * scale)), max(1, round(size.height() * scale))
        key = (width, height, round(scale * 100), tint)
        pixmap = self._pixmaps.get(key)
        if pixmap is None:
            renderer = self._renderers.get(tint)
            if renderer is None:
                data = self._svg.replace("currentColor", tint).encode("utf-8")
                renderer = QSvgRenderer(QByteArray(data))
                self._renderers[tint] = renderer
            pixmap = QPixmap(QSize(width, height))
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            # Square icons stay square in a wider or taller box, centred.
            side = min(width, height)
            renderer.render(painter, QRectF((width - side) / 2, (height - side) / 2, side, side))
            painter.end()
            pixmap.setDevicePixelRatio(scale)
            self._pixmaps[key] = pixmap
        return pixmap

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self._render(size, self._tint(mode), 1.0)

    def scaledPixmap(
        self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float
    ) -> QPixmap:
        return self._render(size, self._tint(mode), max(1.0, scale))

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        scale = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
        painter.drawPixmap(rect, self._render(rect.size(), self._tint(mode), max(1.0, scale)))

    def actualSize(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QSize:
        side = min(size.width(), size.height())
        return QSize(side, side)

    def clone(self) -> QIconEngine:
        return _keep(_TintedIconEngine(self._svg, self._colour, self._disabled))

    def key(self) -> str:
        return "thrudesk-tinted-svg"


# Qt shares an engine between copies of an icon and may still paint with one after its icon
# left the cache (a theme change re-tints widgets one by one): every engine lives as long as
# the program.
_engines: list[_TintedIconEngine] = []


def _keep(engine: _TintedIconEngine) -> _TintedIconEngine:
    _engines.append(engine)
    return engine


@cache
def _tinted_icon(name: str, colour: str, disabled: str) -> QIcon:
    svg = _resource_text("icons", f"{name}.svg")
    return QIcon(_keep(_TintedIconEngine(svg, colour, disabled)))


def icon(name: str, colour: str | None = None) -> QIcon:
    """An icon of ``resources/icons`` drawn in the theme's text colour (or ``colour``)."""
    theme = current()
    return _tinted_icon(name, colour or theme.hex("text"), theme.hex("faint"))
