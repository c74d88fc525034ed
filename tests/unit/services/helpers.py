"""Small steps many service tests share: complete a number, launch on it, follow it up."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine

from thrudesk.models.enums import Carrier, NumberMode
from thrudesk.services.campaigns import FollowupTargeting
from thrudesk.services.container import Services
from thrudesk.services.rows import PhoneNumberRow
from thrudesk.services.starter import StarterAccount
from thrudesk.services.store import url_for_path

CARRIERS = (Carrier.ATT, Carrier.VERIZON, Carrier.TMOBILE)


def complete(services: Services, number_id: int) -> None:
    """All three carriers confirm the number (N9)."""
    for carrier in CARRIERS:
        services.provisioning.answer(number_id, carrier, confirmed=True)


def fail(services: Services, number_id: int, carrier: Carrier = Carrier.TMOBILE) -> None:
    services.provisioning.answer(number_id, carrier, confirmed=False, reason="Not registered")


def buy_dedicated(
    services: Services, account: StarterAccount, name: str | None = None, area_code: str = "415"
) -> PhoneNumberRow:
    """A dedicated number of the account's use case, just bought: its provisioning starts."""
    return services.numbers.create_dedicated(account.actor, [area_code], account.use_case_id, name)


def complete_dedicated(
    services: Services, account: StarterAccount, name: str | None = None, area_code: str = "415"
) -> PhoneNumberRow:
    number = buy_dedicated(services, account, name, area_code)
    complete(services, number.id)
    return services.numbers.get(account.actor, number.id)


def active_on_dedicated(
    services: Services, account: StarterAccount, number_id: int, title: str = "Turnout"
) -> int:
    campaign_id = services.campaigns.create(
        account.actor, title, area_codes=["415"], use_case_id=account.use_case_id
    )
    services.campaigns.launch(account.actor, campaign_id, NumberMode.DEDICATED, number_id)
    return campaign_id


def busy_dedicated(
    services: Services, account: StarterAccount, count: int
) -> tuple[PhoneNumberRow, list[str], list[int]]:
    """A complete dedicated number with ``count`` active campaigns, oldest first: the number,
    their titles and their ids.
    """
    number = complete_dedicated(services, account, "Main line")
    titles = [f"Outreach {k:02d}" for k in range(count)]
    ids = [active_on_dedicated(services, account, number.id, title) for title in titles]
    return number, titles, ids


def launch_single_use(
    services: Services, account: StarterAccount, title: str = "Single", area_code: str = "512"
) -> int:
    campaign_id = services.campaigns.create(
        account.actor, title, area_codes=[area_code], use_case_id=account.use_case_id
    )
    services.campaigns.launch(account.actor, campaign_id, NumberMode.SINGLE_USE)
    return campaign_id


def new_followup(
    services: Services,
    account: StarterAccount,
    campaign_id: int,
    targeting: FollowupTargeting | None = None,
) -> int:
    """A followup of the campaign, "Reminder", expiring in two days (C8)."""
    return services.campaigns.create_followup(
        account.actor,
        campaign_id,
        title="Reminder",
        message="Polls close at 8 tonight",
        expires_at=services.clock.now() + timedelta(days=2),
        targeting=targeting,
    )


def store_at_revision(path: Path, revision: str) -> None:
    """A new store at an older schema, as an earlier thrudesk left it (R4)."""
    engine = create_engine(url_for_path(path))
    config = Config()
    config.set_main_option("script_location", "thrudesk:migrations")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    engine.dispose()


# An account with its admin, a Draft campaign and one contact in it, as an earlier thrudesk
# wrote them (the columns every older schema has).
OLD_STORE_ROWS = """
INSERT INTO account (id, name, timezone, provisioning_based_launching,
    default_batch_size, dedicated_number_limit, created_at)
VALUES (1, 'Old Org', 'America/Chicago', 1, 300, 5, '2026-01-05 10:00:00');
INSERT INTO user (id, account_id, name, email, role, created_at)
VALUES (1, 1, 'Ada Admin', 'ada@old.example', 'admin', '2026-01-05 10:00:00');
INSERT INTO campaign (id, account_id, title, status, script, sending_hours_start,
    sending_hours_end, self_assign, provisioning_failed, created_at,
    last_activity_at, contact_count, sender_count, unassigned_count)
VALUES (1, 1, 'Old campaign', 'draft', '', '09:00:00.000000', '21:00:00.000000', 0,
    0, '2026-01-05 10:00:00', '2026-01-05 10:00:00', 1, 0, 1);
INSERT INTO contact (id, account_id, phone, first_name, last_name)
VALUES (1, 1, '+12065550123', 'Ana', 'Lopez');
INSERT INTO conversation (id, campaign_id, contact_id, fields, message_state,
    at_risk, continues_thread)
VALUES (1, 1, 1, '{"ward": "W1"}', 'sent', 0, 0);
"""


def old_store_with_rows(path: Path, revision: str) -> None:
    """A store at an older schema holding :data:`OLD_STORE_ROWS` (R1, R4)."""
    store_at_revision(path, revision)
    connection = sqlite3.connect(path)
    try:
        with connection:
            connection.executescript(OLD_STORE_ROWS)
    finally:
        connection.close()
