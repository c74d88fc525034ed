"""The demo accounts: a believable organisation with numbers in every provisioning state,
campaigns in every status and a team at work, and a small second account that proves isolation
(N12).

The demo is played, not inserted: a manual clock starts forty days ago and the services do what an
admin would have done since (contacts imported from CSV files, senders added, Self Assign switched
on), while the simulator plays the carriers, the senders and the contacts. Every timestamp and the
audit trail read like a real history, and the simulation goes on from there when the program runs.
"""

from __future__ import annotations

import csv
import random
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from thrudesk.models.enums import BrandStatus, Carrier, NumberMode, Role, UseCaseStatus
from thrudesk.services.campaigns import FollowupTargeting
from thrudesk.services.clock import ManualClock
from thrudesk.services.container import Services
from thrudesk.services.rows import PhoneNumberRow, UserRow, format_phone
from thrudesk.services.simulation.engine import Simulator
from thrudesk.services.simulation.state import load_state
from thrudesk.services.store import Store
from thrudesk.services.unit_of_work import Actor

DEMO_ACCOUNT = "Cascade Civic Alliance"
SECOND_ACCOUNT = "Harbor Tenants Union"
# The campaign whose team works as the clock runs: Self Assign on, its invite link open.
TEAMWORK_CAMPAIGN = "Early voting rides"
TEAMWORK_BATCH_SIZE = 60

FIRST_NAMES = (
    "Ava",
    "Ben",
    "Carmen",
    "Dev",
    "Elena",
    "Farid",
    "Grace",
    "Hiro",
    "Imani",
    "Jonah",
    "Kira",
    "Luis",
    "Maren",
    "Nadia",
    "Omar",
    "Paige",
    "Quinn",
    "Rosa",
    "Silas",
    "Tamar",
    "Uma",
    "Victor",
    "Wren",
    "Xavier",
    "Yara",
    "Zane",
)
LAST_NAMES = (
    "Abbott",
    "Baptiste",
    "Castillo",
    "Dunn",
    "Eriksen",
    "Fujita",
    "Garcia",
    "Haddad",
    "Ibarra",
    "Jensen",
    "Kowalski",
    "Larsen",
    "Moreau",
    "Nguyen",
    "Olsen",
    "Patel",
    "Quintero",
    "Reyes",
    "Sato",
    "Tran",
    "Underwood",
    "Vasquez",
    "Whitfield",
    "Yilmaz",
    "Zimmerman",
)
# Where most of the main account's contacts live.
LOCAL_AREA_CODES = ("206", "425", "253", "360")
NEIGHBORHOODS = (
    "Ballard",
    "Capitol Hill",
    "Fremont",
    "Georgetown",
    "Rainier Valley",
    "Wallingford",
)


@dataclass(frozen=True)
class DemoAccounts:
    main: Actor
    second: Actor


