"""What the carriers' answers drive, through the running simulator on the manual clock
(N7, N9, N10, N11, C1, C4, C5).
"""

from __future__ import annotations

import statistics
from datetime import UTC, datetime, timedelta

from tests.unit.simulation.helpers import flag_kinds, launch_single_use, number_events
from thrudesk.models.enums import Carrier, Role
from thrudesk.services.clock import ManualClock
from thrudesk.services.container import Services
from thrudesk.services.rows import (
    CampaignFlagKind,
    CampaignStatus,
    CarrierCheckStatus,
    ProvisioningStatus,
)
from thrudesk.services.simulation.engine import Simulator
from thrudesk.services.starter import StarterAccount, create_starter_account
from thrudesk.services.unit_of_work import Actor
from thrudesk.testing import advance_until_settled


def test_n9_number_completes_when_all_three_carriers_confirm(
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    """N9: each carrier confirms on its own; the number completes with the third."""
    admin = thrudesk_account.actor
    thrudesk_simulator.force_next("complete", after=timedelta(minutes=10))
    number = thrudesk_services.numbers.create_dedicated(admin, "415", thrudesk_account.use_case_id)
    assert number.provisioning_status is ProvisioningStatus.INITIATED
    sim_clock.advance(minutes=7)  # AT&T answers at 6 minutes
    row = thrudesk_services.numbers.get(admin, number.id)
    assert (row.provisioning_status, row.confirmed) == (ProvisioningStatus.INITIATED, 1)
    sim_clock.advance(minutes=2)  # Verizon at 8
    assert thrudesk_services.numbers.get(admin, number.id).confirmed == 2
    sim_clock.advance(minutes=2)  # T-Mobile at 10
    row = thrudesk_services.numbers.get(admin, number.id)
    assert row.provisioning_status is ProvisioningStatus.COMPLETE
    assert row.completed_at == number.created_at + timedelta(minutes=10)
    assert [c.status for c in row.carriers] == [CarrierCheckStatus.CONFIRMED] * 3


def test_n9_one_rejection_fails_the_number_at_once_with_its_reason(
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    """N9: Provisioning Failed as soon as one carrier rejects; the reason is kept."""
    admin = thrudesk_account.actor
    thrudesk_simulator.force_next(
        "fail", carrier=Carrier.VERIZON, reason="Verizon found no matching registration"
    )
    number = thrudesk_services.numbers.create_dedicated(admin, "415", thrudesk_account.use_case_id)
    sim_clock.advance(minutes=6)
    row = thrudesk_services.numbers.get(admin, number.id)
    assert row.provisioning_status is ProvisioningStatus.FAILED
    assert row.failure_reason == "Verizon found no matching registration"
    assert row.failed_at == number.created_at + timedelta(minutes=5)
    sim_clock.advance(hours=2)
    assert (
        len(number_events(thrudesk_services, thrudesk_account, number.id, "provisioning_failed"))
        == 1
    )
    assert not number_events(
        thrudesk_services, thrudesk_account, number.id, "provisioning_completed"
    )


def test_n9_the_model_decides_when_nothing_is_forced(
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    """N9: unforced, the carriers answer by the model and every carrier is heard from."""
    admin = thrudesk_account.actor
    number = thrudesk_services.numbers.create_dedicated(admin, "415", thrudesk_account.use_case_id)
    assert thrudesk_simulator.number_estimate(number.id) is not None
    advance_until_settled(sim_clock, thrudesk_simulator, number.id)
    row = thrudesk_services.numbers.get(admin, number.id)
    assert row.provisioning_status is not ProvisioningStatus.INITIATED
    answered = [c for c in row.carriers if c.status is not CarrierCheckStatus.PENDING]
    if row.provisioning_status is ProvisioningStatus.COMPLETE:
        assert len(answered) == 3
        assert row.completed_at == max(c.answered_at for c in row.carriers if c.answered_at)
    assert thrudesk_simulator.number_estimate(number.id) is None


def test_c4_single_use_launch_stays_launching_until_its_number_completes(
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    """C4: Launching while the number provisions, Active the moment it completes."""
    thrudesk_simulator.force_next("complete", after=timedelta(minutes=20))
    launched = launch_single_use(thrudesk_services, thrudesk_account)
    assert launched.status is CampaignStatus.LAUNCHING
    assert launched.provisioning_status is ProvisioningStatus.INITIATED
    sim_clock.advance(minutes=19)
    row = thrudesk_services.campaigns.index_row(thrudesk_account.actor, launched.id)
    assert row.status is CampaignStatus.LAUNCHING
    sim_clock.advance(minutes=2)
    details = thrudesk_services.campaigns.details(thrudesk_account.actor, launched.id)
    assert details.status is CampaignStatus.ACTIVE
    assert details.row.provisioning_status is ProvisioningStatus.COMPLETE
    assert details.activated_at == sim_clock.now() - timedelta(minutes=1)


def test_c1_n7_failed_provisioning_returns_the_launch_to_draft_and_frees_the_number(
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    """C1: back to Draft with Provisioning Failed; N7: the single-use number is released."""
    admin = thrudesk_account.actor
    thrudesk_simulator.force_next("fail")
    launched = launch_single_use(thrudesk_services, thrudesk_account)
    use_case = thrudesk_account.use_case_id
    usage_before = next(u for u in thrudesk_services.numbers.use_cases(admin) if u.id == use_case)
    assert usage_before.used == 1
    sim_clock.advance(minutes=10)
    row = thrudesk_services.campaigns.index_row(admin, launched.id)
    assert row.status is CampaignStatus.DRAFT
    assert CampaignFlagKind.PROVISIONING_FAILED in flag_kinds(row)
    assert row.phone_number_id is not None
    number = thrudesk_services.numbers.get(admin, row.phone_number_id)
    assert number.released_at == number.created_at + timedelta(minutes=5)
    usage_after = next(u for u in thrudesk_services.numbers.use_cases(admin) if u.id == use_case)
    assert usage_after.used == 0


def test_c5_launching_off_makes_a_single_use_launch_active_with_its_warning(
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    """C5: Active at once, warned "wait 10 minutes", and the warning goes once complete."""
    admin = thrudesk_account.actor
    thrudesk_services.accounts.set_provisioning_based_launching(admin, False)
    thrudesk_simulator.force_next("complete", after=timedelta(minutes=8))
    launched = launch_single_use(thrudesk_services, thrudesk_account)
    assert launched.status is CampaignStatus.ACTIVE
    warning = [f for f in launched.flags if f.kind is CampaignFlagKind.STILL_PROVISIONING]
    assert [f.text for f in warning] == [
        "Number still provisioning: wait 10 minutes after launching before sending"
    ]
    sim_clock.advance(minutes=9)
    row = thrudesk_services.campaigns.index_row(admin, launched.id)
    assert row.status is CampaignStatus.ACTIVE
    assert row.provisioning_status is ProvisioningStatus.COMPLETE
    assert CampaignFlagKind.STILL_PROVISIONING not in flag_kinds(row)


def test_n11_the_initiating_admin_is_told_in_the_app(
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    """N11: the admin who started the provisioning hears how it ended; another admin does not."""
    other = thrudesk_services.accounts.add_user(
        thrudesk_account.account_id, "Blair Admin", "blair@example.org", Role.ADMIN
    )
    blair = Actor(account_id=thrudesk_account.account_id, user_id=other.id)
    thrudesk_simulator.force_next("complete")
    launched = launch_single_use(thrudesk_services, thrudesk_account, title="Spring drive")
    thrudesk_simulator.force_next("fail")
    failed = thrudesk_services.numbers.create_dedicated(
        blair, "415", thrudesk_account.use_case_id, "Backup"
    )
    sim_clock.advance(minutes=10)
    alex_sees = thrudesk_services.notifications.list(thrudesk_account.actor)
    assert [(n.title, n.subject_type, n.subject_id) for n in alex_sees] == [
        ("Provisioning complete", "campaign", launched.id)
    ]
    assert "“Spring drive” is now Active" in alex_sees[0].body
    blair_sees = thrudesk_services.notifications.list(blair)
    assert [(n.title, n.subject_type, n.subject_id) for n in blair_sees] == [
        ("Provisioning failed", "phone_number", failed.id)
    ]
    assert blair_sees[0].body.startswith(f"{failed.display} · Backup was rejected:")


def test_n10_overnight_numbers_are_quick_and_afternoon_ones_wait_hours(
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    sim_clock: ManualClock,
) -> None:
    """N10: through the engine, five numbers at 02:00 complete in minutes, five at 14:00 in
    hours (US Eastern, a Tuesday).
    """
    night = create_starter_account(thrudesk_services, "Night Shift")
    day = create_starter_account(thrudesk_services, "Day Shift")
    sim_clock.jump_to(datetime(2026, 3, 3, 7, 0, tzinfo=UTC))  # 02:00 Eastern
    night_numbers = [
        thrudesk_services.numbers.create_dedicated(night.actor, "415", night.use_case_id)
        for _ in range(5)
    ]
    sim_clock.jump_to(datetime(2026, 3, 3, 19, 0, tzinfo=UTC))  # 14:00 Eastern
    day_numbers = [
        thrudesk_services.numbers.create_dedicated(day.actor, "415", day.use_case_id)
        for _ in range(5)
    ]
    advance_until_settled(sim_clock, thrudesk_simulator)

    def waits(account: StarterAccount, numbers: list[int]) -> list[float]:
        rows = [thrudesk_services.numbers.get(account.actor, n) for n in numbers]
        return [
            ((r.completed_at or r.failed_at or r.created_at) - r.created_at).total_seconds() / 60
            for r in rows
        ]

    assert statistics.median(waits(night, [n.id for n in night_numbers])) <= 20
    assert statistics.median(waits(day, [n.id for n in day_numbers])) >= 60
