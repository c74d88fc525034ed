"""Fixtures of the window's tests: the plugin's own (thrudesk/testing.py), which testers use too,
under the short names of this folder, a Draft to start from, and a campaign ready to work for the
teamwork tests.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pytest

from thrudesk.services.clock import ManualClock
from thrudesk.services.container import Services
from thrudesk.services.simulation.engine import Simulator
from thrudesk.services.starter import StarterAccount
from thrudesk.views.main_window import MainWindow
from thrudesk.views.theme import ThemeManager

if TYPE_CHECKING:
    # Imported when used: the steps import pytest-qt's helpers, which need its Qt set up first.
    from tests.gui.teamwork_steps import Campaign, CampaignWithContacts

# The offscreen platform says what it cannot do (raise a window, grab the keyboard for a popup,
# propagate size hints); that is about the platform, not about thrudesk.
OFFSCREEN_NOISE = "This plugin does not support (propagateSizeHints|raise|grabbing the keyboard)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/gui/" in item.nodeid:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture(autouse=True)
def qasync_loop(thrudesk_event_loop: asyncio.AbstractEventLoop) -> asyncio.AbstractEventLoop:
    """The plugin's qasync loop, running for every test of this folder (the window's and the
    dialogs' coroutine slots need it, with or without the whole window).
    """
    return thrudesk_event_loop


@pytest.fixture(scope="session")
def themed(thrudesk_theme: ThemeManager) -> ThemeManager:
    """The plugin's ``thrudesk_theme`` under the name the tests of this folder use."""
    return thrudesk_theme


@pytest.fixture
def window(thrudesk_window: MainWindow) -> MainWindow:
    """The plugin's ``thrudesk_window`` (the window on the test's store, manual clock and
    simulator, shown offscreen) under the name the tests of this folder use.
    """
    return thrudesk_window


class NewDraft(Protocol):
    """The ``new_draft`` fixture: ``new_draft(title)`` answers the id of a new Draft."""

    def __call__(self, title: str, code: str = ...) -> int: ...


@pytest.fixture
def new_draft(thrudesk_services: Services, thrudesk_account: StarterAccount) -> NewDraft:
    """Draft campaigns of the test's account, one area code each (512 unless told)."""

    def create(title: str, code: str = "512") -> int:
        return thrudesk_services.campaigns.create(
            thrudesk_account.actor,
            title,
            script="Hi {first_name}!",
            area_codes=[code],
            use_case_id=thrudesk_account.use_case_id,
        )

    return create


@pytest.fixture
def campaign_with_contacts(
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    sim_clock: ManualClock,
    thrudesk_account: StarterAccount,
    tmp_path: Path,
) -> CampaignWithContacts:
    """``campaign_with_contacts(contacts)``: an Active campaign of the test's account on a
    complete dedicated number, with ``contacts`` imported from a CSV file.
    """
    from tests.gui.teamwork_steps import active_campaign

    def launch(
        contacts: int, *, title: str = "Turnout", number_id: int | None = None, start: int = 0
    ) -> Campaign:
        return active_campaign(
            thrudesk_services,
            thrudesk_simulator,
            sim_clock,
            thrudesk_account,
            tmp_path,
            contacts,
            title=title,
            number_id=number_id,
            start=start,
        )

    return launch
