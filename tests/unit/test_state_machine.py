"""R2: random admins doing random things, with the rules' invariants checked after every step.

Two accounts share one store and one simulator on a manual clock. Each step is one thing an admin,
a sender or the carriers could do, aimed at any object of either account (so that N12 refusals
are exercised too). A refusal is a typed error and must leave the store as it was; anything else
that escapes a service is a bug. After every step the invariants of N2, N3, N4, N5, N12, C1, C8
and C14 are read from the store with plain SQL.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import hypothesis.strategies as st
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from tests.unit.services.teamwork_helpers import contacts_csv
from thrudesk.models.enums import Carrier, NumberMode, Role
from thrudesk.services.campaigns import FollowupTargeting
from thrudesk.services.clock import ManualClock
from thrudesk.services.container import Services
from thrudesk.services.errors import ThrudeskError
from thrudesk.services.numbers import USE_CASE_NUMBER_LIMIT
from thrudesk.services.simulation.engine import Simulator
from thrudesk.services.starter import create_starter_account
from thrudesk.services.store import Store, open_store, url_for_path
from thrudesk.services.unit_of_work import Actor

START = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
AREA_CODES = ("415", "512", "617", "206", "907")
SENDERS_PER_ACCOUNT = 3

_template: Path | None = None


def _template_store() -> Path:
    """A migrated store file, made once, copied for every run (migrating takes most of a run)."""
    global _template
    if _template is None:
        folder = Path(tempfile.mkdtemp(prefix="thrudesk-r2-"))
        path = folder / "template.sqlite3"
        open_store(url_for_path(path)).dispose()
        _template = path
    return _template


class Admins(RuleBasedStateMachine):
    """The store under random use; see the module docstring."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="thrudesk-r2-run-"))
        path = self.folder / "thrudesk.sqlite3"
        shutil.copy(_template_store(), path)
        self.store: Store = open_store(url_for_path(path))
        # Plain sqlite3 for the checks: thousands of reads per run, without ORM overhead.
        self.reader = sqlite3.connect(path)
        self.tables = [
            name
            for (name,) in self.reader.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        self.clock = ManualClock(START)
        self.services = Services(self.store, self.clock)
        self.simulator = Simulator(self.services, seed=7)
        self.simulator.start()
        self.admins: list[Actor] = []
        self.use_cases: list[int] = []
        self.senders: dict[int, list[Actor]] = {}
        # Per account: most steps act on the acting admin's own things; one in ten reaches into
        # the other account's (N12 must refuse those).
        self.numbers: list[list[int]] = [[], []]
        self.campaigns: list[list[int]] = [[], []]
        self.imports = 0

    @initialize()
    def two_accounts(self) -> None:
        for name, admin in (("North Org", "Nora North"), ("South Org", "Sam South")):
            account = create_starter_account(self.services, name, admin_name=admin)
            self.admins.append(account.actor)
            self.use_cases.extend(account.use_case_ids)
            self.senders[account.account_id] = [
                Actor(
                    account_id=account.account_id,
                    user_id=self.services.accounts.add_user(
                        account.account_id, f"Texter {i}", f"t{i}@{name[0]}.example", Role.SENDER
                    ).id,
                )
                for i in range(SENDERS_PER_ACCOUNT)
            ]
            # Each account starts where admins usually are: a complete dedicated number with an
            # Active campaign on it, and a draft with contacts, ready for a single-use launch.
            who = len(self.admins) - 1
            number = self.services.numbers.create_dedicated(
                account.actor, ["415"], account.use_case_id, "Main line"
            )
            for carrier in Carrier:
                self.services.provisioning.answer(number.id, carrier, confirmed=True)
            self.numbers[who].append(number.id)
            for title, codes in (("Seed active", ["415"]), ("Seed draft", ["512", "617"])):
                campaign = self.services.campaigns.create(
                    account.actor, title, area_codes=codes, use_case_id=account.use_case_id
                )
                self.imports += 1
                path = contacts_csv(self.folder / f"seed-{self.imports}.csv", 8, start=who * 20)
                self.services.contacts.import_csv(account.actor, campaign, path)
                self.campaigns[who].append(campaign)
            self.services.campaigns.launch(
                account.actor, self.campaigns[who][0], NumberMode.DEDICATED, number.id
            )

    def teardown(self) -> None:
        self.reader.close()
        self.simulator.stop()
        self.store.dispose()
        shutil.rmtree(self.folder, ignore_errors=True)

    # ------------------------------------------------------------------ helpers
    def _pick(self, items: list[list[int]], who: int, index: int) -> int | None:
        """An item of the admin's own account, or of the other one when ``index`` says so."""
        own = items[who] if index % 10 else items[1 - who]
        return own[index % len(own)] if own else None

    def _where(self, who: int, table: str, condition: str) -> list[int]:
        """Ids of the admin's own rows of ``table`` that meet ``condition``."""
        account = self.admins[who].account_id
        return [
            row_id
            for (row_id,) in self.reader.execute(
                f"SELECT id FROM {table} WHERE account_id = ? AND {condition} ORDER BY id",
                (account,),
            )
        ]

    def _use_case(self, who: int, index: int) -> int:
        """One of the admin's own two use cases, or (one time in ten) the other account's."""
        account = who if index % 10 else 1 - who
        return self.use_cases[2 * account + index % 2]

    def _snapshot(self) -> list[list[tuple[Any, ...]]]:
        return [self.reader.execute(f"SELECT * FROM {t}").fetchall() for t in self.tables]

    def _attempt(self, action: Any) -> Any:
        """Run one service call; a refusal must write nothing."""
        before = self._snapshot()
        refusal: ThrudeskError | None = None
        try:
            return action()
        except ThrudeskError as error:
            refusal = error
        assert refusal.message.strip()
        assert self._snapshot() == before, f"refused but wrote: {refusal.message}"
        return None

    # ------------------------------------------------------------------ numbers
    @rule(
        who=st.integers(0, 1),
        codes=st.lists(st.sampled_from(AREA_CODES), min_size=1, max_size=2, unique=True),
        use_case=st.integers(0, 19),
        name=st.one_of(st.none(), st.text(max_size=70)),
    )
    def create_dedicated(self, who: int, codes: list[str], use_case: int, name: str | None) -> None:
        row = self._attempt(
            lambda: self.services.numbers.create_dedicated(
                self.admins[who], codes, self._use_case(who, use_case), name
            )
        )
        if row is not None:
            self.numbers[who].append(row.id)

    @precondition(lambda self: any(self.numbers))
    @rule(
        index=st.integers(0, 1000),
        carrier=st.sampled_from(list(Carrier)),
        confirmed=st.sampled_from([True, True, True, False]),
    )
    def carrier_answers(self, index: int, carrier: Carrier, confirmed: bool) -> None:
        every = self.numbers[0] + self.numbers[1]
        number = every[index % len(every)]
        self.services.provisioning.answer(number, carrier, confirmed=confirmed, reason="random")

    @rule(minutes=st.integers(1, 1440))
    def time_passes(self, minutes: int) -> None:
        self.clock.advance(minutes=minutes)

    @precondition(lambda self: any(self.numbers))
    @rule(who=st.integers(0, 1), index=st.integers(0, 1000))
    def delete_number(self, who: int, index: int) -> None:
        number = self._pick(self.numbers, who, index)
        if number is None:
            return
        self._attempt(lambda: self.services.numbers.delete(self.admins[who], number))

    @precondition(lambda self: any(self.numbers))
    @rule(who=st.integers(0, 1), index=st.integers(0, 1000), name=st.text(max_size=70))
    def rename_number(self, who: int, index: int, name: str) -> None:
        number = self._pick(self.numbers, who, index)
        if number is None:
            return
        self._attempt(lambda: self.services.numbers.rename(self.admins[who], number, name))

    # ------------------------------------------------------------------ campaigns
    @rule(
        who=st.integers(0, 1),
        codes=st.lists(st.sampled_from(AREA_CODES), min_size=1, max_size=3, unique=True),
        use_case=st.integers(0, 19),
    )
    def create_campaign(self, who: int, codes: list[str], use_case: int) -> None:
        campaign = self._attempt(
            lambda: self.services.campaigns.create(
                self.admins[who],
                f"Campaign {len(self.campaigns)}",
                area_codes=codes,
                use_case_id=self._use_case(who, use_case),
            )
        )
        if campaign is not None:
            self.campaigns[who].append(campaign)

    @precondition(lambda self: any(self.campaigns))
    @rule(who=st.integers(0, 1), index=st.integers(0, 1000), count=st.integers(1, 12))
    def import_contacts(self, who: int, index: int, count: int) -> None:
        campaign = self._pick(self.campaigns, who, index)
        if campaign is None:
            return
        self.imports += 1
        path = contacts_csv(
            self.folder / f"contacts-{self.imports}.csv", count, start=(self.imports * 5) % 40
        )
        self._attempt(lambda: self.services.contacts.import_csv(self.admins[who], campaign, path))

    @precondition(lambda self: any(self.campaigns))
    @rule(
        who=st.integers(0, 1),
        index=st.integers(0, 1000),
        mode=st.sampled_from(list(NumberMode)),
        number=st.integers(0, 1000),
    )
    def launch(self, who: int, index: int, mode: NumberMode, number: int) -> None:
        # Admins mostly launch their drafts on their complete numbers; sometimes anything.
        drafts = self._where(who, "campaign", "status = 'draft' AND parent_id IS NULL")
        campaign = (
            drafts[index % len(drafts)]
            if drafts and index % 4
            else self._pick(self.campaigns, who, index)
        )
        if campaign is None:
            return
        ready = self._where(who, "phone_number", "provisioning_status = 'complete'")
        number_id = (
            ready[number % len(ready)]
            if ready and number % 4
            else self._pick(self.numbers, who, number)
        )
        self._attempt(
            lambda: self.services.campaigns.launch(self.admins[who], campaign, mode, number_id)
        )

    @precondition(lambda self: any(self.campaigns))
    @rule(
        who=st.integers(0, 1),
        index=st.integers(0, 1000),
        action=st.sampled_from(["pause", "resume", "archive", "clone", "clone_and_archive"]),
    )
    def change_status(self, who: int, index: int, action: str) -> None:
        campaign = self._pick(self.campaigns, who, index)
        if campaign is None:
            return
        result = self._attempt(
            lambda: getattr(self.services.campaigns, action)(self.admins[who], campaign)
        )
        if isinstance(result, int):
            self.campaigns[who].append(result)

    @precondition(lambda self: any(self.campaigns))
    @rule(
        who=st.integers(0, 1),
        index=st.integers(0, 1000),
        replied=st.sampled_from([None, True, False]),
        leave_out=st.lists(st.integers(1, 80), max_size=4),
    )
    def followup(self, who: int, index: int, replied: bool | None, leave_out: list[int]) -> None:
        live = self._where(who, "campaign", "status IN ('active', 'paused') AND parent_id IS NULL")
        campaign = (
            live[index % len(live)]
            if live and index % 4
            else self._pick(self.campaigns, who, index)
        )
        if campaign is None:
            return
        targeting = FollowupTargeting(
            replied=replied, field_equals={"ward": "W1"}, exclude_contact_ids=leave_out
        )
        followup = self._attempt(
            lambda: self.services.campaigns.create_followup(
                self.admins[who],
                campaign,
                title="Followup",
                message="One more thing",
                expires_at=self.clock.now().replace(year=self.clock.now().year + 1),
                targeting=targeting,
            )
        )
        if followup is not None:
            self.campaigns[who].append(followup)

    # ------------------------------------------------------------------ teamwork (C12–C15)
    @precondition(lambda self: any(self.campaigns))
    @rule(who=st.integers(0, 1), index=st.integers(0, 1000), enabled=st.booleans())
    def self_assign(self, who: int, index: int, enabled: bool) -> None:
        campaign = self._pick(self.campaigns, who, index)
        if campaign is None:
            return
        self._attempt(
            lambda: self.services.senders.set_self_assign(self.admins[who], campaign, enabled)
        )

    @precondition(lambda self: any(self.campaigns))
    @rule(
        who=st.integers(0, 1),
        index=st.integers(0, 1000),
        size=st.one_of(st.none(), st.integers(-2, 5003)),
    )
    def batch_size(self, who: int, index: int, size: int | None) -> None:
        campaign = self._pick(self.campaigns, who, index)
        if campaign is None:
            return
        self._attempt(
            lambda: self.services.senders.set_batch_size(self.admins[who], campaign, size)
        )

    @precondition(lambda self: any(self.campaigns))
    @rule(
        who=st.integers(0, 1),
        index=st.integers(0, 1000),
        picks=st.lists(st.integers(0, SENDERS_PER_ACCOUNT - 1), min_size=1, max_size=3),
        elsewhere=st.integers(0, 9),
    )
    def add_senders(self, who: int, index: int, picks: list[int], elsewhere: int) -> None:
        campaign = self._pick(self.campaigns, who, index)
        if campaign is None:
            return
        pool = self.senders[self.admins[who if elsewhere else 1 - who].account_id]
        user_ids = sorted({pool[p].user_id for p in picks})
        self._attempt(lambda: self.services.senders.add(self.admins[who], campaign, user_ids))

    @precondition(lambda self: any(self.campaigns))
    @rule(
        who=st.integers(0, 1),
        index=st.integers(0, 1000),
        sender=st.integers(0, SENDERS_PER_ACCOUNT - 1),
    )
    def request_batch(self, who: int, index: int, sender: int) -> None:
        campaign = self._pick(self.campaigns, who, index)
        if campaign is None:
            return
        actor = self.senders[self.admins[who].account_id][sender]
        self._attempt(lambda: self.services.senders.request_batch(actor, campaign))

    # ------------------------------------------------------------------ invariants
    def _rows(self, sql: str) -> list[tuple[Any, ...]]:
        return self.reader.execute(sql).fetchall()

    @invariant()
    def n2_at_most_the_dedicated_limit(self) -> None:
        assert not self._rows(
            """SELECT a.id FROM account a
               WHERE (SELECT count(*) FROM phone_number p WHERE p.account_id = a.id
                      AND p.kind = 'dedicated' AND p.released_at IS NULL)
                     > a.dedicated_number_limit"""
        )

    @invariant()
    def n3_at_most_49_numbers_per_use_case(self) -> None:
        assert not self._rows(
            f"""SELECT use_case_id FROM phone_number WHERE released_at IS NULL
                GROUP BY use_case_id HAVING count(*) > {USE_CASE_NUMBER_LIMIT}"""
        )

    @invariant()
    def n4_launched_dedicated_campaigns_are_on_complete_numbers(self) -> None:
        assert not self._rows(
            """SELECT c.id FROM campaign c JOIN phone_number p ON p.id = c.phone_number_id
               WHERE c.number_mode = 'dedicated' AND c.status IN ('active', 'paused', 'launching')
                 AND (p.kind != 'dedicated' OR p.provisioning_status != 'complete')"""
        )

    @invariant()
    def n5_no_campaign_in_use_on_a_released_number(self) -> None:
        assert not self._rows(
            """SELECT c.id FROM campaign c JOIN phone_number p ON p.id = c.phone_number_id
               WHERE c.status IN ('active', 'paused', 'launching') AND p.released_at IS NOT NULL"""
        )

    @invariant()
    def n12_nothing_crosses_accounts(self) -> None:
        assert not self._rows(
            """SELECT c.id FROM campaign c JOIN phone_number p ON p.id = c.phone_number_id
               WHERE p.account_id != c.account_id"""
        )
        assert not self._rows(
            """SELECT v.id FROM conversation v JOIN campaign c ON c.id = v.campaign_id
               JOIN contact k ON k.id = v.contact_id WHERE k.account_id != c.account_id"""
        )
        assert not self._rows(
            """SELECT s.id FROM campaign_sender s JOIN campaign c ON c.id = s.campaign_id
               JOIN user u ON u.id = s.user_id WHERE u.account_id != c.account_id"""
        )
        assert not self._rows(
            """SELECT v.id FROM conversation v JOIN campaign c ON c.id = v.campaign_id
               JOIN user u ON u.id = v.sender_id WHERE u.account_id != c.account_id"""
        )

    @invariant()
    def c1_statuses_hold_together(self) -> None:
        assert not self._rows(
            """SELECT id FROM campaign WHERE status NOT IN
               ('draft', 'launching', 'active', 'paused', 'archived')"""
        )
        assert not self._rows(
            "SELECT id FROM campaign WHERE status = 'archived' AND archived_at IS NULL"
        )
        # No campaign is left Launching on a number that completed or failed.
        assert not self._rows(
            """SELECT c.id FROM campaign c JOIN phone_number p ON p.id = c.phone_number_id
               WHERE c.status = 'launching' AND p.provisioning_status != 'initiated'"""
        )
        # A failed launch is back in Draft (or archived since).
        assert not self._rows(
            """SELECT id FROM campaign WHERE provisioning_failed = 1
               AND status NOT IN ('draft', 'archived')"""
        )

    @invariant()
    def c8_followups_stay_inside_the_original(self) -> None:
        assert not self._rows(
            """SELECT f.id FROM campaign f JOIN campaign o ON o.id = f.parent_id
               WHERE f.phone_number_id IS NOT o.phone_number_id"""
        )
        assert not self._rows(
            """SELECT v.id FROM conversation v JOIN campaign f ON f.id = v.campaign_id
               WHERE f.parent_id IS NOT NULL AND v.contact_id NOT IN
                 (SELECT contact_id FROM conversation WHERE campaign_id = f.parent_id)"""
        )

    @invariant()
    def c14_conversations_go_only_to_the_campaigns_senders(self) -> None:
        assert not self._rows(
            """SELECT v.id FROM conversation v WHERE v.sender_id IS NOT NULL
               AND v.message_state IN ('not_sent', 'held')
               AND NOT EXISTS (SELECT 1 FROM campaign_sender s
                               WHERE s.campaign_id = v.campaign_id AND s.user_id = v.sender_id)"""
        )
        assert not self._rows(
            """SELECT c.id FROM campaign c WHERE c.unassigned_count !=
               (SELECT count(*) FROM conversation v WHERE v.campaign_id = c.id
                AND v.sender_id IS NULL)"""
        )
        assert not self._rows(
            """SELECT id FROM campaign
               WHERE batch_size IS NOT NULL AND batch_size NOT BETWEEN 1 AND 5000"""
        )


Admins.TestCase.settings = settings(
    max_examples=200,
    stateful_step_count=50,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
test_r2_random_admins_keep_every_invariant = Admins.TestCase
