"""Phone numbers: creating, naming and deleting dedicated numbers, buying single-use ones, and the
limits that govern both (N1–N7, N12, U1, U2).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Select, case, func, or_, select
from sqlalchemy.orm import QueryableAttribute, Session, aliased

from thrudesk.models import (
    Account,
    Brand,
    Campaign,
    CarrierCheck,
    PhoneNumber,
    UseCase,
    User,
)
from thrudesk.models.enums import (
    BrandStatus,
    CampaignStatus,
    CarrierCheckStatus,
    NumberKind,
    ProvisioningStatus,
    UseCaseStatus,
)
from thrudesk.services import area_codes, inventory, validation
from thrudesk.services.changes import NUMBERS
from thrudesk.services.context import ServiceContext
from thrudesk.services.errors import (
    DedicatedNumberLimitReached,
    InvalidInput,
    NotFound,
    NumberInUse,
    UseCaseLimitReached,
    UseCaseNotApproved,
)
from thrudesk.services.rows import (
    CarrierState,
    DedicatedUsage,
    NumberSortKey,
    Page,
    PhoneNumberRow,
    UseCaseRow,
)
from thrudesk.services.unit_of_work import Actor, UnitOfWork

if TYPE_CHECKING:
    from thrudesk.services.provisioning import ProvisioningService

USE_CASE_NUMBER_LIMIT = 49
SortColumn = ColumnElement[Any] | QueryableAttribute[Any]
USE_CASE_WARNING_FROM = 45

FREE_USE_CASE_SLOTS = (
    "Free slots by archiving old single-use campaigns or deleting an unused dedicated number."
)


def release_number(uow: UnitOfWork, number: PhoneNumber, reason: str) -> None:
    """Free the number's dedicated slot (if any) and its use-case slot (N5, N7, C10)."""
    if number.released_at is not None:
        return
    number.released_at = uow.now
    uow.record(
        "number_released",
        "phone_number",
        number.id,
        account_id=number.account_id,
        before={"released_at": None},
        after={"released_at": uow.now, "reason": reason},
    )
    uow.changes.add(NUMBERS, account_id=number.account_id, number_id=number.id)


def unreleased_on_use_case(session: Session, use_case_id: int) -> int:
    """N3: numbers attached to the use case that have not been released, of both kinds."""
    return (
        session.scalar(
            select(func.count(PhoneNumber.id)).where(
                PhoneNumber.use_case_id == use_case_id, PhoneNumber.released_at.is_(None)
            )
        )
        or 0
    )


