"""Phone numbers: creating, naming and deleting dedicated numbers, buying single-use ones, and the
limits that govern both (N1–N7, N12, U1, U2).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Integer,
    Select,
    bindparam,
    case,
    func,
    or_,
    select,
)
from sqlalchemy.orm import QueryableAttribute, Session, aliased, joinedload

from thrudesk.models import (
    Account,
    Brand,
    Campaign,
    CarrierCheck,
    PhoneNumber,
    UseCase,
    User,
)
from thrudesk.models.campaign import not_archived
from thrudesk.models.enums import (
    BrandStatus,
    CarrierCheckStatus,
    NumberKind,
    ProvisioningStatus,
    UseCaseStatus,
)
from thrudesk.services import area_codes, bulk, inventory, validation
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
from thrudesk.services.ids import checked_id, checked_ids
from thrudesk.services.rows import (
    CarrierState,
    DedicatedUsage,
    NumberSortKey,
    Page,
    PhoneNumberRow,
    UseCaseRow,
    number_label,
)
from thrudesk.services.unit_of_work import Actor, AuditRecord, Change, UnitOfWork, admit
from thrudesk.services.wording import (
    brand_not_registered,
    dedicated_numbers_full,
    use_case_full,
    use_case_not_approved,
)

if TYPE_CHECKING:
    from thrudesk.services.provisioning import ProvisioningService

USE_CASE_NUMBER_LIMIT = 49
SortColumn = ColumnElement[Any] | QueryableAttribute[Any]
AnySelect = Select[*tuple[Any, ...]]
USE_CASE_WARNING_FROM = 45
# Campaign titles a Phone Numbers row carries (its tooltip lists them); the count is exact.
ROW_TITLES = 20
# The campaigns of one number, beside the numbers' own campaigns (see _titles_using).
_ON_NUMBER = aliased(Campaign)
# The titles of the campaigns not archived on the numbers ``ids``, oldest first: all of them,
# or the first ``most`` of each, walked in order on the index of the campaigns still on a
# number (ranking them all sorted every campaign of the numbers: 30 ms for a page of a large
# account's numbers). Built once, the ids bound at each read.
_ALL_TITLES = (
    select(Campaign.phone_number_id, Campaign.title)
    .where(
        Campaign.phone_number_id.in_(bindparam("ids", expanding=True)),
        not_archived(Campaign.status),
    )
    .order_by(Campaign.phone_number_id, Campaign.created_at, Campaign.id)
)
_FIRST_TITLES = (
    select(PhoneNumber.id, Campaign.title)
    .select_from(PhoneNumber)
    .join(
        Campaign,
        Campaign.id.in_(
            select(_ON_NUMBER.id)
            .where(_ON_NUMBER.phone_number_id == PhoneNumber.id, not_archived(_ON_NUMBER.status))
            .order_by(_ON_NUMBER.created_at, _ON_NUMBER.id)
            .limit(bindparam("most"))
            .correlate(PhoneNumber)
        ),
    )
    .where(PhoneNumber.id.in_(bindparam("ids", expanding=True)))
    .order_by(PhoneNumber.id, Campaign.created_at, Campaign.id)
)
# Each number's three carrier checks, in carrier order.
_CARRIER_CHECKS = (
    select(
        CarrierCheck.phone_number_id,
        CarrierCheck.carrier,
        CarrierCheck.status,
        CarrierCheck.answered_at,
        CarrierCheck.reason,
    )
    .where(CarrierCheck.phone_number_id.in_(bindparam("ids", expanding=True)))
    .order_by(CarrierCheck.phone_number_id, CarrierCheck.id)
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
    return unreleased_on_use_cases(session, [use_case_id]).get(use_case_id, 0)


def unreleased_counts(
    session: Session,
    key: QueryableAttribute[int] | QueryableAttribute[int | None],
    ids: Collection[int],
    *conditions: ColumnElement[bool],
) -> dict[int, int]:
    """The unreleased numbers (meeting ``conditions``) of each of ``ids``, grouped by ``key``
    (an account or use case column); ids with none are absent. Asked in chunks, so that a long
    list of ids stays within SQLite's limit on bound parameters.
    """
    counts: dict[int, int] = {}
    for chunk in bulk.chunks(sorted(set(ids))):
        rows = session.execute(
            select(key, func.count(PhoneNumber.id))
            .where(key.in_(chunk), PhoneNumber.released_at.is_(None), *conditions)
            .group_by(key)
        )
        counts.update((int(owner), int(count)) for owner, count in rows if owner is not None)
    return counts


def dedicated_in_use(session: Session, account_ids: Collection[int]) -> dict[int, int]:
    """N2: each account's unreleased dedicated numbers (accounts with none are absent)."""
    return unreleased_counts(
        session, PhoneNumber.account_id, account_ids, PhoneNumber.kind == NumberKind.DEDICATED
    )


