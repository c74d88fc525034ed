"""Accounts, their users and settings; which admin acts for an account in the window."""

from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select

from thrudesk.models import Account, Brand, UseCase, User
from thrudesk.models.enums import BrandStatus, Role, UseCaseStatus
from thrudesk.services import validation
from thrudesk.services.changes import ACCOUNTS
from thrudesk.services.context import ServiceContext
from thrudesk.services.errors import InvalidInput, NotFound
from thrudesk.services.ids import checked_id
from thrudesk.services.rows import AccountRow, UserRow
from thrudesk.services.unit_of_work import Actor, Change

if TYPE_CHECKING:
    from thrudesk.services.store import Store

BATCH_SIZE_MIN = 1
BATCH_SIZE_MAX = 5000


def store_is_empty(store: Store) -> bool:
    """Whether the store holds no account yet (a new profile, which the demo fills)."""
    with store.read() as session:
        return session.scalar(select(Account.id).limit(1)) is None


def check_batch_size(value: object, *, field: str = "batch_size") -> int:
    """C14: a self-assign batch size is a whole number from 1 to 5000."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput("The batch size must be a whole number from 1 to 5000.", field=field)
    if not BATCH_SIZE_MIN <= value <= BATCH_SIZE_MAX:
        raise InvalidInput(
            f"The batch size must be from {BATCH_SIZE_MIN} to {BATCH_SIZE_MAX}; "
            f"{value} is out of range.",
            field=field,
        )
    return value


def _account_row(account: Account) -> AccountRow:
    return AccountRow(
        id=account.id,
        name=account.name,
        timezone=account.timezone,
        provisioning_based_launching=account.provisioning_based_launching,
        default_batch_size=account.default_batch_size,
        dedicated_number_limit=account.dedicated_number_limit,
    )


def _user_row(user: User) -> UserRow:
    return UserRow(
        id=user.id, account_id=user.account_id, name=user.name, email=user.email, role=user.role
    )


class AccountService:
    """Accounts and users; the admin of an account who acts in the window."""

    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def all(self) -> list[AccountRow]:
        with self._context.store.read() as session:
            return [_account_row(a) for a in session.scalars(select(Account).order_by(Account.id))]

    def get(self, account_id: int) -> AccountRow:
        with self._context.store.read() as session:
            account = session.get(Account, checked_id(account_id, "account", field="account"))
            if account is None:
                raise NotFound("That account does not exist.", field="account")
            return _account_row(account)

    def find(self, name: str) -> AccountRow | None:
        with self._context.store.read() as session:
            account = session.scalar(select(Account).where(Account.name == name))
            return _account_row(account) if account else None

    def users(self, actor: Actor, role: Role | None = None) -> list[UserRow]:
        with self._context.read(actor) as session:
            query = select(User).where(User.account_id == actor.account_id).order_by(User.id)
            if role is not None:
                query = query.where(User.role == role)
            return [_user_row(u) for u in session.scalars(query)]

    def user(self, actor: Actor, user_id: int) -> UserRow:
        with self._context.read(actor) as session:
            user = session.get(User, checked_id(user_id, "user", field="user"))
            if user is None or user.account_id != actor.account_id:
                raise NotFound("That user does not exist in this account.", field="user")
            return _user_row(user)

    def admin_actor(self, account_id: int) -> Actor:
        """The account's first admin, who acts when the window shows this account."""
        checked_id(account_id, "account", field="account")
        with self._context.store.read() as session:
            user_id = session.scalar(
                select(User.id)
                .where(User.account_id == account_id, User.role == Role.ADMIN)
                .order_by(User.id)
                .limit(1)
            )
            if user_id is None:
                raise NotFound("That account has no admin.", field="account")
            return Actor(account_id=account_id, user_id=user_id)

    def set_provisioning_based_launching(self, actor: Actor, enabled: bool) -> AccountRow:
        """C5: switched off during provider incidents."""
        with self._context.unit_of_work(actor, Change.CHANGE_SETTINGS) as uow:
            account = uow.session.get_one(Account, actor.account_id)
            if account.provisioning_based_launching != enabled:
                uow.record(
                    "account_setting_changed",
                    "account",
                    account.id,
                    account_id=account.id,
                    before={"provisioning_based_launching": account.provisioning_based_launching},
                    after={"provisioning_based_launching": enabled},
                )
                account.provisioning_based_launching = enabled
                uow.changes.add(ACCOUNTS, account_id=account.id)
            return _account_row(account)

    def set_default_batch_size(self, actor: Actor, size: int) -> AccountRow:
        """C14: the account default for self-assign batches (300 unless changed)."""
        size = check_batch_size(size, field="default_batch_size")
        with self._context.unit_of_work(actor, Change.CHANGE_SETTINGS) as uow:
            account = uow.session.get_one(Account, actor.account_id)
            if account.default_batch_size != size:
                uow.record(
                    "account_setting_changed",
                    "account",
                    account.id,
                    account_id=account.id,
                    before={"default_batch_size": account.default_batch_size},
                    after={"default_batch_size": size},
                )
                account.default_batch_size = size
                uow.changes.add(ACCOUNTS, account_id=account.id)
            return _account_row(account)

    # ------------------------------------------------------------------ onboarding
    def create_account(self, name: str, *, timezone: str = "America/New_York") -> AccountRow:
        """A new account with the platform defaults (batch size 300, 5 dedicated numbers)."""
        clean_name = validation.clean_text(name, field="name", label="The name", max_length=120)
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidInput(
                f"“{timezone}” is not a time zone; use a name such as America/Chicago.",
                field="timezone",
            ) from None
        with self._context.unit_of_work(actor_label="Setup") as uow:
            if uow.session.scalar(select(Account.id).where(Account.name == clean_name)):
                raise InvalidInput(f"An account named “{clean_name}” exists.", field="name")
            account = Account(name=clean_name, timezone=timezone, created_at=uow.now)
            uow.session.add(account)
            uow.session.flush()
            uow.record(
                "account_created",
                "account",
                account.id,
                account_id=account.id,
                after={"name": clean_name, "timezone": timezone},
            )
            uow.changes.add(ACCOUNTS, account_id=account.id)
            return _account_row(account)

    def add_user(self, account_id: int, name: str, email: str, role: Role) -> UserRow:
        clean_name = validation.clean_text(name, field="name", label="The name", max_length=120)
        clean_email = validation.clean_text(
            email, field="email", label="The email address", max_length=254
        )
        if "@" not in clean_email:
            raise InvalidInput("An email address needs an @.", field="email")
        with self._context.unit_of_work(actor_label="Setup") as uow:
            if uow.session.get(Account, checked_id(account_id, "account", field="account")) is None:
                raise NotFound("That account does not exist.", field="account")
            user = User(
                account_id=account_id,
                name=clean_name,
                email=clean_email,
                role=Role(role),
                created_at=uow.now,
            )
            uow.session.add(user)
            uow.session.flush()
            uow.record(
                "user_added",
                "user",
                user.id,
                account_id=account_id,
                after={"name": clean_name, "role": user.role},
            )
            uow.changes.add(ACCOUNTS, account_id=account_id)
            return _user_row(user)

    def register_brand(self, account_id: int, name: str, status: BrandStatus) -> int:
        clean_name = validation.clean_text(name, field="name", label="The name", max_length=120)
        checked_id(account_id, "account", field="account")
        with self._context.unit_of_work(actor_label="Setup") as uow:
            if uow.session.get(Account, account_id) is None:
                raise NotFound("That account does not exist.", field="account")
            brand = Brand(account_id=account_id, name=clean_name, status=BrandStatus(status))
            uow.session.add(brand)
            uow.session.flush()
            uow.record(
                "brand_registered",
                "brand",
                brand.id,
                account_id=account_id,
                after={"name": clean_name, "status": brand.status},
            )
            return brand.id

    def add_use_case(self, account_id: int, brand_id: int, name: str, status: UseCaseStatus) -> int:
        clean_name = validation.clean_text(name, field="name", label="The name", max_length=120)
        with self._context.unit_of_work(actor_label="Setup") as uow:
            brand = uow.session.get(Brand, checked_id(brand_id, "brand", field="brand"))
            if brand is None or brand.account_id != account_id:
                raise NotFound("That brand does not exist in this account.", field="brand")
            use_case = UseCase(
                account_id=account_id,
                brand_id=brand_id,
                name=clean_name,
                status=UseCaseStatus(status),
            )
            uow.session.add(use_case)
            uow.session.flush()
            uow.record(
                "use_case_added",
                "use_case",
                use_case.id,
                account_id=account_id,
                after={"name": clean_name, "status": use_case.status},
            )
            uow.changes.add("numbers", account_id=account_id)
            return use_case.id

    def set_use_case_status(self, account_id: int, use_case_id: int, status: UseCaseStatus) -> None:
        with self._context.unit_of_work(actor_label="Setup") as uow:
            use_case = uow.session.get(
                UseCase, checked_id(use_case_id, "use case", field="use_case")
            )
            if use_case is None or use_case.account_id != account_id:
                raise NotFound("That use case does not exist in this account.", field="use_case")
            uow.record(
                "use_case_status_changed",
                "use_case",
                use_case.id,
                account_id=account_id,
                before={"status": use_case.status},
                after={"status": UseCaseStatus(status)},
            )
            use_case.status = UseCaseStatus(status)
            uow.changes.add("numbers", account_id=account_id)