class _Demo:
    """One scripted history, played on a manual clock with the simulator running on it."""

    def __init__(
        self, services: Services, clock: ManualClock, simulator: Simulator, folder: Path
    ) -> None:
        self.services = services
        self.clock = clock
        self.simulator = simulator
        self.folder = folder
        self.rng = random.Random(20261122)
        self._phones: set[str] = set()
        self._files = 0
        # The phones each campaign's file brought, for a later campaign that texts them again.
        self.phones_of: dict[int, list[str]] = {}

    def at(self, when: datetime) -> None:
        """Move the story to ``when``; whatever falls due on the way happens, in order."""
        self.clock.jump_to(when)

    def confirms(self, after: timedelta) -> None:
        """The next number to start provisioning is confirmed by all three carriers, the last
        ``after`` from its start.
        """
        self.simulator.force_next("complete", after=after)

    def rejects(self, carrier: Carrier, reason: str, after: timedelta) -> None:
        """The next number to start provisioning is rejected by ``carrier`` after ``after``."""
        self.simulator.force_next("fail", carrier=carrier, reason=reason, after=after)

    def phone(self, area_codes: tuple[str, ...]) -> str:
        while True:
            code = self.rng.choice(area_codes)
            phone = f"+1{code}555{self.rng.randint(0, 9999):04d}"
            if phone not in self._phones:
                self._phones.add(phone)
                return phone

    def import_contacts(
        self,
        actor: Actor,
        campaign_id: int,
        count: int,
        area_codes: tuple[str, ...],
        *,
        known: Sequence[str] = (),
    ) -> list[str]:
        """Import ``count`` new contacts (after the ``known`` phones, first) from a CSV file, as
        an admin would; answers the phones of the file.
        """
        phones = [*known, *(self.phone(area_codes) for _ in range(count))]
        self._files += 1
        path = self.folder / f"contacts-{self._files}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["Phone", "First name", "Last name", "Neighborhood"])
            for phone in phones:
                writer.writerow(
                    [
                        format_phone(phone),
                        self.rng.choice(FIRST_NAMES),
                        self.rng.choice(LAST_NAMES),
                        self.rng.choice(NEIGHBORHOODS),
                    ]
                )
        contacts = self.services.contacts
        contacts.import_csv(actor, campaign_id, path)
        contacts.finish_import(actor, campaign_id)
        path.unlink()
        return phones

    def dedicated(
        self,
        actor: Actor,
        area_code: str,
        use_case_id: int,
        name: str,
        *,
        confirmed_after: timedelta | None = None,
    ) -> PhoneNumberRow:
        """A dedicated number the admin buys; confirmed by the carriers ``confirmed_after`` its
        start when given, otherwise left to whatever outcome the story forced before.
        """
        if confirmed_after is not None:
            self.confirms(confirmed_after)
        return self.services.numbers.create_dedicated(actor, [area_code], use_case_id, name)

    def campaign(
        self,
        actor: Actor,
        title: str,
        script: str,
        area_codes: Sequence[str],
        use_case_id: int,
        *,
        contacts: int,
        contact_area_codes: tuple[str, ...] = LOCAL_AREA_CODES,
        known: Sequence[str] = (),
    ) -> int:
        """A Draft campaign with ``contacts`` new contacts imported (after ``known``); answers
        its id. The phones imported are kept in :attr:`phones_of`.
        """
        campaign_id = self.services.campaigns.create(
            actor, title, script=script, area_codes=area_codes, use_case_id=use_case_id
        )
        self.phones_of[campaign_id] = self.import_contacts(
            actor, campaign_id, contacts, contact_area_codes, known=known
        )
        return campaign_id

    def launch(
        self,
        actor: Actor,
        campaign_id: int,
        number: PhoneNumberRow | None = None,
        senders: Sequence[UserRow] = (),
    ) -> None:
        """Launch on ``number`` (dedicated), or on a single-use number when none is given;
        then add ``senders``.
        """
        if number is None:
            self.services.campaigns.launch(actor, campaign_id, NumberMode.SINGLE_USE)
        else:
            self.services.campaigns.launch(actor, campaign_id, NumberMode.DEDICATED, number.id)
        if senders:
            self.services.senders.add(actor, campaign_id, [sender.id for sender in senders])


def seed_demo(
    store: Store,
    now: datetime,
    *,
    attach_simulator: Callable[[Services], Simulator] | None = None,
) -> DemoAccounts:
    """Play the demo history up to ``now`` on an empty store.

    The simulator (``attach_simulator``, thrudesk's own by default) runs on the story's manual
    clock: forced outcomes settle the numbers the story needs settled, simulated senders and
    contacts play the campaigns, and what is still due at ``now`` (numbers in the carriers'
    queue, the team of the Self Assign campaign) is left scheduled, to go on live once the
    program runs. The stored clock's kind and speed are kept as they were.
    """
    with store.begin() as session:
        state = load_state(session, now=now)
        kept_clock = (state.clock_kind, state.speed, state.paused)
    clock = ManualClock(now - timedelta(days=40))
    services = Services(store, clock)
    simulator = (attach_simulator or Simulator)(services)
    simulator.start()
    try:
        with tempfile.TemporaryDirectory(prefix="thrudesk-demo-") as folder:
            accounts = _play(_Demo(services, clock, simulator, Path(folder)), now)
    finally:
        simulator.stop()
    with store.begin() as session:
        state = load_state(session, now=now)
        state.clock_kind, state.speed, state.paused = kept_clock
        state.simulated_now = now
    return accounts


