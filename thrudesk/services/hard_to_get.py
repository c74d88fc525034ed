"""Hard-to-get number requests (N8): filed by an admin, fulfilled by the simulated support desk.

When a scarce area code (206 Seattle, 212 New York, 907 Alaska …) has no inventory, an admin can
file a request. The support desk answers it after a delay counted in its working hours
(Mon–Fri 09:00–17:00 US Eastern) by adding a dedicated number in that area code, which then
provisions like any other; its requester is the number's initiator and hears how it ends (N11).
The desk still obeys N2 and N3: when the account has no free slot by then, the request is refused
and the requester is told why.
"""

from __future__ import annotations

import builtins
import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from thrudesk.models import Account, HardToGetRequest, UseCase
from thrudesk.models.enums import HardToGetRequestStatus, JobKind, NumberKind
from thrudesk.services import area_codes, inventory, validation
from thrudesk.services.changes import NUMBERS
from thrudesk.services.context import ServiceContext
from thrudesk.services.errors import InvalidInput, NotFound, ThrudeskError
from thrudesk.services.ids import checked_id
from thrudesk.services.jobs import ScheduledJob
from thrudesk.services.notifications import Note, NotificationService
from thrudesk.services.numbers import NumberService
from thrudesk.services.rows import HardToGetRequestRow, number_label
from thrudesk.services.simulation.state import run_seed
from thrudesk.services.unit_of_work import SUPPORT_DESK, Actor, Change, UnitOfWork

EASTERN = ZoneInfo("America/New_York")
DESK_OPENS = time(9, 0)
DESK_CLOSES = time(17, 0)
# The desk needs this much of its own working time to source a number from a carrier's reserve.
DESK_WORK_MIN = timedelta(hours=2)
DESK_WORK_MAX = timedelta(hours=6)


def _desk_open_at(moment: datetime) -> tuple[datetime, datetime]:
    """The desk's working period that contains ``moment`` or comes next: (start, end)."""
    local = moment.astimezone(EASTERN)
    day = local.date()
    while True:
        opens = datetime.combine(day, DESK_OPENS, EASTERN)
        closes = datetime.combine(day, DESK_CLOSES, EASTERN)
        if day.weekday() < 5 and local < closes:
            return max(opens, local), closes
        day += timedelta(days=1)


def support_desk_ready_at(requested_at: datetime, work: timedelta) -> datetime:
    """When the desk, needing ``work`` of its working hours, is done with a request."""
    remaining = work
    moment = requested_at
    while True:
        start, end = _desk_open_at(moment)
        if start + remaining <= end:
            return start + remaining
        remaining -= end - start
        moment = end


def support_desk_work(rng: random.Random) -> timedelta:
    """How much working time the desk spends on one request (2 to 6 hours)."""
    span = (DESK_WORK_MAX - DESK_WORK_MIN).total_seconds()
    return DESK_WORK_MIN + timedelta(seconds=round(rng.random() * span))


