"""The benchmarks' data sets, built by thrudesk's own seeded generator (QUALITY.md, Data sets).

- **large**: 1 account, 5 dedicated + 44 single-use numbers, 100,000 campaigns, 1,000,000
  conversations, 200 senders. The account, its users, its numbers and the 44 single-use launches
  go through the services, so they carry their real history (events, carrier checks, jobs). The
  bulk of the campaigns and their conversations is written with ``executemany`` in the columns
  the services write, with the counters the campaign index sorts by kept exact: through the
  services, a hundred thousand campaigns would take the better part of an hour to build.
- **provisioning**: one account with 1,000 single-use campaigns launched at the same moment of a
  weekday afternoon, all 1,000 numbers provisioning (P2).
- **accounts**: 2,000 accounts, each with an admin, a Registered brand and an Approved use case
  (P4 starts five dedicated numbers in each: N2 allows no more).
- **contacts CSV**: 1,000,000 valid, distinct US numbers with names and two fields (P5).

Each set is built once into ``benchmarks/data/`` and rebuilt when its recipe changes (the recipe
version and the seed are kept beside it). A benchmark works on a copy, so no run sees what an
earlier one changed.
"""

from __future__ import annotations

import csv
import json
import random
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.harness import DATA_DIR, note
from thrudesk.models.enums import (
    Carrier,
    ClockKind,
    MessageState,
    NumberMode,
    Role,
    SenderSource,
)
from thrudesk.services import area_codes
from thrudesk.services.clock import ManualClock
from thrudesk.services.contact_phones import PhoneRefused, normalise_phone
from thrudesk.services.container import Services
from thrudesk.services.simulation.engine import Simulator
from thrudesk.services.starter import StarterAccount, create_starter_account
from thrudesk.services.store import open_store, url_for_path
from thrudesk.services.unit_of_work import Actor

SEED = 20260311
# Raised whenever what a set holds changes, the store's schema included (its migrations).
RECIPE = 5
# The moment the large store's clock stands at: Wednesday 11 March 2026, 14:30 US Eastern.
LARGE_NOW = datetime(2026, 3, 11, 18, 30, tzinfo=UTC)
# The provisioning set launches its numbers on a Tuesday at 13:00 US Eastern (busy afternoon).
PROVISIONING_NOW = datetime(2026, 3, 10, 17, 0, tzinfo=UTC)

LARGE_CAMPAIGNS = 100_000
LARGE_CONVERSATIONS = 1_000_000
LARGE_CONTACTS = 250_000
LARGE_SENDERS = 200
LARGE_DEDICATED = 5
LARGE_SINGLE_USE = 44
PROVISIONING_NUMBERS = 1_000
P4_ACCOUNTS = 2_000
CSV_CONTACTS = 1_000_000

ORDINARY_AREA_CODES = (
    "215", "303", "312", "404", "415", "503", "512", "602", "612", "617",
    "702", "713", "718", "804", "813", "919", "971", "984", "510", "414",
)  # fmt: skip
THEMES = (
    "Spring canvass", "Voter registration", "Town hall", "Rent relief", "Food drive",
    "Phone bank", "Get out the vote", "Volunteer recruit", "Budget hearing", "School board",
    "Transit survey", "Park cleanup", "Health fair", "Census outreach", "Library week",
)  # fmt: skip
PLACES = (
    "Seattle", "Tacoma", "Spokane", "Portland", "Boise", "Olympia", "Everett", "Bellingham",
    "Yakima", "Vancouver", "Eugene", "Salem", "Bend", "Kent", "Renton", "Redmond",
)  # fmt: skip
FIRST_NAMES = (
    "Ava", "Ben", "Carmen", "Dev", "Elena", "Farid", "Grace", "Hiro", "Imani", "Jonah",
    "Kira", "Luis", "Maren", "Nadia", "Omar", "Paige", "Quinn", "Rosa", "Silas", "Tamar",
)  # fmt: skip
LAST_NAMES = (
    "Abbott", "Baptiste", "Castillo", "Dunn", "Eriksen", "Fujita", "Garcia", "Haddad",
    "Ibarra", "Jensen", "Kowalski", "Larsen", "Moreau", "Nguyen", "Olsen", "Patel",
)  # fmt: skip


