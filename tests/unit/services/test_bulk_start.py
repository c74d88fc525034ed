"""Starting many numbers at once (QUALITY.md P4) under the rules of one: N1, N2, N3, U1, N12,
the audit trail, and the carriers' answers planned for each (S3, S4).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from tests.unit.services.helpers import launch_single_use
from thrudesk.models import CarrierCheck, Event, Notification, PhoneNumber, SimulationJob
from thrudesk.models.enums import JobKind, ProvisioningStatus, UseCaseStatus
from thrudesk.services import bulk, inventory
from thrudesk.services.clock import ManualClock
from thrudesk.services.container import Services
from thrudesk.services.errors import (
    DedicatedNumberLimitReached,
    NotFound,
    UseCaseLimitReached,
    UseCaseNotApproved,
)
from thrudesk.services.jobs import JobSpec, ScheduledJob
from thrudesk.services.notifications import Note
from thrudesk.services.numbers import DedicatedNumberRequest
from thrudesk.services.simulation.engine import Simulator
from thrudesk.services.starter import StarterAccount, create_starter_account
from thrudesk.services.store import open_store, url_for_path
from thrudesk.services.unit_of_work import AuditRecord, Change
from thrudesk.testing import DEFAULT_START, advance_until_settled


def _counts(services: Services) -> tuple[int, int, int, int]:
    with services.store.read() as session:
        return (
            session.scalar(select(func.count(PhoneNumber.id))) or 0,
            session.scalar(select(func.count(CarrierCheck.id))) or 0,
            session.scalar(select(func.count(SimulationJob.id))) or 0,
            session.scalar(select(func.count(Event.id))) or 0,
        )


def test_n1_a_bulk_start_buys_every_number_for_its_own_admin_and_plans_its_answers(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    services = thrudesk_services
    other = create_starter_account(services, "Second Organisation", admin_name="Robin Other")
    requests = [
        DedicatedNumberRequest(thrudesk_account.actor, ["415"], thrudesk_account.use_case_id, "A"),
        DedicatedNumberRequest(other.actor, ["512", "415"], other.use_case_id),
        DedicatedNumberRequest(thrudesk_account.actor, "415", thrudesk_account.use_case_id),
    ]
    ids = services.numbers.create_dedicated_many(requests)
    assert len(set(ids)) == 3
    first = services.numbers.get(thrudesk_account.actor, ids[0])
    second = services.numbers.get(other.actor, ids[1])
    assert (first.name, first.area_code, first.initiator_name) == ("A", "415", "Alex Admin")
    assert (second.area_code, second.initiator_name) == ("512", "Robin Other")
    assert first.e164 != services.numbers.get(thrudesk_account.actor, ids[2]).e164
    with pytest.raises(NotFound):  # N12: each number is its own account's
        services.numbers.get(thrudesk_account.actor, ids[1])
    events = services.events.for_number(other.actor, ids[1])
    assert [(e.kind, e.actor_label) for e in events[:2]] == [
        ("number_bought", "Robin Other"),
        ("provisioning_started", "Robin Other"),
    ]
    with services.store.read() as session:
        answers = session.scalar(
            select(func.count(SimulationJob.id)).where(
                SimulationJob.kind == JobKind.CARRIER_ANSWER, SimulationJob.subject_id.in_(ids)
            )
        )
    assert answers == 9  # three carriers each
    assert all(
        n.provisioning_status is ProvisioningStatus.INITIATED
        for n in services.numbers.page(thrudesk_account.actor).rows
    )


def test_n2_the_sixth_dedicated_number_of_one_account_refuses_the_whole_bulk_start(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    services = thrudesk_services
    before = _counts(services)
    requests = [
        DedicatedNumberRequest(thrudesk_account.actor, ["415"], thrudesk_account.use_case_id)
        for _ in range(6)
    ]
    with pytest.raises(DedicatedNumberLimitReached, match="5 of its 5") as refused:
        services.numbers.create_dedicated_many(requests)
    assert refused.value.field == "number"
    assert _counts(services) == before  # a refused start writes nothing
    assert len(services.numbers.create_dedicated_many(requests[:5])) == 5


def test_n3_the_fiftieth_number_of_a_use_case_is_refused_in_a_bulk_start(
    thrudesk_services: Services,
) -> None:
    services = thrudesk_services
    accounts = [
        create_starter_account(services, f"Organisation {k}", admin_name=f"Admin Number{k}")
        for k in range(10)
    ]
    # Ten accounts share nothing: each has its own use case, so N3 never binds across them.
    fine = [
        DedicatedNumberRequest(a.actor, ["415"], a.use_case_id) for a in accounts for _ in range(5)
    ]
    assert len(services.numbers.create_dedicated_many(fine)) == 50
    account = accounts[0]
    used = next(u for u in services.numbers.use_cases(account.actor) if u.id == account.use_case_id)
    assert used.used == 5
    # One use case near its limit: fill it to 47 through single-use numbers, then ask for 3.
    crowded = create_starter_account(services, "Crowded Organisation", admin_name="Casey Crowd")
    for k in range(47):
        launch_single_use(services, crowded, title=f"Earlier {k}")
    before = _counts(services)
    with pytest.raises(UseCaseLimitReached, match="49 of its 49"):
        services.numbers.create_dedicated_many(
            [DedicatedNumberRequest(crowded.actor, ["415"], crowded.use_case_id)] * 3
        )
    assert _counts(services) == before


def test_u1_a_bulk_start_on_a_use_case_not_approved_is_refused(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    services = thrudesk_services
    services.accounts.set_use_case_status(
        thrudesk_account.account_id, thrudesk_account.use_case_ids[1], UseCaseStatus.PENDING
    )
    before = _counts(services)
    with pytest.raises(UseCaseNotApproved):
        services.numbers.create_dedicated_many(
            [
                DedicatedNumberRequest(
                    thrudesk_account.actor, ["415"], thrudesk_account.use_case_ids[0]
                ),
                DedicatedNumberRequest(
                    thrudesk_account.actor, ["415"], thrudesk_account.use_case_ids[1]
                ),
            ]
        )
    assert _counts(services) == before


def test_s3_a_bulk_start_plans_each_number_as_a_start_one_by_one_would(
    thrudesk_store_factory: list[Services],
) -> None:
    """The same numbers started in one bulk or one after the other get the same answers."""
    one_by_one, together = thrudesk_store_factory
    outcomes = []
    for services, bulk_start in ((one_by_one, False), (together, True)):
        account = create_starter_account(services)
        requests = [
            DedicatedNumberRequest(account.actor, ["415"], account.use_case_id) for _ in range(4)
        ]
        if bulk_start:
            services.numbers.create_dedicated_many(requests)
        else:
            for request in requests:
                services.numbers.create_dedicated_many([request])
        with services.store.read() as session:
            outcomes.append(
                session.execute(
                    select(SimulationJob.subject_id, SimulationJob.due_at, SimulationJob.payload)
                    .where(SimulationJob.kind == JobKind.CARRIER_ANSWER)
                    .order_by(SimulationJob.id)
                ).all()
            )
    assert outcomes[0] == outcomes[1]


@pytest.fixture
def thrudesk_store_factory(tmp_path: Path) -> Iterator[list[Services]]:
    """Two stores with a simulator each, on the same seed and the same manual clock time."""
    made: list[tuple[Services, Simulator]] = []
    for name in ("a", "b"):
        services = Services(
            open_store(url_for_path(tmp_path / f"{name}.sqlite3")), ManualClock(DEFAULT_START)
        )
        simulator = Simulator(services, seed=7)
        simulator.start()
        made.append((services, simulator))
    try:
        yield [services for services, _ in made]
    finally:
        for services, simulator in made:
            simulator.stop()
            services.store.dispose()


def test_s4_jobs_planned_in_bulk_are_told_once_and_only_after_the_commit(
    thrudesk_services: Services,
) -> None:
    services = thrudesk_services
    heard: list[list[ScheduledJob]] = []
    services.context.jobs.listen(heard.append)
    start = services.clock.now()
    specs = [
        JobSpec(JobKind.SCHEDULED_START, start + timedelta(days=k), 100 + k, None, {"k": k})
        for k in range(1, 4)
    ]
    with services.context.unit_of_work(actor_label="test") as uow:
        planned = services.context.jobs.add_many(uow, specs)
        assert heard == []
    assert heard == [planned]
    assert [job.subject_id for job in planned] == [101, 102, 103]
    with services.store.read() as session:
        stored = session.scalars(
            select(SimulationJob).where(SimulationJob.id.in_([j.id for j in planned]))
        ).all()
        assert sorted((j.id, j.subject_id, j.payload, j.due_at) for j in stored) == [
            (j.id, j.subject_id, j.payload, j.due_at) for j in planned
        ]

    def plan_then_fail() -> None:
        with services.context.unit_of_work(actor_label="test") as uow:
            services.context.jobs.add_many(uow, specs)
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError, match="rolled back"):
        plan_then_fail()
    assert len(heard) == 1  # the rolled-back jobs were never told
    with services.store.read() as session:
        assert (
            session.scalar(
                select(func.count(SimulationJob.id)).where(
                    SimulationJob.subject_id.in_([101, 102, 103])
                )
            )
            == 3
        )


def test_bulk_writes_store_values_exactly_as_the_orm_does(thrudesk_services: Services) -> None:
    """Events and notifications written in bulk read back as those written one by one."""
    services = thrudesk_services
    account = create_starter_account(services)
    moment = datetime(2026, 3, 2, 14, 0, 1, 0, tzinfo=UTC)
    values = {"status": ProvisioningStatus.COMPLETE, "at": moment, "list": [1, "two"]}
    with services.context.unit_of_work(account.actor, Change.ADD_NUMBERS, at=moment) as uow:
        uow.record("probe", "phone_number", 1, account_id=account.account_id, after=values)
        uow.record_many(
            [AuditRecord("probe", "phone_number", 2, account_id=account.account_id, after=values)]
        )
        uow.record("probe", "phone_number", 3, account_id=account.account_id, before=None)
        uow.record_many(
            [AuditRecord("probe", "phone_number", 4, account_id=account.account_id, before=None)]
        )
        services.notifications.notify_many(
            uow, [Note(account.account_id, account.admin_id, "phone_number", 1, "Probe", "Body")]
        )
    with services.store.engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT at, actor_id, actor_label, before, after FROM event "
                "WHERE kind = 'probe' ORDER BY subject_id"
            )
        ).all()
        created = connection.execute(text("SELECT created_at FROM notification")).scalar_one()
    assert rows[0] == rows[1]
    assert rows[2] == rows[3]
    assert rows[0][0] == created == "2026-03-02 14:00:01.000000"
    assert bulk.stored_datetime(moment) == created
    with services.store.read() as session:
        assert session.scalars(select(Notification.created_at)).one() == moment


def test_n8_a_bulk_purchase_gives_distinct_numbers_and_one_purchase_is_unchanged(
    thrudesk_services: Services,
) -> None:
    services = thrudesk_services
    now = services.clock.now()
    with services.store.read() as session:
        alone = inventory.purchase(session, ["415"], now)
        many = inventory.purchase_many(session, [["415"]] * 200 + [["206", "512"]] * 2, now)
    assert many[0] == alone  # the first of a bulk is what a single purchase would buy
    assert len({p.e164 for p in many}) == len(many)
    # 206 is hard to get: one number in stock, so the second request falls through (N8).
    assert [(p.area_code, p.skipped) for p in many[-2:]] == [("206", ()), ("512", ("206",))]


def test_s2_the_engine_applies_a_week_of_answers_for_many_numbers_in_few_batches(
    thrudesk_services: Services, thrudesk_simulator: Simulator, sim_clock: ManualClock
) -> None:
    services = thrudesk_services
    accounts = [
        create_starter_account(services, f"Organisation {k}", admin_name=f"Admin Number{k}")
        for k in range(4)
    ]
    requests = [
        DedicatedNumberRequest(a.actor, ["415"], a.use_case_id) for a in accounts for _ in range(5)
    ]
    ids = services.numbers.create_dedicated_many(requests)
    batches: list[int] = []
    thrudesk_simulator.add_batch_listener(lambda report: batches.append(report.applied))
    sim_clock.advance(days=7)
    assert sum(batches) == 60
    assert len(batches) <= 3
    advance_until_settled(sim_clock, thrudesk_simulator)
    with services.store.read() as session:
        decided = session.scalar(
            select(func.count(PhoneNumber.id)).where(
                PhoneNumber.id.in_(ids),
                PhoneNumber.provisioning_status != ProvisioningStatus.INITIATED,
            )
        )
        notes = session.scalar(select(func.count(Notification.id)))
    assert decided == 20
    assert notes == 20  # N11: one per number, to its initiator
