"""Paint the screenshots of the README and the guides, with the program itself.

    python -m thrudesk.tools.screenshots docs/screenshots          (make screenshots)
    xvfb-run -a python -m thrudesk.tools.screenshots docs/screenshots   (no display at hand)

Each tab is painted by the program's own ``--demo --screenshot`` on a fresh profile. The dialogs
the admin's guide shows are then opened on the store that run left behind: the same demo, the
same simulated moment, the same window, only with a dialog in front.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from thrudesk import APP_NAME
from thrudesk.services.demo import TEAMWORK_CAMPAIGN

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QDialog

    from thrudesk.services.container import Services
    from thrudesk.views.main_window import MainWindow

RUN_TIMEOUT_S = 180
# Turns of the event loop a dialog gets to lay itself out and fill its estimate before painting.
SETTLE_ROUNDS = 20


@dataclass(frozen=True)
class TabShot:
    """A tab, painted by ``thrudesk --demo --screenshot FILE --tab TAB``."""

    file: str
    tab: str
    campaign: str | None = None  # the title of the campaign Campaign Details shows


@dataclass(frozen=True)
class DialogShot:
    """A dialog opened in front of the demo window, painted on its own."""

    file: str
    open: Callable[[MainWindow, Services], QDialog]


def _add_number_dialog(window: MainWindow, _services: Services) -> QDialog:
    """Add dedicated number, with Seattle's 206 chosen: the hard-to-get warning (N8) and the
    expected provisioning time (S6) show.
    """
    from PySide6.QtWidgets import QLineEdit

    from thrudesk.views.area_code_picker import AreaCodePicker

    window.tabs.setCurrentIndex(0)
    dialog = window.phone_numbers_tab.open_add_dialog()
    assert dialog is not None, "the demo account has a free dedicated slot"
    picker = dialog.findChild(AreaCodePicker, "area_code_picker")
    if picker is not None:
        picker.set_area_code("206")
    name = dialog.findChild(QLineEdit, "name_edit")
    if name is not None:
        name.setText("Seattle field office")
    return dialog


def _launch_dialog(window: MainWindow, services: Services, *, single_use: bool) -> QDialog:
    """The launch dialog (C2) of the demo's first Draft, on a dedicated or a single-use number."""
    from PySide6.QtWidgets import QRadioButton

    from thrudesk.services.rows import CampaignStatus, CampaignStatusFilter

    drafts = services.campaigns.index(window.actor, status=CampaignStatusFilter.DRAFT, limit=100)
    draft = next((row for row in drafts.rows if row.status is CampaignStatus.DRAFT), None)
    if draft is None:
        raise SystemExit("the demo has no Draft campaign to open the launch dialog for")
    window.tabs.setCurrentIndex(1)
    window.campaigns_tab.select_campaign(draft.id)
    dialog = window.campaigns_tab.open_launch_dialog()
    if dialog is None:
        raise SystemExit(f"the launch dialog did not open for campaign {draft.id}")
    if single_use:
        mode = dialog.findChild(QRadioButton, "number_mode_single_use")
        if mode is not None:
            mode.click()
    return dialog


def _launch_on_dedicated(window: MainWindow, services: Services) -> QDialog:
    return _launch_dialog(window, services, single_use=False)


def _launch_on_single_use(window: MainWindow, services: Services) -> QDialog:
    return _launch_dialog(window, services, single_use=True)


TABS = (
    TabShot("phone-numbers.png", "Phone Numbers"),
    TabShot("campaigns.png", "Campaigns"),
    TabShot("campaign-details.png", "Campaign Details", campaign=TEAMWORK_CAMPAIGN),
)
DIALOGS = (
    DialogShot("add-number-dialog.png", _add_number_dialog),
    DialogShot("launch-dialog-dedicated.png", _launch_on_dedicated),
    DialogShot("launch-dialog-single-use.png", _launch_on_single_use),
)


def paint_tabs(target: Path, profile: Path, shots: Sequence[TabShot]) -> list[Path]:
    """Run ``thrudesk --demo --screenshot`` once per tab on ``profile`` (the first run plays the
    demo into it); answer the files written.
    """
    written: list[Path] = []
    env = dict(os.environ, THRUDESK_NO_DIALOGS="1")
    for shot in shots:
        output = target / shot.file
        command = [
            sys.executable,
            "-m",
            APP_NAME,
            "--data-dir",
            str(profile),
            "--demo",
            "--screenshot",
            str(output),
            "--tab",
            shot.tab,
        ]
        if shot.campaign is not None:
            command += ["--campaign", str(_campaign_id(profile, shot.campaign))]
        result = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT_S, check=False
        )
        if result.returncode != 0:
            raise SystemExit(
                f"thrudesk could not paint the {shot.tab} tab (exit {result.returncode}): "
                f"{result.stderr.strip()}"
            )
        written.append(output)
    return written