@dataclass(frozen=True)
class LargeStore:
    """The large store and the facts a benchmark needs about it."""

    path: Path
    account_id: int
    admin_id: int

    @property
    def actor(self) -> Actor:
        return Actor(account_id=self.account_id, user_id=self.admin_id)


# ---------------------------------------------------------------------------------- plumbing
def _stamp_path(target: Path) -> Path:
    return target.with_name(target.name + ".recipe.json")


def _fresh(target: Path, recipe: dict[str, int]) -> bool:
    stamp = _stamp_path(target)
    if not target.exists() or not stamp.exists():
        return False
    try:
        stamped = json.loads(stamp.read_text())
    except (OSError, ValueError):
        return False
    stamped.pop("facts", None)
    return bool(stamped == recipe)


def _built(
    name: str, recipe: dict[str, int], build: Callable[[Path], dict[str, int]]
) -> tuple[Path, dict[str, int]]:
    """The data set ``name``, built by ``build`` unless a fresh one is already there."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    target = DATA_DIR / name
    full = {"recipe": RECIPE, "seed": SEED, **recipe}
    stamp = _stamp_path(target)
    if _fresh(target, full):
        facts: dict[str, int] = json.loads(stamp.read_text()).get("facts", {})
        return target, facts
    note(f"building data set {name} (once; kept in {DATA_DIR})")
    started = time.perf_counter()
    for leftover in DATA_DIR.glob(name + "*"):
        leftover.unlink()
    work = target.with_name(target.name + ".building")
    facts = build(work)
    work.rename(target)
    stamp.write_text(json.dumps({**full, "facts": facts}))
    note(f"built {name} in {time.perf_counter() - started:.1f} s")
    return target, facts


def working_copy(source: Path, folder: Path) -> Path:
    """A private copy of a store for one benchmark (the original stays as built)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / source.name
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    shutil.copyfile(source, target)
    return target


