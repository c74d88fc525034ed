"""The demo accounts: a believable organisation with numbers in every provisioning state and
campaigns in every status, and a small second account that proves isolation (N12).

The demo is played, not inserted: a manual clock starts forty days ago and the services do what an
admin would have done since, so every timestamp and the audit trail read like a real history.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from thrudesk.models import Account, Campaign, CampaignSender, Contact, Conversation
from thrudesk.models.enums import (
    BrandStatus,
    Carrier,
    NumberMode,
    Role,
    SenderSource,
    UseCaseStatus,
)
from thrudesk.services.audience import recount
from thrudesk.services.campaigns import FollowupTargeting
from thrudesk.services.clock import ManualClock
from thrudesk.services.container import Services
from thrudesk.services.store import Store
from thrudesk.services.unit_of_work import Actor

DEMO_ACCOUNT = "Cascade Civic Alliance"
SECOND_ACCOUNT = "Harbor Tenants Union"

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


def store_is_empty(store: Store) -> bool:
    with store.read() as session:
        return (session.scalar(select(func.count(Account.id))) or 0) == 0


class _Demo:
    """One scripted history, played on a manual clock."""

    def __init__(self, services: Services, clock: ManualClock) -> None:
        self.services = services
        self.clock = clock
        self.rng = random.Random(20261122)
        self._phones: set[str] = set()

    def at(self, when: datetime) -> None:
        self.clock.jump_to(when)

    def confirm(self, number_id: int, after: timedelta) -> None:
        """The three carriers confirm, the slowest ``after`` from now."""
        start = self.clock.now()
        for share, carrier in zip((0.4, 0.7, 1.0), Carrier, strict=True):
            self.at(start + after * share)
            self.services.provisioning.answer(number_id, carrier, confirmed=True)

    def reject(self, number_id: int, carrier: Carrier, reason: str, after: timedelta) -> None:
        start = self.clock.now()
        for other in Carrier:
            if other is not carrier:
                self.at(start + after / 2)
                self.services.provisioning.answer(number_id, other, confirmed=True)
        self.at(start + after)
        self.services.provisioning.answer(number_id, carrier, confirmed=False, reason=reason)

    def phone(self, area_codes: tuple[str, ...]) -> str:
        while True:
            code = self.rng.choice(area_codes)
            phone = f"+1{code}555{self.rng.randint(0, 9999):04d}"
            if phone not in self._phones:
                self._phones.add(phone)
                return phone

    def contacts(
        self, account_id: int, campaign_id: int, count: int, area_codes: tuple[str, ...]
    ) -> None:
        """Add ``count`` contacts to a campaign, as a CSV import would."""
        with self.services.store.begin() as session:
            for _ in range(count):
                contact = Contact(
                    account_id=account_id,
                    phone=self.phone(area_codes),
                    first_name=self.rng.choice(FIRST_NAMES),
                    last_name=self.rng.choice(LAST_NAMES),
                )
                session.add(contact)
                session.flush()
                session.add(
                    Conversation(
                        campaign_id=campaign_id,
                        contact_id=contact.id,
                        fields={"neighborhood": self.rng.choice(NEIGHBORHOODS)},
                    )
                )
            recount(session, session.get_one(Campaign, campaign_id))

    def senders(self, campaign_id: int, user_ids: list[int]) -> None:
        """Add senders directly, splitting the Unassigned conversations evenly among them."""
        with self.services.store.begin() as session:
            for user_id in user_ids:
                session.add(
                    CampaignSender(
                        campaign_id=campaign_id,
                        user_id=user_id,
                        source=SenderSource.DIRECT,
                        added_at=self.clock.now(),
                    )
                )
            unassigned = session.scalars(
                select(Conversation)
                .where(Conversation.campaign_id == campaign_id, Conversation.sender_id.is_(None))
                .order_by(Conversation.id)
            ).all()
            for index, conversation in enumerate(unassigned):
                conversation.sender_id = user_ids[index % len(user_ids)]
            recount(session, session.get_one(Campaign, campaign_id))


def seed_demo(
    store: Store,
    now: datetime,
    *,
    attach_simulator: Callable[[Services], object] | None = None,
) -> DemoAccounts:
    """Play the demo history up to ``now`` on an empty store.

    ``attach_simulator`` (the simulator's constructor) lets the numbers still provisioning at
    ``now`` carry their scheduled carrier answers, so they complete live once the program runs.
    """
    clock = ManualClock(now - timedelta(days=40))
    services = Services(store, clock)
    if attach_simulator is not None:
        attach_simulator(services)
    demo = _Demo(services, clock)
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
    numbers, campaigns = services.numbers, services.campaigns
    local = ("206", "425", "253", "360")

    # Two dedicated numbers that have served for weeks.
    demo.at(now - timedelta(days=38))
    main_line = numbers.create_dedicated(actor, ["425"], outreach, "Main line")
    demo.confirm(main_line.id, timedelta(minutes=25))
    demo.at(now - timedelta(days=37, hours=-2))
    events_line = numbers.create_dedicated(actor, ["253"], events, "Events line")
    demo.confirm(events_line.id, timedelta(hours=5, minutes=40))

    # A finished campaign (archived later in the story).
    demo.at(now - timedelta(days=36))
    coats = campaigns.create(
        actor,
        "Winter coat drive",
        script="Hi {first_name}! Drop off coats at any library.",
        area_codes=["253"],
        use_case_id=events,
    )
    demo.contacts(main.id, coats, 120, local)
    campaigns.launch(actor, coats, NumberMode.DEDICATED, events_line.id)
    demo.senders(coats, [texters[0].id, texters[1].id])

    # A campaign nobody has touched for 26 days: auto-archive is near (C17).
    demo.at(now - timedelta(days=26))
    levy = campaigns.create(
        actor,
        "Library levy reminder",
        script="Hi {first_name}, the library levy is on your ballot. Questions? Reply here.",
        area_codes=["425"],
        use_case_id=outreach,
    )
    demo.contacts(main.id, levy, 200, local)
    campaigns.launch(actor, levy, NumberMode.DEDICATED, main_line.id)

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
    hotline = numbers.create_dedicated(second, ["617"], organizing, "Hotline")
    demo.confirm(hotline.id, timedelta(minutes=18))

    # A dedicated number a carrier rejected.
    demo.at(now - timedelta(days=6))
    tacoma = numbers.create_dedicated(actor, ["253"], outreach, "Tacoma desk")
    demo.reject(
        tacoma.id,
        Carrier.VERIZON,
        "Number not linked to the brand's registration",
        timedelta(hours=2),
    )

    # The busy campaign of the week, with senders (a followup comes later).
    demo.at(now - timedelta(days=3))
    ballot = campaigns.create(
        actor,
        "Ballot return push",
        script="Hi {first_name}! Ballots are due Tuesday. Need a drop box near {neighborhood}?",
        area_codes=["206", "425"],
        use_case_id=outreach,
    )
    demo.contacts(main.id, ballot, 320, local)
    campaigns.launch(actor, ballot, NumberMode.DEDICATED, main_line.id)
    demo.senders(ballot, [t.id for t in texters[:4]])

    demo.at(now - timedelta(days=2, hours=2))
    hearing = campaigns.create(
        second,
        "Rent board hearing",
        script="The rent board meets Monday, {first_name}.",
        area_codes=["617"],
        use_case_id=organizing,
    )
    demo.contacts(harbor.id, hearing, 40, ("617", "857"))
    campaigns.launch(second, hearing, NumberMode.DEDICATED, hotline.id)
    demo.senders(hearing, [organizer.id])

    # A single-use campaign that provisioned, ran and was paused.
    demo.at(now - timedelta(days=2))
    hall = campaigns.create(
        actor,
        "Tenant rights town hall",
        script="Join us Thursday at 6 pm, {first_name}.",
        area_codes=["360", "253"],
        use_case_id=events,
    )
    demo.contacts(main.id, hall, 90, local)
    hall_row = campaigns.launch(actor, hall, NumberMode.SINGLE_USE)
    assert hall_row.phone_number_id is not None
    demo.confirm(hall_row.phone_number_id, timedelta(minutes=40))
    demo.senders(hall, [texters[4].id])

    # A single-use launch whose provisioning failed: back in Draft, flagged (C1, C9).
    demo.at(now - timedelta(days=1, hours=3))
    cleanup = campaigns.create(
        actor,
        "Neighborhood cleanup",
        script="Grab gloves, {first_name}! Saturday 10 am.",
        area_codes=["509"],
        use_case_id=events,
    )
    demo.contacts(main.id, cleanup, 60, ("509",))
    cleanup_row = campaigns.launch(actor, cleanup, NumberMode.SINGLE_USE)
    assert cleanup_row.phone_number_id is not None
    demo.reject(
        cleanup_row.phone_number_id,
        Carrier.TMOBILE,
        "Carrier queue rejected the number",
        timedelta(hours=3),
    )

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
    youth = campaigns.create(
        actor,
        "Youth vote registration",
        script="Turning 18 before November, {first_name}? Register in two minutes.",
        area_codes=["206", "425"],
        use_case_id=outreach,
    )
    demo.contacts(main.id, youth, 150, local)
    youth_row = campaigns.launch(actor, youth, NumberMode.SINGLE_USE)
    assert youth_row.phone_number_id is not None
    demo.confirm(youth_row.phone_number_id, timedelta(minutes=55))

    # Still in the carriers' queue at `now`: these finish live.
    demo.at(now - timedelta(minutes=40))
    food = campaigns.create(
        actor,
        "Food bank volunteer call",
        script="Can you help sort donations Saturday?",
        area_codes=["425", "206"],
        use_case_id=events,
    )
    demo.contacts(main.id, food, 75, local)
    campaigns.launch(actor, food, NumberMode.SINGLE_USE)
    demo.at(now - timedelta(minutes=20))
    numbers.create_dedicated(actor, ["509"], outreach, "Spokane office")

    # A draft being prepared.
    demo.at(now - timedelta(minutes=10))
    spring = campaigns.create(
        actor,
        "Spring canvass kickoff",
        script="Hi {first_name}, we're knocking doors in {neighborhood} this spring. Want in?",
        area_codes=["206", "425"],
        use_case_id=outreach,
    )
    demo.contacts(main.id, spring, 80, local)

    demo.at(now)
    return DemoAccounts(main=actor, second=second)
