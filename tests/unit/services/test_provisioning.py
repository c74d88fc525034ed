"""N9: carrier answers decide a number's provisioning, each carrier on its own."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.unit.services.helpers import buy_dedicated, complete, fail
from thrudesk.models import Event, PhoneNumber
from thrudesk.models.enums import Carrier, CarrierCheckStatus, ProvisioningStatus
from thrudesk.services.container import Services
from thrudesk.services.errors import InvalidTransition
from thrudesk.services.starter import StarterAccount
from thrudesk.services.unit_of_work import Change


def test_n9_a_number_completes_only_when_all_three_carriers_confirm(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    actor = thrudesk_account.actor
    number = buy_dedicated(thrudesk_services, thrudesk_account)
    thrudesk_services.provisioning.answer(number.id, Carrier.VERIZON, confirmed=True)
    thrudesk_services.provisioning.answer(number.id, Carrier.ATT, confirmed=True)
    partial = thrudesk_services.numbers.get(actor, number.id)
    assert partial.provisioning_status is ProvisioningStatus.INITIATED
    assert partial.confirmed == 2
    thrudesk_services.provisioning.answer(number.id, Carrier.TMOBILE, confirmed=True)
    done = thrudesk_services.numbers.get(actor, number.id)
    assert done.provisioning_status is ProvisioningStatus.COMPLETE
    assert done.completed_at is not None


def test_n9_one_rejection_fails_the_number_at_once_and_keeps_the_reason(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    actor = thrudesk_account.actor
    number = buy_dedicated(thrudesk_services, thrudesk_account)
    thrudesk_services.provisioning.answer(
        number.id, Carrier.ATT, confirmed=False, reason="Brand mismatch"
    )
    failed = thrudesk_services.numbers.get(actor, number.id)
    assert failed.provisioning_status is ProvisioningStatus.FAILED
    assert failed.failure_reason == "Brand mismatch"
    states = {c.carrier: c.status for c in failed.carriers}
    assert states[Carrier.ATT] is CarrierCheckStatus.REJECTED
    assert states[Carrier.VERIZON] is CarrierCheckStatus.PENDING


def test_n9_late_answers_after_the_outcome_change_nothing(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    actor = thrudesk_account.actor
    number = buy_dedicated(thrudesk_services, thrudesk_account)
    fail(thrudesk_services, number.id, Carrier.VERIZON)
    late = thrudesk_services.provisioning.answer(number.id, Carrier.ATT, confirmed=True)
    assert not late.applied
    assert thrudesk_services.numbers.get(actor, number.id).provisioning_status is (
        ProvisioningStatus.FAILED
    )


def test_n9_a_complete_number_never_provisions_again(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    actor = thrudesk_account.actor
    number = buy_dedicated(thrudesk_services, thrudesk_account)
    complete(thrudesk_services, number.id)
    again = thrudesk_services.provisioning.answer(number.id, Carrier.ATT, confirmed=False)
    assert not again.applied
    with thrudesk_services.context.unit_of_work(actor, Change.ADD_NUMBERS) as uow:
        orm_number = uow.session.get_one(PhoneNumber, number.id)
        with pytest.raises(InvalidTransition, match="provisioned once"):
            thrudesk_services.provisioning.start(uow, orm_number)
    with thrudesk_services.store.read() as session:
        completions = session.scalar(
            select(func.count(Event.id)).where(
                Event.kind == "provisioning_completed", Event.subject_id == number.id
            )
        )
    assert completions == 1


def test_n11_the_initiator_is_notified_in_app_when_provisioning_ends(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    actor = thrudesk_account.actor
    number = buy_dedicated(thrudesk_services, thrudesk_account, "Main line")
    assert thrudesk_services.notifications.unread_count(actor) == 0
    complete(thrudesk_services, number.id)
    [note] = thrudesk_services.notifications.list(actor)
    assert note.title == "Provisioning complete"
    assert "Main line" in note.body
    assert (note.subject_type, note.subject_id) == ("phone_number", number.id)
    assert thrudesk_services.notifications.unread_count(actor) == 1
    thrudesk_services.notifications.mark_read(actor, note.id)
    assert thrudesk_services.notifications.unread_count(actor) == 0


def test_audit_trail_records_every_state_change_with_before_and_after(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    actor = thrudesk_account.actor
    number = buy_dedicated(thrudesk_services, thrudesk_account)
    complete(thrudesk_services, number.id)
    events = thrudesk_services.events.for_number(actor, number.id)
    kinds = [e.kind for e in events]
    assert kinds[:2] == ["number_bought", "provisioning_started"]
    assert kinds.count("carrier_answered") == 3
    assert kinds[-1] == "provisioning_completed"
    last = events[-1]
    assert last.before == {"provisioning_status": "initiated"}
    assert last.after == {"provisioning_status": "complete"}
    assert events[0].actor_label == "Alex Admin"


def test_the_timeline_keeps_the_newest_events_when_it_is_long(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    actor = thrudesk_account.actor
    number = buy_dedicated(thrudesk_services, thrudesk_account, "Name 0")
    for index in range(1, 8):
        thrudesk_services.numbers.rename(actor, number.id, f"Name {index}")
    events = thrudesk_services.events.for_number(actor, number.id, limit=3)
    assert [e.after for e in events] == [{"name": f"Name {i}"} for i in (5, 6, 7)]