def _play(demo: _Demo, now: datetime) -> DemoAccounts:
    services = demo.services
    accounts = services.accounts

    # The organisation, its people, its brand and use cases.
    main = accounts.create_account(DEMO_ACCOUNT, timezone="America/Los_Angeles")
    maya = accounts.add_user(main.id, "Maya Chen", "maya@cascadecivic.org", Role.ADMIN)
    accounts.add_user(main.id, "Jordan Ellis", "jordan@cascadecivic.org", Role.ADMIN)
    texters = [
        accounts.add_user(main.id, name, f"{name.split()[0].lower()}@cascadecivic.org", Role.SENDER)
        for name in (
            "Priya Nair",
            "Marcus Webb",
            "Lena Ortiz",
            "Sam Okafor",
            "Tess Lindqvist",
            "Diego Ramos",
        )
    ]
    brand = accounts.register_brand(main.id, DEMO_ACCOUNT, BrandStatus.REGISTERED)
    outreach = accounts.add_use_case(main.id, brand, "Voter Outreach", UseCaseStatus.APPROVED)
    events = accounts.add_use_case(main.id, brand, "Community Events", UseCaseStatus.APPROVED)
    accounts.add_use_case(main.id, brand, "Fundraising", UseCaseStatus.PENDING)
    actor = Actor(account_id=main.id, user_id=maya.id)
    campaigns, senders = services.campaigns, services.senders

    # Two dedicated numbers that have served for weeks.
    demo.at(now - timedelta(days=38))
    main_line = demo.dedicated(
        actor, "425", outreach, "Main line", confirmed_after=timedelta(minutes=25)
    )
    demo.at(now - timedelta(days=37, hours=-2))
    events_line = demo.dedicated(
        actor, "253", events, "Events line", confirmed_after=timedelta(hours=5, minutes=40)
    )

    # A finished campaign (archived later in the story): two senders texted everyone.
    demo.at(now - timedelta(days=36))
    coats = demo.campaign(
        actor,
        "Winter coat drive",
        "Hi {first_name}! Drop off coats at any library.",
        ["253"],
        events,
        contacts=120,
    )
    demo.launch(actor, coats, events_line, texters[:2])

    # A campaign nobody has touched for 26 days, still pre-loaded: auto-archive is near (C17).
    demo.at(now - timedelta(days=26))
    levy = demo.campaign(
        actor,
        "Library levy reminder",
        "Hi {first_name}, the library levy is on your ballot. Questions? Reply here.",
        ["425"],
        outreach,
        contacts=200,
    )
    demo.launch(actor, levy, main_line)

    demo.at(now - timedelta(days=20))
    campaigns.archive(actor, coats)

    # The second account: small, and never visible from the first (N12).
    demo.at(now - timedelta(days=12))
    harbor = accounts.create_account(SECOND_ACCOUNT, timezone="America/New_York")
    ruth = accounts.add_user(harbor.id, "Ruth Alvarez", "ruth@harbortenants.org", Role.ADMIN)
    organizer = accounts.add_user(harbor.id, "Kofi Mensah", "kofi@harbortenants.org", Role.SENDER)
    harbor_brand = accounts.register_brand(harbor.id, SECOND_ACCOUNT, BrandStatus.REGISTERED)
    organizing = accounts.add_use_case(
        harbor.id, harbor_brand, "Tenant Organizing", UseCaseStatus.APPROVED
    )
    second = Actor(account_id=harbor.id, user_id=ruth.id)
    hotline = demo.dedicated(
        second, "617", organizing, "Hotline", confirmed_after=timedelta(minutes=18)
    )

    # A dedicated number a carrier rejected.
    demo.at(now - timedelta(days=6))
    demo.rejects(
        Carrier.VERIZON, "Number not linked to the brand's registration", timedelta(hours=2)
    )
    demo.dedicated(actor, "253", outreach, "Tacoma desk")

    # The busy campaign of the week: four senders texted everyone; contacts answered, some
    # of them STOP (M1–M3). A followup comes later.
    demo.at(now - timedelta(days=3))
    ballot = demo.campaign(
        actor,
        "Ballot return push",
        "Hi {first_name}! Ballots are due Tuesday. Need a drop box near {neighborhood}?",
        ["206", "425"],
        outreach,
        contacts=320,
    )
    demo.launch(actor, ballot, main_line, texters[:4])

    demo.at(now - timedelta(days=2, hours=2))
    hearing = demo.campaign(
        second,
        "Rent board hearing",
        "The rent board meets Monday, {first_name}.",
        ["617"],
        organizing,
        contacts=40,
        contact_area_codes=("617", "857"),
    )
    demo.launch(second, hearing, hotline, [organizer])

    # A single-use campaign that provisioned, ran and was paused.
    demo.at(now - timedelta(days=2))
    hall = demo.campaign(
        actor,
        "Tenant rights town hall",
        "Join us Thursday at 6 pm, {first_name}.",
        ["360", "253"],
        events,
        contacts=90,
    )
    demo.confirms(timedelta(minutes=40))
    demo.launch(actor, hall)
    demo.at(now - timedelta(days=2, minutes=-45))
    senders.add(actor, hall, [texters[4].id])

    # A single-use launch whose provisioning failed: back in Draft, flagged (C1, C9).
    demo.at(now - timedelta(days=1, hours=3))
    cleanup = demo.campaign(
        actor,
        "Neighborhood cleanup",
        "Grab gloves, {first_name}! Saturday 10 am.",
        ["509"],
        events,
        contacts=60,
        contact_area_codes=("509",),
    )
    demo.rejects(Carrier.TMOBILE, "Carrier queue rejected the number", timedelta(hours=3))
    demo.launch(actor, cleanup)

    # A followup to those who have not answered yet (C8): repliers and opt-outs are left out.
    demo.at(now - timedelta(hours=23))
    campaigns.create_followup(
        actor,
        ballot,
        title="Ballot return: last call",
        message="Last call, {first_name}: drop boxes close at 8 pm tomorrow.",
        expires_at=now + timedelta(days=1),
        targeting=FollowupTargeting(replied=False),
    )
    demo.at(now - timedelta(hours=20))
    campaigns.pause(actor, hall)

    # Pre-loaded: active, no senders yet (C12).
    demo.at(now - timedelta(hours=5))
    youth = demo.campaign(
        actor,
        "Youth vote registration",
        "Turning 18 before November, {first_name}? Register in two minutes.",
        ["206", "425"],
        outreach,
        contacts=150,
    )
    demo.confirms(timedelta(minutes=55))
    demo.launch(actor, youth)

    # The team at work (C14, C15, C18): Self Assign on, the invite link shared; senders join
    # through it and request batches as the clock runs. Its first contacts were texted by the
    # busy campaign on the same dedicated number, so their threads continue.
    demo.at(now - timedelta(minutes=50))
    rides = demo.campaign(
        actor,
        TEAMWORK_CAMPAIGN,
        "Hi {first_name}, need a ride to vote early in {neighborhood}? Reply YES.",
        ["206", "425"],
        outreach,
        contacts=900,
        known=demo.phones_of[ballot][:120],
    )
    senders.set_self_assign(actor, rides, True)
    senders.set_batch_size(actor, rides, TEAMWORK_BATCH_SIZE)

    # Still in the carriers' queue at `now`: these finish live.
    demo.at(now - timedelta(minutes=40))
    food = demo.campaign(
        actor,
        "Food bank volunteer call",
        "Can you help sort donations Saturday?",
        ["425", "206"],
        events,
        contacts=75,
    )
    demo.launch(actor, food)
    demo.at(now - timedelta(minutes=25))
    demo.dedicated(actor, "509", outreach, "Spokane office")

    demo.at(now - timedelta(minutes=15))
    demo.launch(actor, rides, main_line)

    # A draft being prepared.
    demo.at(now - timedelta(minutes=10))
    demo.campaign(
        actor,
        "Spring canvass kickoff",
        "Hi {first_name}, we're knocking doors in {neighborhood} this spring. Want in?",
        ["206", "425"],
        outreach,
        contacts=80,
    )

    demo.at(now)
    return DemoAccounts(main=actor, second=second)