class HardToGetService:
    """N8: filing hard-to-get number requests and fulfilling them as the support desk."""

    def __init__(
        self,
        context: ServiceContext,
        numbers: NumberService,
        notifications: NotificationService,
    ) -> None:
        self._context = context
        self._numbers = numbers
        self._notifications = notifications

    # ------------------------------------------------------------------ filing
    def request(
        self,
        actor: Actor,
        area_code: str,
        use_case_id: int | None,
        name: str | None = None,
    ) -> HardToGetRequestRow:
        """File a request for a dedicated number in a hard-to-get area code (N8).

        Refused at once when the account could not take the number anyway (N2, N3, U1).
        """
        code = validation.area_code(area_code, field="area_code")
        if not area_codes.is_hard_to_get(code):
            raise InvalidInput(
                f"{code} is not a hard-to-get area code; add the number directly with "
                "Add dedicated number.",
                field="area_code",
            )
        clean_name = validation.number_name(name)
        with self._context.unit_of_work(actor, Change.REQUEST_HARD_TO_GET) as uow:
            session = uow.session
            account = session.get_one(Account, actor.account_id)
            use_case = self._numbers.approved_use_case(session, actor, use_case_id)
            self._numbers.check_dedicated_capacity(session, account)
            self._numbers.check_use_case_capacity(session, use_case)
            request = HardToGetRequest(
                account_id=actor.account_id,
                area_code=code,
                name=clean_name,
                use_case_id=use_case.id,
                requested_by_id=actor.user_id,
                status=HardToGetRequestStatus.PENDING,
                created_at=uow.now,
            )
            session.add(request)
            session.flush()
            rng = random.Random(f"{run_seed(session)}:hard_to_get:{request.id}")
            ready_at = support_desk_ready_at(uow.now, support_desk_work(rng))
            uow.record(
                "hard_to_get_requested",
                "hard_to_get_request",
                request.id,
                account_id=actor.account_id,
                after={
                    "area_code": code,
                    "name": clean_name,
                    "use_case_id": use_case.id,
                    "expected_at": ready_at,
                },
            )
            self._context.jobs.add(
                uow,
                JobKind.HARD_TO_GET_FULFILMENT,
                ready_at,
                request.id,
                account_id=actor.account_id,
                label=f"Support desk: number in {code}",
            )
            uow.changes.add(NUMBERS, account_id=actor.account_id)
            return self._row(request, use_case.name)

    # ------------------------------------------------------------------ reading
    def all(self, actor: Actor) -> builtins.list[HardToGetRequestRow]:
        """The account's requests, newest first."""
        with self._context.read(actor) as session:
            result = session.execute(
                select(HardToGetRequest, UseCase.name)
                .join(UseCase, HardToGetRequest.use_case_id == UseCase.id)
                .where(HardToGetRequest.account_id == actor.account_id)
                .order_by(HardToGetRequest.created_at.desc(), HardToGetRequest.id.desc())
            )
            return [self._row(request, use_case_name) for request, use_case_name in result]

    def get(self, actor: Actor, request_id: int) -> HardToGetRequestRow:
        with self._context.read(actor) as session:
            request = session.get(
                HardToGetRequest, checked_id(request_id, "request", field="request")
            )
            if request is None or request.account_id != actor.account_id:
                raise NotFound("That request does not exist in this account.", field="request")
            use_case = session.get_one(UseCase, request.use_case_id)
            return self._row(request, use_case.name)

    @staticmethod
    def _row(request: HardToGetRequest, use_case_name: str) -> HardToGetRequestRow:
        return HardToGetRequestRow(
            id=request.id,
            area_code=request.area_code,
            name=request.name,
            use_case_name=use_case_name,
            status=request.status,
            outcome=request.outcome,
            created_at=request.created_at,
            resolved_at=request.resolved_at,
        )

    # ------------------------------------------------------------------ the support desk
    def apply_fulfilment(self, uow: UnitOfWork, job: ScheduledJob) -> None:
        """The simulator's handler: the desk adds the number, or refuses with the reason."""
        request = uow.session.get(HardToGetRequest, job.subject_id)
        if request is None or request.status is not HardToGetRequestStatus.PENDING:
            return
        with uow.acting_as(SUPPORT_DESK):
            try:
                # A refusal part-way leaves nothing of the attempt behind.
                with uow.session.begin_nested():
                    self._fulfil(uow, request)
            except ThrudeskError as refusal:
                self._refuse(uow, request, refusal.message)
        uow.changes.add(NUMBERS, account_id=request.account_id)

    def _fulfil(self, uow: UnitOfWork, request: HardToGetRequest) -> None:
        session = uow.session
        actor = Actor(account_id=request.account_id, user_id=request.requested_by_id)
        account = session.get_one(Account, request.account_id)
        # The same checks as any dedicated number, as they stand today (N2, N3, U1).
        use_case = self._numbers.approved_use_case(session, actor, request.use_case_id)
        self._numbers.check_dedicated_capacity(session, account)
        self._numbers.check_use_case_capacity(session, use_case)
        # The desk sources one number from the carrier's reserve, for this request only.
        inventory.reserve_for_request(session, request.area_code, uow.now)
        number = self._numbers.add_number(
            uow, actor, [request.area_code], NumberKind.DEDICATED, use_case, request.name
        )
        label = number_label(number.e164, number.name)
        request.phone_number_id = number.id
        place = area_codes.place(request.area_code)
        where = f"{request.area_code} ({place})" if place else request.area_code
        self._resolve(
            uow,
            request,
            "hard_to_get_fulfilled",
            HardToGetRequestStatus.FULFILLED,
            f"Support added {label}.",
            {"phone_number_id": number.id},
            Note(
                request.account_id,
                request.requested_by_id,
                "phone_number",
                number.id,
                "Hard-to-get number added",
                f"Support added {label} in {where} for “{use_case.name}”. It is provisioning "
                "now; you will hear when the carriers have answered.",
            ),
        )

    def _refuse(self, uow: UnitOfWork, request: HardToGetRequest, reason: str) -> None:
        self._resolve(
            uow,
            request,
            "hard_to_get_refused",
            HardToGetRequestStatus.REFUSED,
            reason,
            {"reason": reason},
            Note(
                request.account_id,
                request.requested_by_id,
                "hard_to_get_request",
                request.id,
                "Hard-to-get request refused",
                f"Support could not add a number in {request.area_code}: {reason}",
            ),
        )

    def _resolve(
        self,
        uow: UnitOfWork,
        request: HardToGetRequest,
        event: str,
        status: HardToGetRequestStatus,
        outcome: str,
        after: dict[str, object],
        note: Note,
    ) -> None:
        """Close the pending request with ``status`` and ``outcome``, in the audit trail, and
        tell the admin who asked (``note``).
        """
        request.status = status
        request.resolved_at = uow.now
        request.outcome = outcome
        uow.record(
            event,
            "hard_to_get_request",
            request.id,
            account_id=request.account_id,
            before={"status": HardToGetRequestStatus.PENDING},
            after={"status": status, **after},
        )
        self._notifications.notify_many(uow, [note])

    def list(self, actor: Actor) -> builtins.list[HardToGetRequestRow]:
        """The account's requests, newest first (the same as :meth:`all`)."""
        return self.all(actor)
