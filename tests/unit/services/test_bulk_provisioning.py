"""The bulk paths of provisioning (QUALITY.md P4) hold the same rules as one answer at a time:
N9, C4, C1 on failure, N7 release, N11 notifications and the audit trail.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.unit.services.helpers import buy_dedicated, launch_single_use
from thrudesk.models import CarrierCheck, Event, PhoneNumber, SimulationJob
from thrudesk.models.enums import (
    CampaignStatus,
    Carrier,
    CarrierCheckStatus,
    JobKind,
    ProvisioningStatus,
)
from thrudesk.services.container import Services
from thrudesk.services.errors import NotFound
from thrudesk.services.provisioning import CarrierAnswer
from thrudesk.services.rows import CampaignFlagKind
from thrudesk.services.starter import StarterAccount, create_starter_account

ATT, VERIZON, TMOBILE = Carrier.ATT, Carrier.VERIZON, Carrier.TMOBILE


def _used(services: Services, account: StarterAccount) -> int:
    [row] = [u for u in services.numbers.use_cases(account.actor) if u.id == account.use_case_id]
    return row.used


def _openings(services: Services, campaign_id: int) -> int:
    with services.store.read() as session:
        return (
            session.scalar(
                select(func.count(SimulationJob.id)).where(
                    SimulationJob.kind == JobKind.SCHEDULED_START,
                    SimulationJob.subject_id == campaign_id,
                )
            )
            or 0
        )


def _apply(services: Services, answers: list[CarrierAnswer]) -> list[tuple[bool, str | None]]:
    with services.context.unit_of_work(actor_label="Simulator") as uow:
        outcomes = services.provisioning.apply_answers(uow, answers)
    return [(o.applied, o.number_status.value if o.number_status else None) for o in outcomes]


def test_n9_one_batch_completes_fails_and_leaves_pending_as_answers_say(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    services, actor = thrudesk_services, thrudesk_account.actor
    done = buy_dedicated(services, thrudesk_account, "Done")
    rejected = buy_dedicated(services, thrudesk_account, "Rejected")
    waiting = buy_dedicated(services, thrudesk_account, "Waiting")
    start = services.clock.now()
    outcomes = _apply(
        services,
        [
            CarrierAnswer(done.id, ATT, True, at=start + timedelta(minutes=1)),
            CarrierAnswer(rejected.id, VERIZON, False, "Brand mismatch", start),
            CarrierAnswer(waiting.id, ATT, True, at=start + timedelta(minutes=2)),
            CarrierAnswer(done.id, VERIZON, True, at=start + timedelta(minutes=3)),
            # After the rejection nothing more is applied to that number.
            CarrierAnswer(rejected.id, ATT, True, at=start + timedelta(minutes=4)),
            CarrierAnswer(done.id, TMOBILE, True, at=start + timedelta(minutes=5)),
            # A replayed answer changes nothing (S4).
            CarrierAnswer(done.id, TMOBILE, True, at=start + timedelta(minutes=6)),
        ],
    )
    assert outcomes == [
        (True, "initiated"),
        (True, "failed"),
        (True, "initiated"),
        (True, "initiated"),
        (False, "failed"),
        (True, "complete"),
        (False, "complete"),
    ]
    complete = services.numbers.get(actor, done.id)
    assert complete.provisioning_status is ProvisioningStatus.COMPLETE
    assert complete.completed_at == start + timedelta(minutes=5)
    assert complete.confirmed == 3
    failed = services.numbers.get(actor, rejected.id)
    assert failed.provisioning_status is ProvisioningStatus.FAILED
    assert failed.failure_reason == "Brand mismatch"
    assert {c.carrier: c.status for c in failed.carriers}[ATT] is CarrierCheckStatus.PENDING
    still = services.numbers.get(actor, waiting.id)
    assert still.provisioning_status is ProvisioningStatus.INITIATED
    assert still.confirmed == 1
    answered = {c.carrier: c.answered_at for c in still.carriers}
    assert answered[ATT] == start + timedelta(minutes=2)


def test_n9_the_audit_trail_of_a_batch_reads_in_order_at_each_answers_time(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    services = thrudesk_services
    number = buy_dedicated(services, thrudesk_account, "Main line")
    start = services.clock.now()
    _apply(
        services,
        [
            CarrierAnswer(number.id, carrier, True, at=start + timedelta(minutes=k))
            for k, carrier in enumerate((ATT, VERIZON, TMOBILE), start=1)
        ],
    )
    events = services.events.for_number(thrudesk_account.actor, number.id)
    timeline = [(e.kind, e.at - start, e.actor_label) for e in events if e.at >= start]
    assert timeline[-4:] == [
        ("carrier_answered", timedelta(minutes=1), "Simulator"),
        ("carrier_answered", timedelta(minutes=2), "Simulator"),
        ("carrier_answered", timedelta(minutes=3), "Simulator"),
        ("provisioning_completed", timedelta(minutes=3), "Simulator"),
    ]
    last = events[-1]
    assert last.before == {"provisioning_status": "initiated"}
    assert last.after == {"provisioning_status": "complete"}


def test_c4_a_launching_campaign_becomes_active_when_a_batch_completes_its_number(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    services, actor = thrudesk_services, thrudesk_account.actor
    campaign_id = launch_single_use(services, thrudesk_account, title="Spring canvass")
    row = services.campaigns.index_row(actor, campaign_id)
    assert row.status is CampaignStatus.LAUNCHING
    assert row.phone_number_id is not None
    planned_before = _openings(services, campaign_id)
    _apply(services, [CarrierAnswer(row.phone_number_id, c, True) for c in (ATT, VERIZON, TMOBILE)])
    active = services.campaigns.index_row(actor, campaign_id)
    assert active.status is CampaignStatus.ACTIVE
    assert active.provisioning_status is ProvisioningStatus.COMPLETE
    kinds = [e.kind for e in services.events.for_campaign(actor, campaign_id)]
    assert "campaign_activated" in kinds
    # C11: Active now, its sending window's opening is planned.
    assert _openings(services, campaign_id) == planned_before + 1


def test_c1_n7_a_rejection_in_a_batch_returns_the_campaign_to_draft_and_releases_its_number(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    services, actor = thrudesk_services, thrudesk_account.actor
    campaign_id = launch_single_use(services, thrudesk_account, title="Rent relief")
    number_id = services.campaigns.index_row(actor, campaign_id).phone_number_id
    assert number_id is not None
    used_before = _used(services, thrudesk_account)
    _apply(
        services,
        [
            CarrierAnswer(number_id, ATT, True),
            CarrierAnswer(number_id, TMOBILE, False, "Number on a blocklist"),
        ],
    )
    row = services.campaigns.index_row(actor, campaign_id)
    assert row.status is CampaignStatus.DRAFT
    assert CampaignFlagKind.PROVISIONING_FAILED in {flag.kind for flag in row.flags}
    number = services.numbers.get(actor, number_id)
    assert number.released_at is not None  # N7: the single-use number goes with the failure
    assert _used(services, thrudesk_account) == used_before - 1  # N3: its slot is free again
    kinds = [e.kind for e in services.events.for_number(actor, number_id)]
    assert kinds[-4:] == [
        "carrier_answered",
        "carrier_answered",
        "provisioning_failed",
        "number_released",
    ]
    campaign_kinds = [e.kind for e in services.events.for_campaign(actor, campaign_id)]
    assert "campaign_provisioning_failed" in campaign_kinds


def test_n11_every_initiator_hears_how_a_batch_ended_for_their_numbers(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    services, actor = thrudesk_services, thrudesk_account.actor
    other = create_starter_account(services, "Second Organisation", admin_name="Robin Other")
    mine = buy_dedicated(services, thrudesk_account, "Front desk")
    theirs = services.numbers.create_dedicated(other.actor, ["512"], other.use_case_id)
    campaign_id = launch_single_use(services, thrudesk_account, title="Food drive")
    single = services.campaigns.index_row(actor, campaign_id).phone_number_id
    assert single is not None
    answers = [CarrierAnswer(mine.id, c, True) for c in (ATT, VERIZON, TMOBILE)]
    answers.append(CarrierAnswer(theirs.id, VERIZON, False, "Carrier refused"))
    answers += [CarrierAnswer(single, c, True) for c in (ATT, VERIZON, TMOBILE)]
    _apply(services, answers)
    mine_notes = services.notifications.list(actor)
    assert sorted((n.title, n.subject_type) for n in mine_notes) == [
        ("Provisioning complete", "campaign"),
        ("Provisioning complete", "phone_number"),
    ]
    by_subject = {n.subject_type: n for n in mine_notes}
    assert "Front desk" in by_subject["phone_number"].body
    assert "“Food drive” is now Active" in by_subject["campaign"].body
    [their_note] = services.notifications.list(other.actor)
    assert their_note.title == "Provisioning failed"
    assert "Carrier refused" in their_note.body


def test_n9_a_batch_about_an_unknown_number_is_refused_and_writes_nothing(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    services = thrudesk_services
    number = buy_dedicated(services, thrudesk_account, "Known")
    with pytest.raises(NotFound):
        _apply(
            services,
            [CarrierAnswer(number.id, ATT, True), CarrierAnswer(number.id + 999, ATT, True)],
        )
    with services.store.read() as session:
        answered = session.scalar(
            select(func.count(CarrierCheck.id)).where(
                CarrierCheck.phone_number_id == number.id,
                CarrierCheck.status != CarrierCheckStatus.PENDING,
            )
        )
        events = session.scalar(
            select(func.count(Event.id)).where(Event.kind == "carrier_answered")
        )
    assert (answered, events) == (0, 0)


def test_n9_a_check_object_loaded_before_a_batch_reads_its_answer_afterwards(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    services = thrudesk_services
    number = buy_dedicated(services, thrudesk_account, "Loaded")
    with services.context.unit_of_work(actor_label="Simulator") as uow:
        check = uow.session.scalars(
            select(CarrierCheck).where(
                CarrierCheck.phone_number_id == number.id, CarrierCheck.carrier == ATT
            )
        ).one()
        loaded = uow.session.get_one(PhoneNumber, number.id)
        before = (check.status, loaded.provisioning_status)
        services.provisioning.apply_answers(
            uow, [CarrierAnswer(number.id, ATT, False, "Rejected on review")]
        )
        after = (check.status, loaded.provisioning_status, loaded.failure_reason)
    assert before == (CarrierCheckStatus.PENDING, ProvisioningStatus.INITIATED)
    assert after == (CarrierCheckStatus.REJECTED, ProvisioningStatus.FAILED, "Rejected on review")