def _settle(path: Path, now: datetime, *, paused: bool, speed: float = 1.0) -> None:
    """Let the simulator apply what is due at ``now`` (as the program would on opening the
    store), then store the clock as a scaled clock at ``now``: every run starts from the same
    state.
    """
    store = open_store(url_for_path(path))
    try:
        services = Services(store, ManualClock(now))
        simulator = Simulator(services, seed=SEED)
        simulator.start()
        simulator.stop()
    finally:
        store.dispose()
    connection = sqlite3.connect(path)
    try:
        connection.execute(
            "UPDATE simulation_state SET clock_kind = ?, speed = ?, paused = ?",
            (ClockKind.SCALED.value, speed, int(paused)),
        )
        connection.commit()
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def sql_datetime(moment: datetime) -> str:
    """A moment as SQLAlchemy stores a DateTime in SQLite (naive UTC, microseconds)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _phones(rng: random.Random, count: int) -> Iterator[str]:
    """``count`` distinct, valid US numbers as E.164."""
    codes = [row.code for row in area_codes.catalog() if not row.hard_to_get]
    seen: set[str] = set()
    while len(seen) < count:
        e164 = f"+1{rng.choice(codes)}{rng.randint(200, 999)}{rng.randint(0, 9999):04d}"
        if e164 in seen:
            continue
        try:
            normalise_phone(e164)
        except PhoneRefused:
            continue
        seen.add(e164)
        yield e164


def _answer_all(services: Services, number_id: int, *, reject: Carrier | None = None) -> None:
    for carrier in (Carrier.ATT, Carrier.VERIZON, Carrier.TMOBILE):
        confirmed = carrier is not reject
        services.provisioning.answer(
            number_id,
            carrier,
            confirmed=confirmed,
            reason=None if confirmed else "Brand details do not match the registration",
        )
        if not confirmed:
            return


# ---------------------------------------------------------------------------------- large
def large_store() -> LargeStore:
    """The large store (QUALITY.md), built on first use."""
    path, facts = _built(
        "large.sqlite3",
        {
            "campaigns": LARGE_CAMPAIGNS,
            "conversations": LARGE_CONVERSATIONS,
            "senders": LARGE_SENDERS,
        },
        _build_large,
    )
    return LargeStore(path=path, account_id=facts["account_id"], admin_id=facts["admin_id"])


def _build_large(path: Path) -> dict[str, int]:
    rng = random.Random(SEED)
    store = open_store(url_for_path(path))
    clock = ManualClock(LARGE_NOW - timedelta(days=3))
    try:
        services = Services(store, clock)
        account = create_starter_account(
            services, "Cascade Organising Network", use_cases=("Voter Outreach",)
        )
        actor = account.actor
        sender_ids = [
            services.accounts.add_user(
                account.account_id,
                f"{FIRST_NAMES[k % 20]} {LAST_NAMES[(k // 20) % 16]} {k + 1}",
                f"sender{k + 1}@example.org",
                Role.SENDER,
            ).id
            for k in range(LARGE_SENDERS)
        ]
        dedicated_ids: list[int] = []
        for k in range(LARGE_DEDICATED):
            number = services.numbers.create_dedicated(
                actor, [ORDINARY_AREA_CODES[k]], account.use_case_id, f"Line {k + 1}"
            )
            _answer_all(services, number.id)
            dedicated_ids.append(number.id)
            clock.advance(minutes=7)
        # The 44 single-use launches: 40 complete, one rejected, three still provisioning.
        for k in range(LARGE_SINGLE_USE):
            clock.advance(minutes=90)
            campaign_id = services.campaigns.create(
                actor,
                f"{THEMES[k % len(THEMES)]} {PLACES[k % len(PLACES)]} single-use {k + 1}",
                script="Hi {first_name}, this is Cascade Organising Network.",
                area_codes=[ORDINARY_AREA_CODES[(k + 5) % len(ORDINARY_AREA_CODES)]],
                use_case_id=account.use_case_id,
            )
            row = services.campaigns.launch(actor, campaign_id, NumberMode.SINGLE_USE)
            assert row.phone_number_id is not None
            if k < 40:
                _answer_all(services, row.phone_number_id)
            elif k == 40:
                _answer_all(services, row.phone_number_id, reject=Carrier.ATT)
        admin_id = account.admin_id
    finally:
        store.dispose()
    _bulk_campaigns(path, rng, account, dedicated_ids, sender_ids)
    _settle(path, LARGE_NOW, paused=True)
    return {"account_id": account.account_id, "admin_id": admin_id}


def _bulk_campaigns(
    path: Path,
    rng: random.Random,
    account: StarterAccount,
    dedicated_ids: list[int],
    sender_ids: list[int],
) -> None:
    """The rest of the 100,000 campaigns, their contacts, conversations and senders."""
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=OFF")
    try:
        existing = connection.execute("SELECT count(*) FROM campaign").fetchone()[0]
        count = LARGE_CAMPAIGNS - existing
        first_id = connection.execute("SELECT coalesce(max(id), 0) FROM campaign").fetchone()[0] + 1
        phones = list(_phones(rng, LARGE_CONTACTS))
        connection.executemany(
            "INSERT INTO contact (account_id, phone, first_name, last_name, opted_out_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (
                (
                    account.account_id,
                    phone,
                    rng.choice(FIRST_NAMES),
                    rng.choice(LAST_NAMES),
                    sql_datetime(LARGE_NOW - timedelta(days=rng.randint(1, 300)))
                    if rng.random() < 0.01
                    else None,
                )
                for phone in phones
            ),
        )
        contact_ids = [row[0] for row in connection.execute("SELECT id FROM contact ORDER BY id")]
        # Conversations per campaign: about ten on average, a few large ones, exactly 1M in all.
        sizes = [rng.choice((0, 2, 5, 8, 10, 12, 15, 18, 30)) for _ in range(count)]
        for _ in range(count // 200):
            sizes[rng.randrange(count)] += rng.randint(200, 2000)
        difference = LARGE_CONVERSATIONS - sum(sizes)
        step = 1 if difference > 0 else -1
        position = 0
        while difference:
            if sizes[position % count] + step >= 0:
                sizes[position % count] += step
                difference -= step
            position += 7919
        campaigns: list[tuple[object, ...]] = []
        senders: list[tuple[int, int, str, str]] = []
        conversations: list[tuple[int, int, int | None, str]] = []
        launched_pool: list[int] = []
        span = timedelta(days=720)
        for index in range(count):
            campaign_id = first_id + index
            created = (
                LARGE_NOW - span + span * (index / count) + timedelta(minutes=rng.randint(0, 600))
            )
            created = min(created, LARGE_NOW - timedelta(hours=2))
            roll = rng.random()
            age = LARGE_NOW - created
            if age > timedelta(days=60) or roll < 0.10:
                status = "archived" if roll > 0.05 else "draft"
            elif roll < 0.30:
                status = "draft"
            elif roll < 0.85:
                status = "active"
            else:
                status = "paused"
            parent_id: int | None = None
            if status != "draft" and launched_pool and rng.random() < 0.03:
                parent_id = rng.choice(launched_pool[-500:])
            launched = status != "draft"
            number_id = rng.choice(dedicated_ids) if launched else None
            start = created + timedelta(hours=rng.randint(1, 48)) if launched else None
            if status == "archived":
                activity = min(created + timedelta(days=rng.randint(1, 30)), LARGE_NOW)
                archived_at: str | None = sql_datetime(activity + timedelta(days=30))
            else:
                activity = LARGE_NOW - timedelta(days=rng.randint(0, 19), hours=rng.randint(0, 23))
                activity = max(activity, created)
                archived_at = None
            size = sizes[index]
            campaign_senders = (
                rng.sample(sender_ids, rng.choice((0, 1, 2, 3, 5, 8))) if launched else []
            )
            picked = rng.sample(contact_ids, size) if size else []
            unassigned = 0
            for contact_id in picked:
                assigned = campaign_senders and rng.random() < 0.7
                sender = rng.choice(campaign_senders) if assigned else None
                unassigned += sender is None
                conversations.append((campaign_id, contact_id, sender, "{}"))
            for user_id in campaign_senders:
                senders.append(
                    (campaign_id, user_id, SenderSource.DIRECT.value, sql_datetime(created))
                )
            campaigns.append(
                (
                    campaign_id,
                    account.account_id,
                    f"{rng.choice(THEMES)} {rng.choice(PLACES)} {created.year} #{index + 1}",
                    status,
                    NumberMode.DEDICATED.value if launched else None,
                    number_id,
                    account.use_case_id,
                    "Hi {first_name}, this is Cascade Organising Network.",
                    sql_datetime(start) if start else None,
                    None,
                    "09:00:00.000000",
                    "21:00:00.000000",
                    parent_id,
                    account.admin_id,
                    sql_datetime(created),
                    sql_datetime(start) if start else None,
                    sql_datetime(start) if start else None,
                    archived_at,
                    sql_datetime(activity),
                    size,
                    len(campaign_senders),
                    unassigned,
                )
            )
            if launched and parent_id is None:
                launched_pool.append(campaign_id)
        connection.executemany(
            "INSERT INTO campaign (id, account_id, title, status, number_mode, phone_number_id, "
            "use_case_id, script, start_at, end_at, sending_hours_start, sending_hours_end, "
            "self_assign, parent_id, provisioning_failed, created_by_id, created_at, "
            "launched_at, activated_at, archived_at, last_activity_at, contact_count, "
            "sender_count, unassigned_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, "
            "0, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            campaigns,
        )
        connection.executemany(
            "INSERT INTO campaign_sender (campaign_id, user_id, source, added_at) "
            "VALUES (?, ?, ?, ?)",
            senders,
        )
        connection.executemany(
            "INSERT INTO conversation (campaign_id, contact_id, sender_id, fields, message_state, "
            "at_risk, continues_thread, surcharge_cents) "
            f"VALUES (?, ?, ?, ?, '{MessageState.NOT_SENT.value}', 0, 0, 0)",
            conversations,
        )
        connection.commit()
    finally:
        connection.close()


# ---------------------------------------------------------------------------------- P2
def provisioning_store() -> tuple[Path, dict[str, int]]:
    """One account, 1,000 single-use campaigns launched together, every number provisioning."""
    return _built("provisioning.sqlite3", {"numbers": PROVISIONING_NUMBERS}, _build_provisioning)


def _build_provisioning(path: Path) -> dict[str, int]:
    store = open_store(url_for_path(path))
    clock = ManualClock(PROVISIONING_NOW - timedelta(hours=1))
    try:
        services = Services(store, clock)
        simulator = Simulator(services, seed=SEED)
        # 49 numbers per use case (N3): 21 use cases hold the thousand.
        use_cases = tuple(f"Outreach {k + 1}" for k in range(PROVISIONING_NUMBERS // 49 + 1))
        account = create_starter_account(services, "Rainier Tenant Network", use_cases=use_cases)
        actor = account.actor
        drafts = [
            services.campaigns.create(
                actor,
                f"{THEMES[k % len(THEMES)]} {PLACES[k % len(PLACES)]} {k + 1}",
                area_codes=[ORDINARY_AREA_CODES[k % len(ORDINARY_AREA_CODES)]],
                use_case_id=account.use_case_ids[k // 49],
            )
            for k in range(PROVISIONING_NUMBERS)
        ]
        clock.jump_to(PROVISIONING_NOW)
        # The simulator schedules each number's carrier answers as it is bought.
        simulator.start()
        for campaign_id in drafts:
            services.campaigns.launch(actor, campaign_id, NumberMode.SINGLE_USE)
        simulator.stop()
        facts: dict[str, int] = {"account_id": account.account_id, "admin_id": account.admin_id}
    finally:
        store.dispose()
    _settle(path, PROVISIONING_NOW, paused=False, speed=3600.0)
    return facts


# ---------------------------------------------------------------------------------- P4
def accounts_store() -> tuple[Path, dict[str, int]]:
    """2,000 accounts ready to buy dedicated numbers (an admin, a brand, a use case each)."""
    return _built("accounts.sqlite3", {"accounts": P4_ACCOUNTS}, _build_accounts)


def _build_accounts(path: Path) -> dict[str, int]:
    store = open_store(url_for_path(path))
    try:
        services = Services(store, ManualClock(LARGE_NOW))
        for k in range(P4_ACCOUNTS):
            create_starter_account(
                services,
                f"Organisation {k + 1:04d}",
                admin_name=f"Admin Number{k + 1}",
                use_cases=("Outreach",),
            )
    finally:
        store.dispose()
    return {"accounts": P4_ACCOUNTS}


# ---------------------------------------------------------------------------------- P5
def import_store() -> tuple[Path, dict[str, int]]:
    """One account with one Draft campaign, waiting for its contacts (P5)."""
    return _built("import.sqlite3", {"campaigns": 1}, _build_import)


def _build_import(path: Path) -> dict[str, int]:
    store = open_store(url_for_path(path))
    try:
        services = Services(store, ManualClock(LARGE_NOW - timedelta(hours=2)))
        account = create_starter_account(services, "Lakeside Voter Project")
        campaign_id = services.campaigns.create(
            account.actor,
            "Spring canvass, all wards",
            script="Hi {first_name}, this is Lakeside Voter Project.",
            area_codes=["206", "425"],
            use_case_id=account.use_case_id,
        )
        facts = {
            "account_id": account.account_id,
            "admin_id": account.admin_id,
            "campaign_id": campaign_id,
        }
    finally:
        store.dispose()
    _settle(path, LARGE_NOW, paused=True)
    return facts


def contacts_csv() -> Path:
    """A CSV of 1,000,000 contacts: phone, first name, last name and two fields."""
    path, _facts = _built("contacts-1m.csv", {"contacts": CSV_CONTACTS}, _build_csv)
    return path


def _build_csv(path: Path) -> dict[str, int]:
    rng = random.Random(SEED + 5)
    formats = (
        lambda d: f"({d[:3]}) {d[3:6]}-{d[6:]}",
        lambda d: f"{d[:3]}-{d[3:6]}-{d[6:]}",
        lambda d: f"+1{d}",
    )
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Phone", "First name", "Last name", "Ward", "Language"])
        for e164 in _phones(rng, CSV_CONTACTS):
            digits = e164[2:]
            writer.writerow(
                [
                    rng.choice(formats)(digits),
                    rng.choice(FIRST_NAMES),
                    rng.choice(LAST_NAMES),
                    f"Ward {rng.randint(1, 40)}",
                    rng.choice(("English", "Spanish", "Vietnamese", "Somali", "Tagalog")),
                ]
            )
    return {"contacts": CSV_CONTACTS}


__all__ = [
    "LARGE_NOW",
    "PROVISIONING_NOW",
    "LargeStore",
    "accounts_store",
    "contacts_csv",
    "import_store",
    "large_store",
    "provisioning_store",
    "sql_datetime",
    "working_copy",
]