def _campaign_id(profile: Path, title: str) -> int:
    """The id of the demo campaign called ``title`` in the store of ``profile``."""
    from thrudesk.paths import profile_paths
    from thrudesk.services.clock import ManualClock
    from thrudesk.services.container import Services
    from thrudesk.services.demo import DEMO_ACCOUNT
    from thrudesk.services.store import open_store

    store = open_store(profile_paths(profile).store_url)
    try:
        services = Services(store, ManualClock())
        demo = services.accounts.find(DEMO_ACCOUNT)
        if demo is None:
            raise SystemExit(f"the store in {profile} holds no demo account")
        actor = services.accounts.admin_actor(demo.id)
        for row in services.campaigns.index(actor, text=title).rows:
            if row.title == title:
                return row.id
        raise SystemExit(f"the demo has no campaign called “{title}”")
    finally:
        store.dispose()


def _settle(app: QApplication) -> None:
    import time

    # Real time, briefly: the platform needs a moment to map a dialog before it can be painted
    # (there is no simulated clock to wait on here).
    for _ in range(SETTLE_ROUNDS):
        app.processEvents()
        time.sleep(0.01)


def paint_dialogs(target: Path, profile: Path, shots: Sequence[DialogShot]) -> list[Path]:
    """Open each dialog in front of the demo window, on the store ``profile`` holds, and save
    it as PNG; answer the files written.
    """
    from PySide6.QtWidgets import QApplication

    from thrudesk.app import SCREENSHOT_SIZE
    from thrudesk.paths import profile_paths
    from thrudesk.services.clock import ManualClock
    from thrudesk.services.container import Services
    from thrudesk.services.demo import DEMO_ACCOUNT
    from thrudesk.services.simulation.clock_state import stored_now
    from thrudesk.services.simulation.engine import Simulator
    from thrudesk.services.store import open_store
    from thrudesk.views.about import app_icon
    from thrudesk.views.main_window import MainWindow
    from thrudesk.views.theme import ThemeManager

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setWindowIcon(app_icon())
    themes = ThemeManager(app)
    themes.apply()
    written: list[Path] = []
    store = open_store(profile_paths(profile).store_url)
    try:
        with store.read() as session:
            moment = stored_now(session)
        # A manual clock: nothing moves while the dialogs are painted. The simulator is not
        # started; it only answers the dialogs' estimates (S6).
        services = Services(store, ManualClock(moment))
        simulator = Simulator(services)
        demo = services.accounts.find(DEMO_ACCOUNT)
        if demo is None:
            raise SystemExit(f"the store in {profile} holds no demo account")
        window = MainWindow(services, simulator, services.accounts.admin_actor(demo.id))
        window.resize(*SCREENSHOT_SIZE)
        window.show()
        _settle(app)
        try:
            for shot in shots:
                dialog = shot.open(window, services)
                _settle(app)
                output = target / shot.file
                if not dialog.grab().save(str(output), "PNG"):
                    raise SystemExit(f"could not write {output}")
                written.append(output)
                dialog.close()
                _settle(app)
        finally:
            window.shutdown()
            window.close()
    finally:
        store.dispose()
    return written


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m thrudesk.tools.screenshots",
        description="Paint the tabs and the dialogs of the guides with thrudesk itself, on a "
        "fresh demo profile. Needs a display: run it under xvfb-run -a where there is none.",
    )
    parser.add_argument("target", type=Path, help="the folder to write the PNG files into")
    parser.add_argument(
        "--only",
        metavar="FILE",
        action="append",
        choices=[shot.file for shot in (*TABS, *DIALOGS)],
        help="paint only this file (repeatable), e.g. --only launch-dialog-single-use.png",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Paint the screenshots into the target folder; print each file written."""
    args = build_parser().parse_args(argv)
    only = set(args.only or ())
    tabs = [shot for shot in TABS if not only or shot.file in only]
    dialogs = [shot for shot in DIALOGS if not only or shot.file in only]
    args.target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="thrudesk-screenshots-") as folder:
        profile = Path(folder) / "profile"
        # The first tab's run plays the demo into the profile, which the dialogs need too;
        # painting dialogs alone still takes that run, into the scratch folder.
        written = paint_tabs(args.target, profile, tabs) if tabs else []
        if dialogs:
            if not tabs:
                paint_tabs(Path(folder), profile, TABS[:1])
            written += paint_dialogs(args.target, profile, dialogs)
    for path in written:
        print(f"painted {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