def unreleased_on_use_cases(session: Session, use_case_ids: Collection[int]) -> dict[int, int]:
    """N3 for many use cases at once (use cases with no number are absent)."""
    return unreleased_counts(session, PhoneNumber.use_case_id, use_case_ids)


@dataclass(frozen=True)
class DedicatedNumberRequest:
    """One dedicated number to buy (N1): for whom, where, on which use case, named or not."""

    actor: Actor
    area_codes: Sequence[str] | str
    use_case_id: int | None
    name: str | None = None


@dataclass(frozen=True)
class BoughtNumber:
    """A number just bought by a bulk start (the store holds it; no object is loaded)."""

    id: int
    account_id: int
    e164: str
    kind: NumberKind
    provisioning_status: ProvisioningStatus = ProvisioningStatus.INITIATED
    # A dedicated number's name (N6), for whatever shows the number as its provisioning starts.
    name: str | None = None


@dataclass(frozen=True)
class NewNumber:
    """A number to buy inside a unit of work whose caller has checked its limits."""

    actor: Actor
    preferences: Sequence[str]
    kind: NumberKind
    use_case: UseCase
    name: str | None = None


class NumberService:
    """Every rule about phone numbers lives here, and nowhere else."""

    def __init__(self, context: ServiceContext, provisioning: ProvisioningService) -> None:
        self._context = context
        self._provisioning = provisioning
        self._positions: dict[tuple[NumberSortKey, bool, bool], Select[int | None, int]] = {}

    # ------------------------------------------------------------------ lookups (N12)
    @staticmethod
    def number_in_account(session: Session, actor: Actor, number_id: int) -> PhoneNumber:
        """The number, if it belongs to the actor's account; another account's is not found."""
        number = session.get(PhoneNumber, checked_id(number_id, "phone number", field="number"))
        if number is None or number.account_id != actor.account_id:
            raise NotFound("That phone number does not exist in this account.", field="number")
        return number

    @staticmethod
    def approved_use_case(session: Session, actor: Actor, use_case_id: int | None) -> UseCase:
        """U1: the use case, if it is Approved and its brand Registered, in the actor's account."""
        if use_case_id is None:
            raise InvalidInput("Choose a use case.", field="use_case")
        use_case = session.get(UseCase, checked_id(use_case_id, "use case", field="use_case"))
        if use_case is None or use_case.account_id != actor.account_id:
            raise NotFound("That use case does not exist in this account.", field="use_case")
        if use_case.brand.status is not BrandStatus.REGISTERED:
            raise UseCaseNotApproved(
                brand_not_registered(use_case.brand.name, use_case.brand.status.label),
                field="use_case",
            )
        if use_case.status is not UseCaseStatus.APPROVED:
            raise UseCaseNotApproved(
                use_case_not_approved(use_case.name, use_case.status.label), field="use_case"
            )
        return use_case

    @staticmethod
    def check_use_case_capacity(
        session: Session, use_case: UseCase, *, used: int | None = None
    ) -> None:
        """N3: refuse a new number on a use case that already has 49 unreleased numbers.

        ``used``, when the caller has counted already (a bulk start), saves the count.
        """
        if used is None:
            used = unreleased_on_use_case(session, use_case.id)
        if used >= USE_CASE_NUMBER_LIMIT:
            raise UseCaseLimitReached(
                use_case_full(use_case.name, used, USE_CASE_NUMBER_LIMIT), field="use_case"
            )

    @staticmethod
    def check_dedicated_capacity(
        session: Session, account: Account, *, used: int | None = None
    ) -> None:
        """N2: refuse a dedicated number beyond the account's limit; released ones do not count.

        ``used``, when the caller has counted already (a bulk start), saves the count.
        """
        if used is None:
            used = dedicated_in_use(session, [account.id]).get(account.id, 0)
        if used >= account.dedicated_number_limit:
            raise DedicatedNumberLimitReached(
                dedicated_numbers_full(used, account.dedicated_number_limit), field="number"
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
        [number_id] = self.create_dedicated_many(
            [DedicatedNumberRequest(actor, area_codes, use_case_id, name)]
        )
        return self.get(actor, number_id)

    def create_dedicated_many(self, requests: Sequence[DedicatedNumberRequest]) -> list[int]:
        """N1 for many numbers at once, in one unit of work; answers their ids, in order.

        Each request is held to the same rules as :meth:`create_dedicated`, counting the ones
        before it (N2, N3, U1, N12); the first refused one refuses them all, and nothing is
        written. For several admins at once (support staff setting up accounts, a load test)
        each event names the admin it was done for.
        """
        if not requests:
            return []
        cleaned = [
            (
                request.actor,
                validation.area_code_preferences(request.area_codes),
                validation.number_name(request.name),
                request.use_case_id,
            )
            for request in requests
        ]
        actors = {request.actor for request in requests}
        only = next(iter(actors)) if len(actors) == 1 else None
        with self._context.unit_of_work(only, Change.ADD_NUMBERS) as uow:
            session = uow.session
            if only is None:
                for actor in actors:
                    admit(session, actor, Change.ADD_NUMBERS)
            accounts = {
                account.id: account
                for account in session.scalars(
                    select(Account).where(Account.id.in_({a.account_id for a in actors}))
                )
            }
            # The use cases and their brands in one query: each check below then finds them
            # in the session instead of asking the store, request after request.
            wanted = {uc for _, _, _, uc in cleaned if uc is not None}
            # Held for the loop: the session keeps loaded objects only while they are used.
            preloaded = session.scalars(
                select(UseCase).options(joinedload(UseCase.brand)).where(UseCase.id.in_(wanted))
            ).all()
            approved: dict[tuple[Actor, int | None], UseCase] = {}
            use_cases = []
            for actor, _, _, use_case_id in cleaned:
                key = (actor, use_case_id)
                if key not in approved:
                    approved[key] = self.approved_use_case(session, actor, use_case_id)
                use_cases.append(approved[key])
            dedicated = dedicated_in_use(session, accounts)
            on_use_case = unreleased_on_use_cases(session, {uc.id for uc in use_cases})
            items: list[NewNumber] = []
            for (actor, preferences, clean_name, _), use_case in zip(
                cleaned, use_cases, strict=True
            ):
                account = accounts.get(actor.account_id)
                if account is None:
                    raise NotFound("That account does not exist.", field="number")
                self.check_dedicated_capacity(session, account, used=dedicated.get(account.id, 0))
                self.check_use_case_capacity(
                    session, use_case, used=on_use_case.get(use_case.id, 0)
                )
                dedicated[account.id] = dedicated.get(account.id, 0) + 1
                on_use_case[use_case.id] = on_use_case.get(use_case.id, 0) + 1
                items.append(
                    NewNumber(actor, preferences, NumberKind.DEDICATED, use_case, clean_name)
                )
            numbers = self.add_numbers(uow, items, each_by_its_admin=only is None)
            del preloaded
            return [number.id for number in numbers]

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
        [bought] = self.add_numbers(uow, [NewNumber(actor, preferences, kind, use_case, name)])
        return uow.session.get_one(PhoneNumber, bought.id)

    def add_numbers(
        self, uow: UnitOfWork, items: Sequence[NewNumber], *, each_by_its_admin: bool = False
    ) -> list[BoughtNumber]:
        """Buy numbers and start their provisioning, in order (one insert per table).

        The caller has already checked the limits that apply to each kind (N2, N3). With
        ``each_by_its_admin`` the events name each item's admin rather than the unit of work's
        actor.
        """
        if not items:
            return []
        bought = inventory.purchase_many(uow.session, [item.preferences for item in items], uow.now)
        created_at = bulk.stored_datetime(uow.now)
        ids = bulk.insert_rows(
            uow.session,
            "phone_number",
            (
                "account_id",
                "e164",
                "area_code",
                "kind",
                "name",
                "use_case_id",
                "provisioning_status",
                "initiator_id",
                "created_at",
            ),
            [
                (
                    item.actor.account_id,
                    purchase.e164,
                    purchase.area_code,
                    item.kind.value,
                    item.name if item.kind is NumberKind.DEDICATED else None,
                    item.use_case.id,
                    ProvisioningStatus.INITIATED.value,
                    item.actor.user_id,
                    created_at,
                )
                for item, purchase in zip(items, bought, strict=True)
            ],
        )
        numbers = [
            BoughtNumber(
                number_id,
                item.actor.account_id,
                purchase.e164,
                item.kind,
                name=item.name if item.kind is NumberKind.DEDICATED else None,
            )
            for number_id, item, purchase in zip(ids, items, bought, strict=True)
        ]
        uow.record_many(
            [
                AuditRecord(
                    "number_bought",
                    "phone_number",
                    number.id,
                    account_id=number.account_id,
                    after={
                        "e164": number.e164,
                        "kind": item.kind,
                        "area_code": purchase.area_code,
                        "preference": purchase.preference,
                        "skipped": list(purchase.skipped),
                        "use_case_id": item.use_case.id,
                        "name": item.name,
                    },
                    actor=item.actor if each_by_its_admin else None,
                )
                for number, item, purchase in zip(numbers, items, bought, strict=True)
            ]
        )
        for number in numbers:
            uow.changes.add(NUMBERS, account_id=number.account_id, number_id=number.id)
        self._provisioning.start_many(
            uow, numbers, actors=[item.actor for item in items] if each_by_its_admin else None
        )
        return numbers

    def rename(self, actor: Actor, number_id: int, name: str | None) -> PhoneNumberRow:
        """N6: a dedicated number can be renamed at any time, or have its name removed."""
        clean_name = validation.number_name(name)
        with self._context.unit_of_work(actor, Change.RENAME_NUMBERS) as uow:
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
        with self._context.unit_of_work(actor, Change.DELETE_NUMBERS) as uow:
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
                    f"{number_label(number.e164, number.name)} is in use by {len(titles)} campaign"
                    f"{'s' if len(titles) != 1 else ''} that "
                    f"{'are' if len(titles) != 1 else 'is'} not archived: "
                    + ", ".join(f"“{t}”" for t in titles)
                    + ". Archive them first, then delete the number.",
                    titles,
                    field="number",
                )
            release_number(uow, number, "deleted")

    # ------------------------------------------------------------------ reads
    # The usage and the status bar's counts are read again a few times a second while the
    # simulator runs (P2): their statements are built once, the account bound at each read, and
    # they read columns, not objects.
    _in_account: ClassVar[BindParameter[int]] = bindparam("account_id", type_=Integer)
    _dedicated_used = select(
        select(Account.dedicated_number_limit).where(Account.id == _in_account).scalar_subquery(),
        select(func.count(PhoneNumber.id))
        .where(
            PhoneNumber.account_id == _in_account,
            PhoneNumber.kind == NumberKind.DEDICATED,
            PhoneNumber.released_at.is_(None),
        )
        .scalar_subquery(),
    )
    _use_case_usage = (
        select(
            UseCase.id,
            UseCase.name,
            UseCase.status,
            Brand.name,
            Brand.status,
            select(func.count(PhoneNumber.id))
            .where(PhoneNumber.use_case_id == UseCase.id, PhoneNumber.released_at.is_(None))
            .correlate(UseCase)
            .scalar_subquery(),
        )
        .join(Brand, UseCase.brand_id == Brand.id)
        .where(UseCase.account_id == _in_account)
        .order_by(UseCase.name)
    )
    _provisioning_now = select(func.count(PhoneNumber.id)).where(
        PhoneNumber.account_id == _in_account,
        PhoneNumber.provisioning_status == ProvisioningStatus.INITIATED,
        PhoneNumber.released_at.is_(None),
    )

    def dedicated_usage(self, actor: Actor) -> DedicatedUsage:
        with self._context.read(actor) as session:
            limit, used = session.execute(
                self._dedicated_used, {"account_id": actor.account_id}
            ).one()
            if limit is None:
                raise NotFound("That account does not exist.", field="account")
            return DedicatedUsage(used=used or 0, limit=limit)

    def use_cases(self, actor: Actor) -> list[UseCaseRow]:
        """U2: every use case of the account with its usage ("37 of 49 numbers")."""
        with self._context.read(actor) as session:
            result = session.execute(self._use_case_usage, {"account_id": actor.account_id})
            return [
                UseCaseRow(
                    id=use_case_id,
                    name=name,
                    status=status,
                    brand_name=brand_name,
                    brand_status=brand_status,
                    used=count,
                    limit=USE_CASE_NUMBER_LIMIT,
                    warning_from=USE_CASE_WARNING_FROM,
                )
                for use_case_id, name, status, brand_name, brand_status, count in result
            ]

    def provisioning_count(self, actor: Actor) -> int:
        """How many of the account's numbers are provisioning now (status bar)."""
        with self._context.read(actor) as session:
            return session.scalar(self._provisioning_now, {"account_id": actor.account_id}) or 0

    def get(self, actor: Actor, number_id: int) -> PhoneNumberRow:
        with self._context.read(actor) as session:
            self.number_in_account(session, actor, number_id)
            rows = self._rows(session, self._base_query(actor).where(PhoneNumber.id == number_id))
            return rows[0]

    def rows(self, actor: Actor, number_ids: Collection[int]) -> list[PhoneNumberRow]:
        """Fresh rows of the account's numbers among ``number_ids``, read together (live
        updates of the Phone Numbers table); other accounts' numbers are left out (N12).
        """
        wanted = sorted(set(checked_ids(number_ids, "phone number", field="number")))
        found: list[PhoneNumberRow] = []
        with self._context.read(actor) as session:
            for chunk in bulk.chunks(wanted):
                found.extend(
                    self._rows(
                        session,
                        self._rows_by_id,
                        {"account_id": actor.account_id, "ids": chunk},
                    )
                )
        return found

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
        with self._context.read(actor) as session:
            filters = self._filters(text, include_released)
            total = self._count(session, actor, filters)
            query = (
                self._base_query(actor)
                .where(*filters)
                .order_by(*self._order(sort, descending))
                .offset(max(0, offset))
                .limit(max(0, limit))
            )
            return Page(rows=tuple(self._rows(session, query)), total=total, offset=offset)

    def id_at(
        self,
        actor: Actor,
        position: int,
        *,
        sort: NumberSortKey = NumberSortKey.CREATED,
        descending: bool = False,
        text: str = "",
        include_released: bool = False,
    ) -> tuple[int | None, int]:
        """The id of the number at ``position`` of the Phone Numbers table (None past its end),
        and how many numbers the table holds: what a live update reads to learn whether rows
        came into the part of the table already shown, at a fraction of a page's cost (P2).
        """
        if text.strip():
            # The filter text is in the statement: built for this read only.
            filters = self._filters(text, include_released)
            statement = self._position_statement(sort, descending, filters)
        else:
            key = (sort, descending, include_released)
            built = self._positions.get(key)
            if built is None:
                built = self._position_statement(
                    sort, descending, self._filters("", include_released)
                )
                self._positions[key] = built
            statement = built
        with self._context.read(actor) as session:
            number_id, total = session.execute(
                statement, {"account_id": actor.account_id, "position": max(0, position)}
            ).one()
            return number_id, total or 0

    def _position_statement(
        self, sort: NumberSortKey, descending: bool, filters: list[ColumnElement[bool]]
    ) -> Select[int | None, int]:
        """One statement for both answers of :meth:`id_at`, the account and the position bound:
        a live update asks it at each batch (P2), and building it cost more than running it.
        """
        number_id = (
            self._scoped(select(PhoneNumber.id), self._in_account, filters)
            .order_by(*self._order(sort, descending))
            .offset(bindparam("position"))
            .limit(1)
            .scalar_subquery()
        )
        counted = select(func.count(PhoneNumber.id))
        total = self._scoped(counted, self._in_account, filters).scalar_subquery()
        return select(number_id, total)

    def _filters(self, text: str, include_released: bool) -> list[ColumnElement[bool]]:
        """The table's filters (beside the account): released numbers, the filter text."""
        filters: list[ColumnElement[bool]] = []
        if not include_released:
            filters.append(PhoneNumber.released_at.is_(None))
        condition = self._text_condition(text)
        if condition is not None:
            filters.append(condition)
        return filters

    @staticmethod
    def _scoped(
        query: AnySelect, account: int | BindParameter[int], filters: list[ColumnElement[bool]]
    ) -> AnySelect:
        """``query`` over the numbers of ``account`` (an id, or bound at each read), with their
        use case (which the filter text and a sort may name), that pass ``filters``.
        """
        return query.join(UseCase, PhoneNumber.use_case_id == UseCase.id).where(
            PhoneNumber.account_id == account, *filters
        )

    def _count(self, session: Session, actor: Actor, filters: list[ColumnElement[bool]]) -> int:
        counted = self._scoped(select(func.count(PhoneNumber.id)), actor.account_id, filters)
        return session.scalar(counted) or 0

    def _order(self, sort: NumberSortKey, descending: bool) -> tuple[ColumnElement[Any], ...]:
        key = self._sort_column(sort)
        if descending:
            return key.desc(), PhoneNumber.id.desc()
        return key.asc(), PhoneNumber.id.asc()

    # ------------------------------------------------------------------ query parts
    _campaigns_using = (
        select(func.count(Campaign.id))
        .where(Campaign.phone_number_id == PhoneNumber.id, not_archived(Campaign.status))
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

    # Columns, not PhoneNumber objects: the Phone Numbers tab reads up to a thousand rows at a
    # time while the simulator runs (P2), and building objects costs most of that. Built once:
    # building it at every read cost as much as reading a few rows.
    _initiator = aliased(User)
    _number_rows = (
        select(
            PhoneNumber.id,
            PhoneNumber.e164,
            PhoneNumber.name,
            PhoneNumber.kind,
            PhoneNumber.area_code,
            PhoneNumber.use_case_id,
            PhoneNumber.provisioning_status,
            PhoneNumber.failure_reason,
            PhoneNumber.created_at,
            PhoneNumber.completed_at,
            PhoneNumber.failed_at,
            PhoneNumber.released_at,
            UseCase.name.label("use_case_name"),
            _initiator.name.label("initiator_name"),
            _campaigns_using.label("campaigns_using"),
        )
        .join(UseCase, PhoneNumber.use_case_id == UseCase.id)
        .outerjoin(_initiator, PhoneNumber.initiator_id == _initiator.id)
    )
    # Rows by id (live updates): the account and the ids bound at each read.
    _rows_by_id = _number_rows.where(
        PhoneNumber.account_id == _in_account,
        PhoneNumber.id.in_(bindparam("ids", expanding=True)),
    )

    def _base_query(self, actor: Actor) -> AnySelect:
        return self._number_rows.where(PhoneNumber.account_id == actor.account_id)

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

    # The key of each sort, built once (building it at every page read cost more than the
    # read: the campaign index builds its own the same way).
    _sort_columns: ClassVar[dict[NumberSortKey, SortColumn]] = {
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
        NumberSortKey.CARRIERS: _confirmed,
        NumberSortKey.CAMPAIGNS: _campaigns_using,
        NumberSortKey.CREATED: PhoneNumber.created_at,
        NumberSortKey.COMPLETED: PhoneNumber.completed_at,
    }

    def _sort_column(self, sort: NumberSortKey) -> SortColumn:
        return self._sort_columns[sort]

    @staticmethod
    def _titles_using(
        session: Session, number_ids: Sequence[int], *, most: int | None = None
    ) -> dict[int, list[str]]:
        """The titles of the unarchived campaigns on each number, oldest first (at most ``most``
        per number: a dedicated number can carry thousands).
        """
        titles: dict[int, list[str]] = defaultdict(list)
        if not number_ids:
            return titles
        parameters: dict[str, Any] = {"ids": list(number_ids)}
        query = _ALL_TITLES
        if most is not None:
            query, parameters = _FIRST_TITLES, {**parameters, "most": most}
        for number_id, title in session.execute(query, parameters):
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
        checks = session.execute(_CARRIER_CHECKS, {"ids": list(number_ids)})
        for number_id, carrier, status, answered_at, reason in checks:
            states[number_id].append(
                CarrierState(carrier=carrier, status=status, answered_at=answered_at, reason=reason)
            )
        return states

    def _rows(
        self, session: Session, query: AnySelect, parameters: dict[str, Any] | None = None
    ) -> list[PhoneNumberRow]:
        """The rows of ``query`` (a ``_number_rows`` statement), read by position: by name, the
        fifteen columns of a hundred rows cost more than building the rows.
        """
        result = session.execute(query, parameters).all()
        ids = [r[0] for r in result]
        titles = self._titles_using(session, ids, most=ROW_TITLES)
        carriers = self.carrier_states(session, ids)
        rows: list[PhoneNumberRow] = []
        for (
            number_id,
            e164,
            name,
            kind,
            area_code,
            use_case_id,
            provisioning_status,
            failure_reason,
            created_at,
            completed_at,
            failed_at,
            released_at,
            use_case_name,
            initiator_name,
            campaigns_using,
        ) in result:
            rows.append(
                PhoneNumberRow(
                    id=number_id,
                    e164=e164,
                    name=name,
                    kind=kind,
                    area_code=area_code,
                    place=area_codes.place(area_code),
                    use_case_id=use_case_id,
                    use_case_name=use_case_name,
                    provisioning_status=provisioning_status,
                    failure_reason=failure_reason,
                    carriers=tuple(carriers.get(number_id, ())),
                    campaigns_using=campaigns_using,
                    campaign_titles=tuple(titles.get(number_id, ())),
                    initiator_name=initiator_name,
                    created_at=created_at,
                    completed_at=completed_at,
                    failed_at=failed_at,
                    released_at=released_at,
                )
            )
        return rows


__all__ = [
    "USE_CASE_NUMBER_LIMIT",
    "USE_CASE_WARNING_FROM",
    "BoughtNumber",
    "DedicatedNumberRequest",
    "NewNumber",
    "NumberService",
    "dedicated_in_use",
    "release_number",
    "unreleased_on_use_case",
    "unreleased_on_use_cases",
]
