"""Custom item-data roles, shared by the item models and their delegates."""

from __future__ import annotations

from PySide6.QtCore import Qt

_USER = Qt.ItemDataRole.UserRole.value

ROW_ROLE = _USER + 1
"""The frozen service row behind a table row."""
ID_ROLE = _USER + 2
"""The row's id (a number's or a campaign's)."""
TAGS_ROLE = _USER + 3
"""A tuple of :class:`~thrudesk.views.badges.Tag` painted by the TagDelegate."""
CARRIERS_ROLE = _USER + 4
"""The three carriers' states, painted as a small 0–3 progress."""