class NumberService:
    """Every rule about phone numbers lives here, and nowhere else."""

    def __init__(self, context: ServiceContext, provisioning: ProvisioningService) -> None:
        self._context = context
        self._provisioning = provisioning

    # ------------------------------------------------------------------ lookups (N12)
    @staticmethod
    def number_in_account(session: Session, actor: Actor, number_id: int) -> PhoneNumber:
        """The number, if it belongs to the actor's account; another account's is not found."""
        number = session.get(PhoneNumber, number_id)
        if number is None or number.account_id != actor.account_id:
            raise NotFound("That phone number does not exist in this account.", field="number")
        return number

    @staticmethod
    def approved_use_case(session: Session, actor: Actor, use_case_id: int | None) -> UseCase:
        """U1: the use case, if it is Approved and its brand Registered, in the actor's account."""
        if use_case_id is None:
            raise InvalidInput("Choose a use case.", field="use_case")
        use_case = session.get(UseCase, use_case_id)
        if use_case is None or use_case.account_id != actor.account_id:
            raise NotFound("That use case does not exist in this account.", field="use_case")
        if use_case.brand.status is not BrandStatus.REGISTERED:
            raise UseCaseNotApproved(
                f"Numbers can be attached only once the brand “{use_case.brand.name}” is "
                f"Registered; it is {use_case.brand.status.label}.",
                field="use_case",
            )
        if use_case.status is not UseCaseStatus.APPROVED:
            raise UseCaseNotApproved(
                f"The use case “{use_case.name}” is {use_case.status.label}; numbers can be "
                "attached only to an Approved use case.",
                field="use_case",
            )
        return use_case

    @staticmethod
    def check_use_case_capacity(session: Session, use_case: UseCase) -> None:
        """N3: refuse a new number on a use case that already has 49 unreleased numbers."""
        used = unreleased_on_use_case(session, use_case.id)
        if used >= USE_CASE_NUMBER_LIMIT:
            raise UseCaseLimitReached(
                f"The use case “{use_case.name}” already has {used} of its "
                f"{USE_CASE_NUMBER_LIMIT} numbers. {FREE_USE_CASE_SLOTS}",
                field="use_case",
            )

    @staticmethod
    def check_dedicated_capacity(session: Session, account: Account) -> None:
        """N2: refuse a dedicated number beyond the account's limit; released ones do not count."""
        used = (
            session.scalar(
                select(func.count(PhoneNumber.id)).where(
                    PhoneNumber.account_id == account.id,
                    PhoneNumber.kind == NumberKind.DEDICATED,
                    PhoneNumber.released_at.is_(None),
                )
            )
            or 0
        )
        if used >= account.dedicated_number_limit:
            raise DedicatedNumberLimitReached(
                f"This account already has {used} of its {account.dedicated_number_limit} "
                "dedicated numbers. To free a slot, delete a dedicated number that no "
                "unarchived campaign uses.",
                field="number",
            )

    # ------------------------------------------------------------------ writes
    def create_dedicated(
        self,
        actor: Actor,
        area_codes: Sequence[str] | str,
        use_case_id: int | None,
        name: str | None = None,
    ) -> PhoneNumberRow:
        """N1: buy a dedicated number in the first preferred area code with inventory."""
        preferences = validation.area_code_preferences(area_codes)
        clean_name = validation.number_name(name)
        with self._context.unit_of_work(actor) as uow:
            session = uow.session
            account = session.get_one(Account, actor.account_id)
            use_case = self.approved_use_case(session, actor, use_case_id)
            self.check_dedicated_capacity(session, account)
            self.check_use_case_capacity(session, use_case)
            number = self.add_number(
                uow, actor, preferences, NumberKind.DEDICATED, use_case, clean_name
            )
            number_id = number.id
        return self.get(actor, number_id)

    def add_number(
        self,
        uow: UnitOfWork,
        actor: Actor,
        preferences: Sequence[str],
        kind: NumberKind,
        use_case: UseCase,
        name: str | None = None,
    ) -> PhoneNumber:
        """Buy a number of ``kind`` and start its provisioning.

        The caller has already checked the limits that apply to the kind (N2, N3).
        """
        bought = inventory.purchase(uow.session, preferences, uow.now)
        number = PhoneNumber(
            account_id=actor.account_id,
            e164=bought.e164,
            area_code=bought.area_code,
            kind=kind,
            name=name if kind is NumberKind.DEDICATED else None,
            use_case_id=use_case.id,
            provisioning_status=ProvisioningStatus.INITIATED,
            initiator_id=actor.user_id,
            created_at=uow.now,
        )
        uow.session.add(number)
        uow.session.flush()
        uow.record(
            "number_bought",
            "phone_number",
            number.id,
            account_id=actor.account_id,
            after={
                "e164": number.e164,
                "kind": kind,
                "area_code": bought.area_code,
                "preference": bought.preference,
                "skipped": list(bought.skipped),
                "use_case_id": use_case.id,
                "name": name,
            },
        )
        uow.changes.add(NUMBERS, account_id=actor.account_id, number_id=number.id)
        self._provisioning.start(uow, number)
        return number

    def rename(self, actor: Actor, number_id: int, name: str | None) -> PhoneNumberRow:
        """N6: a dedicated number can be renamed at any time, or have its name removed."""
        clean_name = validation.number_name(name)
        with self._context.unit_of_work(actor) as uow:
            number = self.number_in_account(uow.session, actor, number_id)
            if number.kind is not NumberKind.DEDICATED:
                raise InvalidInput("Only dedicated numbers have names.", field="name")
            if number.released_at is not None:
                raise InvalidInput("A deleted number cannot be renamed.", field="name")
            if number.name != clean_name:
                uow.record(
                    "number_renamed",
                    "phone_number",
                    number.id,
                    account_id=actor.account_id,
                    before={"name": number.name},
                    after={"name": clean_name},
                )
                number.name = clean_name
                uow.changes.add(NUMBERS, account_id=actor.account_id, number_id=number.id)
                # The name shows wherever the number does, the campaign index included.
                uow.changes.add("campaigns", account_id=actor.account_id)
        return self.get(actor, number_id)

    def delete(self, actor: Actor, number_id: int) -> None:
        """N5: release a dedicated number that no unarchived campaign uses."""
        with self._context.unit_of_work(actor) as uow:
            number = self.number_in_account(uow.session, actor, number_id)
            if number.kind is not NumberKind.DEDICATED:
                raise InvalidInput(
                    "A single-use number is released by archiving its campaign.", field="number"
                )
            if number.released_at is not None:
                raise InvalidInput("This number has already been deleted.", field="number")
            titles = self._titles_using(uow.session, [number.id]).get(number.id, [])
            if titles:
                raise NumberInUse(
                    f"{number.e164} is in use by {len(titles)} campaign"
                    f"{'s' if len(titles) != 1 else ''} that "
                    f"{'are' if len(titles) != 1 else 'is'} not archived: "
                    + ", ".join(f"“{t}”" for t in titles)
                    + ". Archive them first, then delete the number.",
                    titles,
                    field="number",
                )
            release_number(uow, number, "deleted")

    # ------------------------------------------------------------------ reads
    def dedicated_usage(self, actor: Actor) -> DedicatedUsage:
        with self._context.store.read() as session:
            account = session.get_one(Account, actor.account_id)
            used = (
                session.scalar(
                    select(func.count(PhoneNumber.id)).where(
                        PhoneNumber.account_id == actor.account_id,
                        PhoneNumber.kind == NumberKind.DEDICATED,
                        PhoneNumber.released_at.is_(None),
                    )
                )
                or 0
            )
            return DedicatedUsage(used=used, limit=account.dedicated_number_limit)

    def use_cases(self, actor: Actor) -> list[UseCaseRow]:
        """U2: every use case of the account with its usage ("37 of 49 numbers")."""
        with self._context.store.read() as session:
            used = (
                select(func.count(PhoneNumber.id))
                .where(PhoneNumber.use_case_id == UseCase.id, PhoneNumber.released_at.is_(None))
                .correlate(UseCase)
                .scalar_subquery()
            )
            result = session.execute(
                select(UseCase, Brand, used)
                .join(Brand, UseCase.brand_id == Brand.id)
                .where(UseCase.account_id == actor.account_id)
                .order_by(UseCase.name)
            )
            return [
                UseCaseRow(
                    id=use_case.id,
                    name=use_case.name,
                    status=use_case.status,
                    brand_name=brand.name,
                    brand_status=brand.status,
                    used=count,
                    limit=USE_CASE_NUMBER_LIMIT,
                    warning_from=USE_CASE_WARNING_FROM,
                )
                for use_case, brand, count in result
            ]

    def provisioning_count(self, actor: Actor) -> int:
        """How many of the account's numbers are provisioning now (status bar)."""
        with self._context.store.read() as session:
            return (
                session.scalar(
                    select(func.count(PhoneNumber.id)).where(
                        PhoneNumber.account_id == actor.account_id,
                        PhoneNumber.provisioning_status == ProvisioningStatus.INITIATED,
                        PhoneNumber.released_at.is_(None),
                    )
                )
                or 0
            )

    def get(self, actor: Actor, number_id: int) -> PhoneNumberRow:
        with self._context.store.read() as session:
            self.number_in_account(session, actor, number_id)
            rows = self._rows(session, self._base_query(actor).where(PhoneNumber.id == number_id))
            return rows[0]

    def page(
        self,
        actor: Actor,
        *,
        sort: NumberSortKey = NumberSortKey.CREATED,
        descending: bool = False,
        text: str = "",
        include_released: bool = False,
        offset: int = 0,
        limit: int = 200,
    ) -> Page[PhoneNumberRow]:
        """The Phone Numbers table: filtered, sorted and paged in SQL."""
        with self._context.store.read() as session:
            query = self._base_query(actor)
            if not include_released:
                query = query.where(PhoneNumber.released_at.is_(None))
            condition = self._text_condition(text)
            if condition is not None:
                query = query.where(condition)
            total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
            key = self._sort_column(sort)
            order = key.desc() if descending else key.asc()
            tie = PhoneNumber.id.desc() if descending else PhoneNumber.id.asc()
            query = query.order_by(order, tie).offset(max(0, offset)).limit(max(0, limit))
            return Page(rows=tuple(self._rows(session, query)), total=total, offset=offset)

    # ------------------------------------------------------------------ query parts
    _campaigns_using = (
        select(func.count(Campaign.id))
        .where(
            Campaign.phone_number_id == PhoneNumber.id,
            Campaign.status != CampaignStatus.ARCHIVED,
        )
        .correlate(PhoneNumber)
        .scalar_subquery()
    )
    _confirmed = (
        select(func.count(CarrierCheck.id))
        .where(
            CarrierCheck.phone_number_id == PhoneNumber.id,
            CarrierCheck.status == CarrierCheckStatus.CONFIRMED,
        )
        .correlate(PhoneNumber)
        .scalar_subquery()
    )

    def _base_query(self, actor: Actor) -> Select[PhoneNumber, str, str | None, int]:
        initiator = aliased(User)
        return (
            select(PhoneNumber, UseCase.name, initiator.name, self._campaigns_using)
            .join(UseCase, PhoneNumber.use_case_id == UseCase.id)
            .outerjoin(initiator, PhoneNumber.initiator_id == initiator.id)
            .where(PhoneNumber.account_id == actor.account_id)
        )

    @staticmethod
    def _text_condition(text: str) -> ColumnElement[bool] | None:
        needle = text.strip()
        if not needle:
            return None
        pattern = f"%{needle}%"
        parts: list[ColumnElement[bool]] = [
            PhoneNumber.name.ilike(pattern),
            UseCase.name.ilike(pattern),
        ]
        digits = "".join(ch for ch in needle if ch.isdigit() and ch.isascii())
        if digits:
            parts.append(PhoneNumber.e164.like(f"%{digits}%"))
        places = [row.code for row in area_codes.search(needle) if not needle.isdigit()]
        if places:
            parts.append(PhoneNumber.area_code.in_(places))
        return or_(*parts)

    def _sort_column(self, sort: NumberSortKey) -> SortColumn:
        columns: dict[NumberSortKey, SortColumn] = {
            NumberSortKey.NUMBER: PhoneNumber.e164,
            NumberSortKey.NAME: func.coalesce(PhoneNumber.name, ""),
            NumberSortKey.KIND: PhoneNumber.kind,
            NumberSortKey.AREA_CODE: PhoneNumber.area_code,
            NumberSortKey.USE_CASE: UseCase.name,
            NumberSortKey.STATUS: case(
                (PhoneNumber.provisioning_status == ProvisioningStatus.INITIATED, 0),
                (PhoneNumber.provisioning_status == ProvisioningStatus.COMPLETE, 1),
                else_=2,
            ),
            NumberSortKey.CARRIERS: self._confirmed,
            NumberSortKey.CAMPAIGNS: self._campaigns_using,
            NumberSortKey.CREATED: PhoneNumber.created_at,
            NumberSortKey.COMPLETED: PhoneNumber.completed_at,
        }
        return columns[sort]

    @staticmethod
    def _titles_using(session: Session, number_ids: Sequence[int]) -> dict[int, list[str]]:
        titles: dict[int, list[str]] = defaultdict(list)
        if not number_ids:
            return titles
        result = session.execute(
            select(Campaign.phone_number_id, Campaign.title)
            .where(
                Campaign.phone_number_id.in_(number_ids),
                Campaign.status != CampaignStatus.ARCHIVED,
            )
            .order_by(Campaign.created_at, Campaign.id)
        )
        for number_id, title in result:
            if number_id is not None:
                titles[number_id].append(title)
        return titles

    @staticmethod
    def carrier_states(
        session: Session, number_ids: Sequence[int]
    ) -> dict[int, list[CarrierState]]:
        states: dict[int, list[CarrierState]] = defaultdict(list)
        if not number_ids:
            return states
        checks = session.scalars(
            select(CarrierCheck)
            .where(CarrierCheck.phone_number_id.in_(number_ids))
            .order_by(CarrierCheck.phone_number_id, CarrierCheck.id)
        )
        for check in checks:
            states[check.phone_number_id].append(
                CarrierState(
                    carrier=check.carrier,
                    status=check.status,
                    answered_at=check.answered_at,
                    reason=check.reason,
                )
            )
        return states

    def _rows(
        self, session: Session, query: Select[PhoneNumber, str, str | None, int]
    ) -> list[PhoneNumberRow]:
        result = session.execute(query).all()
        ids = [number.id for number, *_ in result]
        titles = self._titles_using(session, ids)
        carriers = self.carrier_states(session, ids)
        return [
            PhoneNumberRow(
                id=number.id,
                e164=number.e164,
                name=number.name,
                kind=number.kind,
                area_code=number.area_code,
                place=area_codes.place(number.area_code),
                use_case_id=number.use_case_id,
                use_case_name=use_case_name,
                provisioning_status=number.provisioning_status,
                failure_reason=number.failure_reason,
                carriers=tuple(carriers.get(number.id, ())),
                campaigns_using=using,
                campaign_titles=tuple(titles.get(number.id, ())),
                initiator_name=initiator_name,
                created_at=number.created_at,
                completed_at=number.completed_at,
                failed_at=number.failed_at,
                released_at=number.released_at,
            )
            for number, use_case_name, initiator_name, using in result
        ]


__all__ = [
    "FREE_USE_CASE_SLOTS",
    "USE_CASE_NUMBER_LIMIT",
    "USE_CASE_WARNING_FROM",
    "NumberService",
    "release_number",
    "unreleased_on_use_case",
]
