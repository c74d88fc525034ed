"""Steps the tests of the window share: a complete number, a campaign ready to work, its contacts
from a CSV file, senders of the account, and reading the figures Campaign Details shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PySide6.QtWidgets import QFileDialog, QLabel, QWidget
from pytestqt.qtbot import QtBot

from tests.gui.helpers import child, wait_dialog
from tests.unit.services.teamwork_helpers import contacts_csv, manual_sending
from thrudesk.services.clock import ManualClock
from thrudesk.services.container import Services
from thrudesk.services.rows import NumberMode, ProvisioningStatus, Role
from thrudesk.services.simulation.engine import Simulator
from thrudesk.services.starter import StarterAccount
from thrudesk.services.unit_of_work import Actor
from thrudesk.views.main_window import MainWindow


@dataclass(frozen=True)
class Campaign:
    id: int
    number_id: int | None


def complete_number(
    services: Services,
    simulator: Simulator,
    clock: ManualClock,
    account: StarterAccount,
    name: str = "Main line",
    area_code: str = "415",
) -> int:
    """A dedicated number, Provisioning Complete (the carriers confirm within minutes)."""
    simulator.force_next("complete")
    number = services.numbers.create_dedicated(
        account.actor, [area_code], account.use_case_id, name
    )
    clock.advance(minutes=10)
    assert services.numbers.get(account.actor, number.id).provisioning_status is (
        ProvisioningStatus.COMPLETE
    )
    return number.id


def quiet_team(services: Services, account: StarterAccount) -> None:
    """Simulated senders and contacts keep still: the test drives the team itself."""
    manual_sending(services, account)


def active_campaign(
    services: Services,
    simulator: Simulator,
    clock: ManualClock,
    account: StarterAccount,
    tmp_path: Path,
    contacts: int,
    *,
    title: str = "Turnout",
    number_id: int | None = None,
    start: int = 0,
) -> Campaign:
    """An Active campaign on a complete dedicated number, with ``contacts`` imported."""
    if number_id is None:
        number_id = complete_number(services, simulator, clock, account)
    campaign_id = services.campaigns.create(
        account.actor, title, script="Hi {first_name}!", use_case_id=account.use_case_id
    )
    import_contacts(services, account, campaign_id, tmp_path, contacts, start=start)
    services.campaigns.launch(account.actor, campaign_id, NumberMode.DEDICATED, number_id)
    return Campaign(campaign_id, number_id)


class CampaignWithContacts(Protocol):
    """The ``campaign_with_contacts`` fixture of tests/gui: :func:`active_campaign` on the
    test's account, simulator and clock.
    """

    def __call__(
        self, contacts: int, *, title: str = ..., number_id: int | None = ..., start: int = ...
    ) -> Campaign: ...


def import_contacts(
    services: Services,
    account: StarterAccount,
    campaign_id: int,
    tmp_path: Path,
    count: int,
    *,
    start: int = 0,
) -> None:
    if count:
        path = contacts_csv(tmp_path / f"contacts-{campaign_id}-{start}.csv", count, start=start)
        report = services.contacts.import_csv(account.actor, campaign_id, path)
        assert report.imported == count
        services.contacts.finish_import(account.actor, campaign_id)


def sender_users(services: Services, account: StarterAccount, *names: str) -> list[Actor]:
    """Users of the account with the sender role, as actors."""
    actors = []
    for name in names:
        email = f"{name.split()[0].lower()}@example.org"
        user = services.accounts.add_user(account.account_id, name, email, Role.SENDER)
        actors.append(Actor(account_id=account.account_id, user_id=user.id))
    return actors


def sender_on(services: Services, account: StarterAccount, campaign_id: int, name: str) -> Actor:
    """A new user with the sender role, added to the campaign's senders by its admin."""
    (sender,) = sender_users(services, account, name)
    services.senders.add(account.actor, campaign_id, [sender.user_id])
    return sender


def figure(window: MainWindow, key: str) -> int:
    """A figure of the Audience card, as a number (``1 020`` reads 1020)."""
    text = child(window.campaign_details_tab, QLabel, f"audience_{key}_value").text()
    return int(text.replace("\u202f", "").replace(",", ""))


def choose_file(qtbot: QtBot, parent: QWidget, name: str, path: Path) -> None:
    """Choose ``path`` in the file dialog named ``name``, as an admin would, and accept."""
    dialog = wait_dialog(qtbot, parent, name)
    assert isinstance(dialog, QFileDialog)
    dialog.selectFile(str(path))
    dialog.accept()
    qtbot.waitUntil(lambda: not dialog.isVisible())
