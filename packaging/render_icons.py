"""Render the app icon's PNG sizes from its SVG (run after changing the SVG).

.venv/bin/python packaging/render_icons.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

HERE = Path(__file__).resolve().parent
SVG = HERE / "icons" / "io.thrudesk.Thrudesk.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render(size: int, target: Path) -> None:
    renderer = QSvgRenderer(str(SVG))
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    target.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(target)):
        raise SystemExit(f"could not write {target}")


def main() -> int:
    QGuiApplication([*sys.argv[:1], "-platform", "offscreen"])
    for size in SIZES:
        render(
            size,
            HERE / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "io.thrudesk.Thrudesk.png",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
