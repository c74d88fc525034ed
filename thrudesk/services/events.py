"""The audit trail, read back: a campaign's or a number's timeline."""

from __future__ import annotations

from sqlalchemy import or_, select

from thrudesk.models import Campaign, Event
from thrudesk.services.context import ServiceContext
from thrudesk.services.errors import NotFound
from thrudesk.services.ids import checked_id
from thrudesk.services.rows import EventRow
from thrudesk.services.unit_of_work import Actor


def _row(event: Event) -> EventRow:
    return EventRow(
        id=event.id,
        at=event.at,
        actor_label=event.actor_label,
        kind=event.kind,
        subject_type=event.subject_type,
        subject_id=event.subject_id,
        before=event.before,
        after=event.after,
    )


class EventLogService:
    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def for_number(self, actor: Actor, number_id: int, *, limit: int = 500) -> list[EventRow]:
        with self._context.read(actor) as session:
            events = session.scalars(
                select(Event)
                .where(
                    Event.account_id == actor.account_id,
                    Event.subject_type == "phone_number",
                    Event.subject_id == checked_id(number_id, "phone number", field="number"),
                )
                .order_by(Event.at.desc(), Event.id.desc())
                .limit(limit)
            )
            return [_row(e) for e in reversed(events.all())]

    def for_campaign(self, actor: Actor, campaign_id: int, *, limit: int = 500) -> list[EventRow]:
        """The campaign's newest events and its number's, in time order (the details timeline)."""
        with self._context.read(actor) as session:
            campaign = session.get(Campaign, checked_id(campaign_id, "campaign", field="campaign"))
            if campaign is None or campaign.account_id != actor.account_id:
                raise NotFound("That campaign does not exist in this account.", field="campaign")
            subjects = [(Event.subject_type == "campaign") & (Event.subject_id == campaign_id)]
            if campaign.phone_number_id is not None and campaign.number_mode is not None:
                subjects.append(
                    (Event.subject_type == "phone_number")
                    & (Event.subject_id == campaign.phone_number_id)
                )
            events = session.scalars(
                select(Event)
                .where(Event.account_id == actor.account_id, or_(*subjects))
                .order_by(Event.at.desc(), Event.id.desc())
                .limit(limit)
            )
            return [_row(e) for e in reversed(events.all())]
