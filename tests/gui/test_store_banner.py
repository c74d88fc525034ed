"""The window on a full disk (DOMAIN.md "Errors", QUALITY.md R4): a banner above the tabs says
the disk is full and nothing is lost, an admin's change is refused inline with the same words,
and both go once the store can be written again.
"""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from tests.damage import FullDisk
from tests.gui.helpers import TIMEOUT_MS
from thrudesk.services.container import Services
from thrudesk.services.errors import DiskFull
from thrudesk.services.starter import StarterAccount
from thrudesk.views.main_window import MainWindow
from thrudesk.views.widgets import Notice


def _banner(window: MainWindow) -> Notice:
    banner = window.findChild(Notice, "store_banner_box")
    assert banner is not None
    return banner


def _draft(services: Services, account: StarterAccount, title: str) -> int:
    return services.campaigns.create(
        account.actor, title, area_codes=["512"], use_case_id=account.use_case_id
    )


def test_r4_a_full_disk_shows_the_banner_until_the_store_takes_a_write_again(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
) -> None:
    banner = _banner(window)
    assert not banner.isVisible()
    disk = FullDisk(thrudesk_services.context.store)
    disk.fill()
    refusals: list[DiskFull] = []

    def write_until_refused() -> None:
        # On another thread, as a background import would meet the full disk.
        for index in range(200):
            try:
                _draft(thrudesk_services, thrudesk_account, f"Draft {index} " + "x" * 150)
            except DiskFull as refused:
                refusals.append(refused)
                return

    writer = threading.Thread(target=write_until_refused)
    writer.start()
    writer.join()
    assert [r.message for r in refusals] == [
        "The disk is full: thrudesk cannot save; nothing is lost."
    ]
    qtbot.waitUntil(banner.isVisible, timeout=TIMEOUT_MS)
    assert banner.label.text().startswith(
        "The disk is full: thrudesk cannot save; nothing is lost."
    )
    assert banner.geometry().bottom() < window.tabs.geometry().top() + 1
    disk.free()
    _draft(thrudesk_services, thrudesk_account, "Room again")
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=TIMEOUT_MS)
