"""Campaigns: drafting, launching, pausing, archiving, cloning and followups, and the campaign
index and details the window reads (C1–C3, C5–C10, C16, C17).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Row,
    Select,
    bindparam,
    case,
    func,
    insert,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import QueryableAttribute, Session

from thrudesk.models import (
    Account,
    Campaign,
    Contact,
    Conversation,
    PhoneNumber,
    UseCase,
)
from thrudesk.models.campaign import not_archived
from thrudesk.models.enums import (
    CampaignStatus,
    NumberKind,
    NumberMode,
    ProvisioningStatus,
)
from thrudesk.services import campaign_rules, membership, validation, wording
from thrudesk.services.audience import audience_stats, recount
from thrudesk.services.changes import CAMPAIGNS, CONVERSATIONS
from thrudesk.services.contact_fields import field_key, field_spellings
from thrudesk.services.context import ServiceContext
from thrudesk.services.errors import (
    InvalidInput,
    InvalidTransition,
    NotFound,
    NumberNotReady,
    ThrudeskError,
)
from thrudesk.services.ids import checked_id, checked_ids
from thrudesk.services.numbers import (
    USE_CASE_NUMBER_LIMIT,
    NumberService,
    release_number,
    unreleased_on_use_case,
)
from thrudesk.services.rows import (
    CampaignDetails,
    CampaignFlag,
    CampaignFlagKind,
    CampaignIndexRow,
    CampaignSortKey,
    CampaignStatusFilter,
    DedicatedChoice,
    FollowupRow,
    LaunchOptions,
    Page,
    number_label,
)
from thrudesk.services.senders import campaign_senders, enabled_link, open_link
from thrudesk.services.sending_window import plan_campaign_opening
from thrudesk.services.unit_of_work import Actor, Change, UnitOfWork

AnySelect = Select[*tuple[Any, ...]]
SortColumn = ColumnElement[Any] | QueryableAttribute[Any]

TITLE_MAX = 200
SCRIPT_MAX = 1600
STUCK_AFTER = timedelta(hours=4)  # C6
AUTO_ARCHIVE_AFTER = timedelta(days=30)  # C17
AUTO_ARCHIVE_WARNING_FROM = timedelta(days=23)  # C17
ADVISED_CONCURRENT_SINGLE_USE_LAUNCHES = 2  # C7
STILL_PROVISIONING_WARNING = (
    "Number still provisioning: wait 10 minutes after launching before sending"
)


def campaign_flags(
    *,
    status: CampaignStatus,
    provisioning_failed: bool,
    number_kind: NumberKind | None,
    number_status: ProvisioningStatus | None,
    launched_at: datetime | None,
    last_activity_at: datetime,
    parent_id: int | None,
    now: datetime,
) -> tuple[CampaignFlag, ...]:
    """The marks shown beside a campaign's status, derived from its state and the clock."""
    flags: list[CampaignFlag] = []
    if parent_id is not None:
        flags.append(CampaignFlag(CampaignFlagKind.FOLLOWUP, "Followup"))
    if status is CampaignStatus.ARCHIVED:
        return tuple(flags)
    if provisioning_failed:  # C1
        flags.append(
            CampaignFlag(
                CampaignFlagKind.PROVISIONING_FAILED,
                "Provisioning Failed",
                "Clone this campaign and archive it to try again.",
            )
        )
    if (
        status in (CampaignStatus.ACTIVE, CampaignStatus.PAUSED)
        and number_status is ProvisioningStatus.INITIATED
    ):  # C5
        flags.append(CampaignFlag(CampaignFlagKind.STILL_PROVISIONING, STILL_PROVISIONING_WARNING))
    if status is CampaignStatus.LAUNCHING and launched_at is not None:  # C6
        waited = now - launched_at
        if waited > STUCK_AFTER:
            flags.append(
                CampaignFlag(
                    CampaignFlagKind.STUCK,
                    "Stuck",
                    f"Launching for {wording.duration(waited)}, longer than the usual 4 hours "
                    "at most; contact support.",
                )
            )
    idle = now - last_activity_at
    if idle >= AUTO_ARCHIVE_WARNING_FROM:  # C17
        days_left = max(0, math.ceil((AUTO_ARCHIVE_AFTER - idle) / timedelta(days=1)))
        flags.append(
            CampaignFlag(
                CampaignFlagKind.AUTO_ARCHIVE_SOON,
                f"Auto-archived in {days_left} day{'s' if days_left != 1 else ''}",
                "Campaigns with no activity for 30 days are archived automatically.",
            )
        )
    return tuple(flags)


@dataclass(frozen=True)
class FollowupTargeting:
    """C8: contacts removed from a followup's audience (the original's contacts).

    Opted-out contacts are always left out (M3).
    """

    replied: bool | None = None  # True: only those who replied; False: only those who did not
    field_equals: Mapping[str, str] = field(default_factory=dict)  # remove where field == value
    exclude_contact_ids: Collection[int] = ()


FIELD_KEY_MAX = 64


def _field_value(name: str) -> ColumnElement[Any]:
    """A conversation's value of the contact field ``name`` (NULL when it has none).

    A JSON path reads it fastest, but SQLite reads a quote or a backslash inside a path's
    label its own way: a field whose column name has one is looked up by key instead, which
    matches any name, a third slower.
    """
    if '"' in name or "\\" in name:
        entries = func.json_each(Conversation.fields).table_valued("key", "value")
        return select(entries.c.value).where(entries.c.key == name).scalar_subquery()
    return func.json_extract(Conversation.fields, f'$."{name}"')


def check_targeting(targeting: FollowupTargeting) -> FollowupTargeting:
    """C8: targeting names fields by their column names and contacts by id; nothing else."""
    if not isinstance(targeting, FollowupTargeting):
        raise InvalidInput("Choose the followup's targeting in the dialog.", field="targeting")
    if targeting.replied not in (None, True, False):
        raise InvalidInput("Choose replied, not replied, or either.", field="targeting")
    if not isinstance(targeting.field_equals, Mapping):
        raise InvalidInput("Choose fields and values to leave out.", field="targeting")
    for key, value in targeting.field_equals.items():
        name = validation.clean_text(
            key, field="targeting", label="A field's name", max_length=FIELD_KEY_MAX
        )
        if name != key:
            raise InvalidInput(
                "Choose a field by the name of its column, as imported.", field="targeting"
            )
        if not isinstance(value, str):
            raise InvalidInput(f"The value of “{name}” must be text.", field="targeting")
    excluded = targeting.exclude_contact_ids
    if isinstance(excluded, str | bytes) or not isinstance(excluded, Iterable):
        raise InvalidInput("Choose the contacts to leave out from the list.", field="targeting")
    ids = tuple(excluded)  # read once: a generator would be empty the second time
    if not all(isinstance(c, int) and not isinstance(c, bool) for c in ids):
        raise InvalidInput("Choose the contacts to leave out from the list.", field="targeting")
    return replace(targeting, field_equals=dict(targeting.field_equals), exclude_contact_ids=ids)


_STATUS_FILTERS: dict[CampaignStatusFilter, tuple[CampaignStatus, ...]] = {
    CampaignStatusFilter.ALL: tuple(CampaignStatus),
    CampaignStatusFilter.ACTIVE: (CampaignStatus.ACTIVE,),
    CampaignStatusFilter.DRAFT: (CampaignStatus.DRAFT, CampaignStatus.LAUNCHING),
    CampaignStatusFilter.PAUSED: (CampaignStatus.PAUSED,),
    CampaignStatusFilter.ARCHIVED: (CampaignStatus.ARCHIVED,),
}

# The order of the Status and Provisioning sorts (C16): what needs attention first.
_STATUS_RANK: dict[CampaignStatus, int] = {
    CampaignStatus.DRAFT: 0,
    CampaignStatus.LAUNCHING: 1,
    CampaignStatus.ACTIVE: 2,
    CampaignStatus.PAUSED: 3,
    CampaignStatus.ARCHIVED: 4,
}
_BADGE_RANK: dict[ProvisioningStatus, int] = {
    ProvisioningStatus.INITIATED: 0,
    ProvisioningStatus.COMPLETE: 1,
    ProvisioningStatus.FAILED: 2,
}
_NO_BADGE_RANK = 3
# The campaign index (C16) reads the tables' own columns, not the mapped attributes: a
# statement of mapped attributes goes through the ORM's compiling and loading as well, which
# cost the first page 1.3 ms more and every later page 0.4 ms (QUALITY.md P3).
_CAMPAIGNS = Campaign.__table__
_CAMPAIGN = _CAMPAIGNS.c
_NUMBERS = PhoneNumber.__table__
_NUMBER = _NUMBERS.c
# The key of each sort, and its ORDER BY in each direction, built once (building them at every
# page read cost more than reading the page's ids).
_SORT_COLUMNS: dict[CampaignSortKey, SortColumn] = {
    CampaignSortKey.TITLE: _CAMPAIGN.title,
    CampaignSortKey.STATUS: case(
        *((_CAMPAIGN.status == s, rank) for s, rank in _STATUS_RANK.items()), else_=4
    ),
    CampaignSortKey.PHONE: _NUMBER.e164,
    CampaignSortKey.BADGE: case(
        *((_NUMBER.provisioning_status == s, rank) for s, rank in _BADGE_RANK.items()),
        else_=_NO_BADGE_RANK,
    ),
    CampaignSortKey.KIND: _CAMPAIGN.number_mode,
    CampaignSortKey.START: _CAMPAIGN.start_at,
    CampaignSortKey.CONTACTS: _CAMPAIGN.contact_count,
    CampaignSortKey.SENDERS: _CAMPAIGN.sender_count,
    CampaignSortKey.UNASSIGNED: _CAMPAIGN.unassigned_count,
    CampaignSortKey.CREATED: _CAMPAIGN.created_at,
}
_ORDERS: dict[tuple[CampaignSortKey, bool], tuple[ColumnElement[Any], ...]] = {
    **{(sort, False): (key.asc(), _CAMPAIGN.id.asc()) for sort, key in _SORT_COLUMNS.items()},
    **{(sort, True): (key.desc(), _CAMPAIGN.id.desc()) for sort, key in _SORT_COLUMNS.items()},
}
# Sorts whose key takes a handful of values that no index holds in order (see _bucketed_ids).
_BUCKETED_SORTS = frozenset({CampaignSortKey.STATUS, CampaignSortKey.PHONE, CampaignSortKey.BADGE})
# Pages that start above this position are read in one statement, walking the sort's index
# with the join; deeper ones read their ids first, so that the rows skipped are index entries
# only (on 100,000 campaigns: 1 ms against 3 ms at the top, 17 ms against 150 ms at the end).
ONE_STATEMENT_DEPTH = 1000

_INDEX_COLUMNS = (
    _CAMPAIGN.id,
    _CAMPAIGN.title,
    _CAMPAIGN.status,
    _CAMPAIGN.provisioning_failed,
    _CAMPAIGN.number_mode,
    _CAMPAIGN.phone_number_id,
    _CAMPAIGN.start_at,
    _CAMPAIGN.contact_count,
    _CAMPAIGN.sender_count,
    _CAMPAIGN.unassigned_count,
    _CAMPAIGN.created_at,
    _CAMPAIGN.launched_at,
    _CAMPAIGN.last_activity_at,
    _CAMPAIGN.parent_id,
    _NUMBER.e164.label("phone_e164"),
    _NUMBER.name.label("number_name"),
    _NUMBER.kind.label("number_kind"),
    _NUMBER.provisioning_status.label("number_status"),
    _NUMBER.released_at.label("number_released_at"),
)
_INDEX_WIDTH = len(_INDEX_COLUMNS)
_INDEX_QUERY: AnySelect = select(*_INDEX_COLUMNS).outerjoin(
    _NUMBERS, _CAMPAIGN.phone_number_id == _NUMBER.id
)

# Rows by id, with their account to check (see _rows_in_order), built once.
_ROWS_BY_ID: AnySelect = _INDEX_QUERY.add_columns(_CAMPAIGN.account_id.label("account_id")).where(
    _CAMPAIGN.id.in_(bindparam("ids", expanding=True))
)


def _scope(
    account_id: int | BindParameter[int], status: CampaignStatusFilter
) -> list[ColumnElement[bool]]:
    """The account (N12) and the status filter, as conditions on ``campaign`` alone."""
    scope: list[ColumnElement[bool]] = [_CAMPAIGN.account_id == account_id]
    if status is not CampaignStatusFilter.ALL:
        scope.append(_CAMPAIGN.status.in_(_STATUS_FILTERS[status]))
    return scope


@cache
def _top_page_query(
    sort: CampaignSortKey, descending: bool, status: CampaignStatusFilter
) -> AnySelect:
    """A page near the top of an order, for any account: built once per order and status
    filter, with the account, offset and limit bound at each read. Built at every read, the
    statement cost a fifth of reading its page (QUALITY.md P3).
    """
    return (
        _INDEX_QUERY.where(*_scope(bindparam("account_id"), status))
        .order_by(*_ORDERS[sort, descending])
        .offset(bindparam("offset"))
        .limit(bindparam("limit"))
    )


@cache
def _position_query(
    sort: CampaignSortKey, descending: bool, status: CampaignStatusFilter
) -> AnySelect:
    """The id at a position of an order that ``campaign``'s own columns hold, and how many
    campaigns pass the filter, in one statement built once per order and status filter (the
    account and the position bound at each read). A live update asks it at each change that
    names a campaign not loaded (QUALITY.md P2), where a one-row page read the row and its
    number as well.
    """
    scope = _scope(bindparam("account_id"), status)
    at = (
        select(_CAMPAIGN.id)
        .where(*scope)
        .order_by(*_ORDERS[sort, descending])
        .offset(bindparam("position"))
        .limit(1)
        .scalar_subquery()
    )
    size = select(func.count()).select_from(_CAMPAIGNS).where(*scope).scalar_subquery()
    return select(at, size)


def _refuse(reason: str | None) -> None:
    """Refuse the action on the campaign with ``reason``, if there is one (campaign_rules)."""
    if reason is not None:
        raise InvalidTransition(reason, field="campaign")


class CampaignService:
    """Every rule about a campaign's life lives here, and nowhere else."""

    def __init__(self, context: ServiceContext, numbers: NumberService) -> None:
        self._context = context
        self._numbers = numbers

    # ------------------------------------------------------------------ lookups (N12)
    campaign_in_account = staticmethod(membership.campaign_in_account)

    @staticmethod
    def _touch(uow: UnitOfWork, campaign: Campaign) -> None:
        campaign.last_activity_at = uow.now
        uow.changes.add(CAMPAIGNS, account_id=campaign.account_id, campaign_id=campaign.id)

    # ------------------------------------------------------------------ drafting
    def create(
        self,
        actor: Actor,
        title: str,
        *,
        script: str = "",
        area_codes: Iterable[str] = (),
        use_case_id: int | None = None,
    ) -> int:
        """A new Draft campaign; answers its id."""
        clean_title = validation.clean_text(
            title, field="title", label="The title", max_length=TITLE_MAX
        )
        clean_script = validation.clean_text(
            script,
            field="script",
            label="The message",
            max_length=SCRIPT_MAX,
            required=False,
            multiline=True,
        )
        codes = list(area_codes)
        preferences = (
            validation.area_code_preferences(codes)
            if any(isinstance(c, str) and c.strip() for c in codes)
            else ()
        )
        with self._context.unit_of_work(actor, Change.CREATE_CAMPAIGNS) as uow:
            if use_case_id is not None:
                self._use_case_in_account(uow.session, actor, use_case_id)
            campaign = Campaign(
                account_id=actor.account_id,
                title=clean_title,
                status=CampaignStatus.DRAFT,
                script=clean_script,
                use_case_id=use_case_id,
                created_by_id=actor.user_id,
                created_at=uow.now,
                last_activity_at=uow.now,
            )
            self._set_area_codes(campaign, preferences)
            uow.session.add(campaign)
            uow.session.flush()
            uow.record(
                "campaign_created",
                "campaign",
                campaign.id,
                account_id=actor.account_id,
                after={"title": clean_title, "status": CampaignStatus.DRAFT},
            )
            self._touch(uow, campaign)
            return campaign.id

    def edit_draft(
        self,
        actor: Actor,
        campaign_id: int,
        *,
        title: str | None = None,
        script: str | None = None,
        area_codes: Iterable[str] | None = None,
        use_case_id: int | None = None,
    ) -> None:
        """Change a Draft's title, message, area-code preferences or use case."""
        with self._context.unit_of_work(actor, Change.EDIT_CAMPAIGNS) as uow:
            campaign = self.campaign_in_account(uow.session, actor, campaign_id)
            _refuse(campaign_rules.edit_refusal(campaign.title, campaign.status))
            before = {"title": campaign.title, "use_case_id": campaign.use_case_id}
            if title is not None:
                campaign.title = validation.clean_text(
                    title, field="title", label="The title", max_length=TITLE_MAX
                )
            if script is not None:
                campaign.script = validation.clean_text(
                    script,
                    field="script",
                    label="The message",
                    max_length=SCRIPT_MAX,
                    required=False,
                    multiline=True,
                )
            if area_codes is not None:
                codes = list(area_codes)
                self._set_area_codes(
                    campaign,
                    validation.area_code_preferences(codes)
                    if any(isinstance(c, str) and c.strip() for c in codes)
                    else (),
                )
            if use_case_id is not None:
                self._use_case_in_account(uow.session, actor, use_case_id)
                campaign.use_case_id = use_case_id
            uow.record(
                "campaign_edited",
                "campaign",
                campaign.id,
                account_id=actor.account_id,
                before=before,
                after={"title": campaign.title, "use_case_id": campaign.use_case_id},
            )
            self._touch(uow, campaign)

    @staticmethod
    def _use_case_in_account(session: Session, actor: Actor, use_case_id: int) -> UseCase:
        use_case = session.get(UseCase, checked_id(use_case_id, "use case", field="use_case"))
        if use_case is None or use_case.account_id != actor.account_id:
            raise NotFound("That use case does not exist in this account.", field="use_case")
        return use_case

    @staticmethod
    def _set_area_codes(campaign: Campaign, codes: tuple[str, ...]) -> None:
        padded = [*codes, None, None, None]
        campaign.area_code_1, campaign.area_code_2, campaign.area_code_3 = padded[:3]

    @staticmethod
    def _area_codes(campaign: Campaign) -> tuple[str, ...]:
        return tuple(
            c for c in (campaign.area_code_1, campaign.area_code_2, campaign.area_code_3) if c
        )

    # ------------------------------------------------------------------ launching
    def _launching_single_use(self, session: Session, account_id: int) -> int:
        """C7: single-use campaigns whose number is still in the carriers' queue.

        That is every Launching one (C4) and, with provisioning-based launching off, the Active or
        Paused ones whose number is still provisioning (C5): they load the queue just the same.
        """
        return (
            session.scalar(
                select(func.count(Campaign.id))
                .join(PhoneNumber, Campaign.phone_number_id == PhoneNumber.id)
                .where(
                    Campaign.account_id == account_id,
                    Campaign.number_mode == NumberMode.SINGLE_USE,
                    Campaign.parent_id.is_(None),
                    or_(
                        Campaign.status == CampaignStatus.LAUNCHING,
                        Campaign.status.in_((CampaignStatus.ACTIVE, CampaignStatus.PAUSED))
                        & (PhoneNumber.provisioning_status == ProvisioningStatus.INITIATED),
                    ),
                    PhoneNumber.released_at.is_(None),
                )
            )
            or 0
        )

    def launch_advisory(self, actor: Actor) -> str | None:
        """C7: the advisory shown when two single-use campaigns are already Launching."""
        with self._context.read(actor) as session:
            return self._advisory(session, actor.account_id)

    def _advisory(self, session: Session, account_id: int) -> str | None:
        launching = self._launching_single_use(session, account_id)
        if launching < ADVISED_CONCURRENT_SINGLE_USE_LAUNCHES:
            return None
        return (
            f"{launching} single-use campaigns are already launching, their numbers still "
            "provisioning. The platform advises no more than two at once: each waits longer in "
            "the carriers' queue. You may go on."
        )

    def launch_options(self, actor: Actor, campaign_id: int) -> LaunchOptions:
        """C2: what the launch dialog offers: dedicated by default, complete numbers only."""
        with self._context.read(actor) as session:
            campaign = self.campaign_in_account(session, actor, campaign_id)
            account = session.get_one(Account, actor.account_id)
            result = session.execute(
                select(PhoneNumber, UseCase.name)
                .join(UseCase, PhoneNumber.use_case_id == UseCase.id)
                .where(
                    PhoneNumber.account_id == actor.account_id,
                    PhoneNumber.kind == NumberKind.DEDICATED,
                    PhoneNumber.released_at.is_(None),
                    PhoneNumber.provisioning_status == ProvisioningStatus.COMPLETE,
                )
                .order_by(PhoneNumber.created_at, PhoneNumber.id)
            )
            choices = tuple(
                DedicatedChoice(id=n.id, e164=n.e164, name=n.name, use_case_name=uc)
                for n, uc in result
            )
            # What a single-use launch would be refused for, asked now, as the launch asks it.
            single_use_refusal: str | None = None
            try:
                self._single_use_use_case(session, actor, campaign)
            except ThrudeskError as refusal:
                single_use_refusal = refusal.message
            use_case_usage = None
            if campaign.use_case is not None:
                used = unreleased_on_use_case(session, campaign.use_case.id)
                use_case_usage = f"{campaign.use_case.name} · {used} of {USE_CASE_NUMBER_LIMIT}"
            # C2: dedicated by default; single-use when no dedicated number is complete.
            default = (
                NumberMode.SINGLE_USE
                if not choices and single_use_refusal is None
                else NumberMode.DEDICATED
            )
            return LaunchOptions(
                campaign_id=campaign.id,
                default_mode=default,
                dedicated_numbers=choices,
                area_codes=self._area_codes(campaign),
                use_case_name=campaign.use_case.name if campaign.use_case else None,
                provisioning_based_launching=account.provisioning_based_launching,
                advisory=self._advisory(session, actor.account_id),
                use_case_usage=use_case_usage,
                single_use_refusal=single_use_refusal,
            )

    def launch(
        self,
        actor: Actor,
        campaign_id: int,
        mode: NumberMode | str,
        phone_number_id: int | None = None,
    ) -> CampaignIndexRow:
        """Launch a Draft on a dedicated number (Active at once, C3) or a single-use one (C4/C5)."""
        try:
            mode = NumberMode(mode)
        except ValueError:
            raise InvalidInput(
                "Choose Dedicated phone number or Single-use phone number.", field="number_mode"
            ) from None
        with self._context.unit_of_work(actor, Change.LAUNCH_CAMPAIGNS) as uow:
            session = uow.session
            campaign = self.campaign_in_account(session, actor, campaign_id)
            _refuse(
                campaign_rules.launch_refusal(
                    campaign.title,
                    campaign.status,
                    campaign.parent_id,
                    campaign.provisioning_failed,
                )
            )
            if mode is NumberMode.DEDICATED:
                self._launch_dedicated(uow, actor, campaign, phone_number_id)
            else:
                self._launch_single_use(uow, actor, campaign)
            campaign.number_mode = mode
            campaign.launched_at = uow.now
            if campaign.start_at is None:  # C11: the start date defaults to now
                campaign.start_at = uow.now
            self._open_window(uow, campaign)
            uow.record(
                "campaign_launched",
                "campaign",
                campaign.id,
                account_id=actor.account_id,
                before={"status": CampaignStatus.DRAFT},
                after={
                    "status": campaign.status,
                    "number_mode": mode,
                    "phone_number_id": campaign.phone_number_id,
                },
            )
            self._touch(uow, campaign)
        return self.index_row(actor, campaign_id)

    def _launch_dedicated(
        self, uow: UnitOfWork, actor: Actor, campaign: Campaign, phone_number_id: int | None
    ) -> None:
        if phone_number_id is None:
            raise InvalidInput("Choose a dedicated number.", field="dedicated_number")
        checked_id(phone_number_id, "phone number", field="dedicated_number")
        try:
            number = self._numbers.number_in_account(uow.session, actor, phone_number_id)
        except NotFound as error:
            raise NotFound(error.message, field="dedicated_number") from None
        if number.kind is not NumberKind.DEDICATED or number.released_at is not None:
            raise InvalidInput(
                f"{number_label(number.e164, number.name)} is not one of this account's "
                "dedicated numbers.",
                field="dedicated_number",
            )
        if number.provisioning_status is not ProvisioningStatus.COMPLETE:  # N4
            raise NumberNotReady(
                f"{number_label(number.e164, number.name)} is "
                f"{number.provisioning_status.label}; only a "
                "Provisioning Complete number can be put on a campaign.",
                field="dedicated_number",
            )
        campaign.phone_number_id = number.id
        campaign.use_case_id = number.use_case_id
        campaign.status = CampaignStatus.ACTIVE  # C3: no provisioning wait
        campaign.activated_at = uow.now

    def _single_use_use_case(self, session: Session, actor: Actor, campaign: Campaign) -> UseCase:
        """The use case a single-use launch of ``campaign`` takes a slot of; refuse the launch
        when it has no area code to buy in, or the use case cannot take a number (U1, N3).
        """
        if not self._area_codes(campaign):
            raise InvalidInput(
                "Set at least one area-code preference (Region 1) before launching on a "
                "single-use number.",
                field="area_codes",
            )
        use_case = self._numbers.approved_use_case(session, actor, campaign.use_case_id)
        self._numbers.check_use_case_capacity(session, use_case)  # N3
        return use_case

    def _launch_single_use(self, uow: UnitOfWork, actor: Actor, campaign: Campaign) -> None:
        session = uow.session
        preferences = self._area_codes(campaign)
        use_case = self._single_use_use_case(session, actor, campaign)
        number = self._numbers.add_number(
            uow, actor, preferences, NumberKind.SINGLE_USE, use_case
        )  # N7
        campaign.phone_number_id = number.id
        account = session.get_one(Account, actor.account_id)
        if account.provisioning_based_launching:
            campaign.status = CampaignStatus.LAUNCHING  # C4
        else:
            campaign.status = CampaignStatus.ACTIVE  # C5, with its warning
            campaign.activated_at = uow.now

    # ------------------------------------------------------------------ status changes
    def pause(self, actor: Actor, campaign_id: int) -> None:
        self._move(
            actor,
            campaign_id,
            Change.PAUSE_CAMPAIGNS,
            campaign_rules.pause_refusal,
            CampaignStatus.PAUSED,
            "paused",
        )

    def resume(self, actor: Actor, campaign_id: int) -> None:
        self._move(
            actor,
            campaign_id,
            Change.RESUME_CAMPAIGNS,
            campaign_rules.resume_refusal,
            CampaignStatus.ACTIVE,
            "resumed",
        )

    def _move(
        self,
        actor: Actor,
        campaign_id: int,
        change: Change,
        refusal: Callable[[str, CampaignStatus], str | None],
        target: CampaignStatus,
        verb: str,
    ) -> None:
        with self._context.unit_of_work(actor, change) as uow:
            campaign = self.campaign_in_account(uow.session, actor, campaign_id)
            _refuse(refusal(campaign.title, campaign.status))
            source = campaign.status
            campaign.status = target
            if target is CampaignStatus.ACTIVE:
                self._open_window(uow, campaign)
            uow.record(
                f"campaign_{verb}",
                "campaign",
                campaign.id,
                account_id=actor.account_id,
                before={"status": source},
                after={"status": target},
            )
            self._touch(uow, campaign)

    def _open_window(self, uow: UnitOfWork, campaign: Campaign) -> None:
        """C11: plan the sending window's opening, when held messages go out and senders send."""
        plan_campaign_opening(uow, self._context.jobs, campaign)

    def archive(self, actor: Actor, campaign_id: int) -> None:
        """C1, C10: archive (for good); a single-use number and its use-case slot are released."""
        with self._context.unit_of_work(actor, Change.ARCHIVE_CAMPAIGNS) as uow:
            campaign = self.campaign_in_account(uow.session, actor, campaign_id)
            self.archive_in(uow, campaign, reason="archived by an admin")

    def archive_in(self, uow: UnitOfWork, campaign: Campaign, *, reason: str) -> None:
        """Archive ``campaign`` and its followups inside ``uow`` (also used by auto-archive)."""
        _refuse(campaign_rules.archive_refusal(campaign.title, campaign.status))
        followups = uow.session.scalars(
            select(Campaign).where(Campaign.parent_id == campaign.id, not_archived(Campaign.status))
        ).all()
        for target in (campaign, *followups):
            before = target.status
            target.status = CampaignStatus.ARCHIVED
            target.archived_at = uow.now
            uow.record(
                "campaign_archived",
                "campaign",
                target.id,
                account_id=target.account_id,
                before={"status": before},
                after={"status": CampaignStatus.ARCHIVED, "reason": reason},
            )
            uow.changes.add(CAMPAIGNS, account_id=target.account_id, campaign_id=target.id)
        number = campaign.phone_number
        if (
            number is not None
            and number.kind is NumberKind.SINGLE_USE
            and campaign.parent_id is None
        ):  # C10, N7
            release_number(uow, number, f"campaign “{campaign.title}” archived")

    # ------------------------------------------------------------------ cloning
    def clone(self, actor: Actor, campaign_id: int) -> int:
        """C9: a new Draft with the title, script, contacts, preferences, use case, self assign."""
        with self._context.unit_of_work(actor, Change.CLONE_CAMPAIGNS) as uow:
            source = self.campaign_in_account(uow.session, actor, campaign_id)
            return self._clone_in(uow, actor, source).id

    def clone_title(self, actor: Actor, campaign_id: int) -> str:
        """C9: the title a clone of the campaign would get now, for a confirmation to name."""
        with self._context.read(actor) as session:
            source = self.campaign_in_account(session, actor, campaign_id)
            return self._copy_title(session, source)

    def _copy_title(self, session: Session, source: Campaign) -> str:
        """C9: "Copy of …", numbered (2), (3)… past the titles the account already has."""
        stem = campaign_rules.copy_title_stem(source.title, TITLE_MAX)
        # Short enough a start that numbered titles, their stem cut to make room, share it.
        start = stem[: TITLE_MAX - 20]
        taken = session.scalars(
            select(Campaign.title).where(
                Campaign.account_id == source.account_id,
                Campaign.title.startswith(start, autoescape=True),
            )
        )
        return campaign_rules.copy_title(source.title, set(taken), TITLE_MAX)

    def clone_and_archive(self, actor: Actor, campaign_id: int) -> int:
        """C9: the remedy for a failed provisioning, as one action: clone, then archive."""
        with self._context.unit_of_work(actor, Change.CLONE_CAMPAIGNS) as uow:
            source = self.campaign_in_account(uow.session, actor, campaign_id)
            _refuse(
                campaign_rules.clone_and_archive_refusal(
                    source.title, source.status, source.parent_id, source.provisioning_failed
                )
            )
            copy = self._clone_in(uow, actor, source)
            self.archive_in(uow, source, reason="replaced by a clone after failed provisioning")
            return copy.id

    def _clone_in(self, uow: UnitOfWork, actor: Actor, source: Campaign) -> Campaign:
        _refuse(campaign_rules.clone_refusal(source.parent_id))
        title = self._copy_title(uow.session, source)
        copy = Campaign(
            account_id=source.account_id,
            title=title,
            status=CampaignStatus.DRAFT,
            script=source.script,
            area_code_1=source.area_code_1,
            area_code_2=source.area_code_2,
            area_code_3=source.area_code_3,
            use_case_id=source.use_case_id,
            self_assign=source.self_assign,
            batch_size=source.batch_size,
            cloned_from_id=source.id,
            created_by_id=actor.user_id,
            created_at=uow.now,
            last_activity_at=uow.now,
        )
        uow.session.add(copy)
        uow.session.flush()
        uow.session.execute(
            insert(Conversation).from_select(
                ["campaign_id", "contact_id", "fields"],
                select(
                    literal(copy.id).label("campaign_id"),
                    Conversation.contact_id,
                    Conversation.fields,
                ).where(Conversation.campaign_id == source.id),
            )
        )
        recount(uow.session, copy)
        if copy.self_assign:
            open_link(uow, copy)  # C15: the copy gets its own link, with a new token
        uow.record(
            "campaign_cloned",
            "campaign",
            copy.id,
            account_id=source.account_id,
            after={"title": title, "cloned_from_id": source.id},
        )
        self._touch(uow, copy)
        uow.changes.add(CONVERSATIONS, account_id=source.account_id, campaign_id=copy.id)
        return copy

    # ------------------------------------------------------------------ followups
    def create_followup(
        self,
        actor: Actor,
        campaign_id: int,
        *,
        title: str,
        message: str,
        expires_at: datetime,
        targeting: FollowupTargeting | None = None,
    ) -> int:
        """C8: a followup on the original's number, to the original's contacts minus targeting."""
        clean_title = validation.clean_text(
            title, field="title", label="The title", max_length=TITLE_MAX
        )
        clean_message = validation.clean_text(
            message, field="message", label="The message", max_length=SCRIPT_MAX, multiline=True
        )
        targeting = check_targeting(targeting or FollowupTargeting())
        with self._context.unit_of_work(actor, Change.CREATE_FOLLOWUPS) as uow:
            session = uow.session
            original = self.campaign_in_account(session, actor, campaign_id)
            _refuse(
                campaign_rules.followup_refusal(original.title, original.status, original.parent_id)
            )
            if not isinstance(expires_at, datetime) or expires_at.tzinfo is None:
                raise InvalidInput("Choose when the followup expires.", field="expires_at")
            expires_at = validation.moment_in_range(
                expires_at, field="expires_at", label="The expiry"
            )
            if expires_at <= uow.now:
                raise InvalidInput("The expiry must be in the future.", field="expires_at")
            followup = Campaign(
                account_id=actor.account_id,
                title=clean_title,
                status=CampaignStatus.ACTIVE,
                number_mode=original.number_mode,
                phone_number_id=original.phone_number_id,
                use_case_id=original.use_case_id,
                script=clean_message,
                start_at=uow.now,
                end_at=expires_at,
                sending_hours_start=original.sending_hours_start,
                sending_hours_end=original.sending_hours_end,
                timezone=original.timezone,
                parent_id=original.id,
                created_by_id=actor.user_id,
                created_at=uow.now,
                launched_at=uow.now,
                activated_at=uow.now,
                last_activity_at=uow.now,
            )
            session.add(followup)
            session.flush()
            audience = self._followup_audience(session, original.id, targeting).subquery()
            session.execute(
                insert(Conversation).from_select(
                    ["campaign_id", "contact_id", "fields"],
                    select(
                        literal(followup.id),
                        audience.c.contact_id,
                        audience.c.fields,
                    ),
                )
            )
            recount(session, followup)
            self._open_window(uow, followup)
            uow.record(
                "followup_created",
                "campaign",
                followup.id,
                account_id=actor.account_id,
                after={
                    "title": clean_title,
                    "parent_id": original.id,
                    "contacts": followup.contact_count,
                },
            )
            self._touch(uow, followup)
            self._touch(uow, original)
            return followup.id

    @staticmethod
    def _followup_audience(
        session: Session, original_id: int, targeting: FollowupTargeting
    ) -> Select[int, dict[str, Any]]:
        query = (
            select(Conversation.contact_id, Conversation.fields)
            .join(Contact, Conversation.contact_id == Contact.id)
            .where(Conversation.campaign_id == original_id, Contact.opted_out_at.is_(None))
        )
        if targeting.replied is True:
            query = query.where(Conversation.replied_at.is_not(None))
        elif targeting.replied is False:
            query = query.where(Conversation.replied_at.is_(None))
        # A field is named whatever its case: every spelling the campaign stores is read.
        fields = field_spellings(session, original_id) if targeting.field_equals else {}
        spellings = {field_key(name): stored for name, stored in fields.items()}
        for key, value in targeting.field_equals.items():
            stored = [_field_value(name) for name in spellings.get(field_key(key), (key,))]
            query = query.where(func.coalesce(*stored, "") != value)
        excluded = list(targeting.exclude_contact_ids)
        if excluded:
            query = query.where(Conversation.contact_id.not_in(excluded))
        return query

    def followup_audience_size(
        self, actor: Actor, campaign_id: int, targeting: FollowupTargeting
    ) -> int:
        """How many contacts a followup with ``targeting`` would reach (for the dialog)."""
        targeting = check_targeting(targeting)
        with self._context.read(actor) as session:
            self.campaign_in_account(session, actor, campaign_id)
            query = self._followup_audience(session, campaign_id, targeting)
            return session.scalar(select(func.count()).select_from(query.subquery())) or 0

    # ------------------------------------------------------------------ reads (C16)
    @staticmethod
    def _row(r: Row[Any], now: datetime) -> CampaignIndexRow:
        """An index row from the columns of ``_INDEX_COLUMNS``, in that order.

        Unpacked by position: reading eighteen columns by name cost more than the rest of the
        row together (QUALITY.md P3).
        """
        (
            campaign_id,
            title,
            status,
            provisioning_failed,
            number_mode,
            phone_number_id,
            start_at,
            contact_count,
            sender_count,
            unassigned_count,
            created_at,
            launched_at,
            last_activity_at,
            parent_id,
            phone_e164,
            number_name,
            number_kind,
            number_status,
            number_released_at,
        ) = r[:_INDEX_WIDTH]
        return CampaignIndexRow(
            id=campaign_id,
            title=title,
            status=status,
            flags=campaign_flags(
                status=status,
                provisioning_failed=provisioning_failed,
                number_kind=number_kind,
                number_status=number_status,
                launched_at=launched_at,
                last_activity_at=last_activity_at,
                parent_id=parent_id,
                now=now,
            ),
            number_mode=number_mode,
            phone_number_id=phone_number_id,
            phone_e164=phone_e164,
            number_name=number_name,
            number_kind=number_kind,
            provisioning_status=number_status,
            start_at=start_at,
            contact_count=contact_count,
            sender_count=sender_count,
            unassigned_count=unassigned_count,
            created_at=created_at,
            parent_id=parent_id,
            provisioning_failed=provisioning_failed,
            number_released=number_released_at is not None,
        )

    @staticmethod
    def _order(sort: CampaignSortKey, descending: bool) -> tuple[ColumnElement[Any], ...]:
        """The ORDER BY of a sort key, ties broken by id in the same direction."""
        return _ORDERS[sort, descending]

    @staticmethod
    def _numbers_matching(session: Session, actor: Actor, needle: str) -> list[int]:
        """The account's numbers whose name, or digits, the filter text names."""
        parts: list[ColumnElement[bool]] = [_NUMBER.name.ilike(f"%{needle}%")]
        digits = "".join(ch for ch in needle if ch.isascii() and ch.isdigit())
        if len(digits) >= 3:
            parts.append(_NUMBER.e164.like(f"%{digits}%"))
        return list(
            session.scalars(
                select(_NUMBER.id).where(_NUMBER.account_id == actor.account_id, or_(*parts))
            )
        )

    @staticmethod
    def _text_match(needle: str, number_ids: list[int]) -> ColumnElement[bool]:
        """Campaigns whose title holds the text, or whose number does (its name or digits).

        The numbers are looked up first (a few rows), so no campaign row needs the join.
        """
        title = _CAMPAIGN.title.ilike(f"%{needle}%")
        return or_(title, _CAMPAIGN.phone_number_id.in_(number_ids)) if number_ids else title

    def _count_in(
        self,
        session: Session,
        actor: Actor,
        status: CampaignStatusFilter,
        needle: str,
        number_ids: list[int] | None = None,
    ) -> int:
        """How many campaigns pass the filter; ``number_ids``: the numbers the text names, when
        the caller has looked them up already.
        """
        scope = _scope(actor.account_id, status)
        if not needle:
            # Counted on an index of ``campaign`` alone: no join, no table rows read.
            return session.scalar(select(func.count()).select_from(Campaign).where(*scope)) or 0
        # Titles are counted on the (account, title) index; campaigns that match only by their
        # number are counted on the (account, number) index and looked up for their title.
        titles = (
            session.scalar(
                select(func.count())
                .select_from(_CAMPAIGNS)
                .where(*scope, _CAMPAIGN.title.ilike(f"%{needle}%"))
            )
            or 0
        )
        if number_ids is None:
            number_ids = self._numbers_matching(session, actor, needle)
        if not number_ids:
            return titles
        by_number = (
            session.scalar(
                select(func.count())
                .select_from(_CAMPAIGNS)
                .where(
                    *scope,
                    _CAMPAIGN.phone_number_id.in_(number_ids),
                    _CAMPAIGN.title.not_ilike(f"%{needle}%"),
                )
            )
            or 0
        )
        return titles + by_number

    def count(
        self,
        actor: Actor,
        *,
        status: CampaignStatusFilter = CampaignStatusFilter.ALL,
        text: str = "",
    ) -> int:
        """How many campaigns the index holds with this filter."""
        with self._context.read(actor) as session:
            return self._count_in(session, actor, status, text.strip())

    def index(
        self,
        actor: Actor,
        *,
        status: CampaignStatusFilter = CampaignStatusFilter.ALL,
        text: str = "",
        sort: CampaignSortKey = CampaignSortKey.CREATED,
        descending: bool = True,
        offset: int = 0,
        limit: int = 200,
        with_total: bool = True,
    ) -> Page[CampaignIndexRow]:
        """The campaign index (C16): filtered, sorted and paged in SQL.

        A filtered page, or one near the top of an order an index holds, is read in one
        statement. Deeper pages read their ids first, on an index of ``campaign`` that holds the
        sort order, and only then the page's rows with their numbers; the status, number and
        badge orders are read bucket by bucket (QUALITY.md P3: every sort of 100,000 campaigns
        well under 100 ms).
        """
        now = self._context.clock.now()
        needle = text.strip()
        offset, limit = max(0, offset), max(0, limit)
        with self._context.read(actor) as session:
            number_ids = self._numbers_matching(session, actor, needle) if needle else []
            total = self._count_in(session, actor, status, needle, number_ids) if with_total else -1
            if needle or (sort not in _BUCKETED_SORTS and offset < ONE_STATEMENT_DEPTH):
                if needle:
                    query = (
                        _INDEX_QUERY.where(
                            *_scope(actor.account_id, status), self._text_match(needle, number_ids)
                        )
                        .order_by(*self._order(sort, descending))
                        .offset(offset)
                        .limit(limit)
                    )
                    found = session.execute(query)
                else:
                    found = session.execute(
                        _top_page_query(sort, descending, status),
                        {"account_id": actor.account_id, "offset": offset, "limit": limit},
                    )
                return Page(
                    rows=tuple(self._row(r, now) for r in found.all()),
                    total=total,
                    offset=offset,
                )
            if sort in _BUCKETED_SORTS:
                ids = self._bucketed_ids(session, actor, status, sort, descending, offset, limit)
            else:
                ids = list(
                    session.scalars(
                        select(_CAMPAIGN.id)
                        .where(*_scope(actor.account_id, status))
                        .order_by(*self._order(sort, descending))
                        .offset(offset)
                        .limit(limit)
                    )
                )
            rows = self._rows_in_order(session, actor, ids, now)
        return Page(rows=rows, total=total, offset=offset)

    def id_at(
        self,
        actor: Actor,
        position: int,
        *,
        status: CampaignStatusFilter = CampaignStatusFilter.ALL,
        text: str = "",
        sort: CampaignSortKey = CampaignSortKey.CREATED,
        descending: bool = True,
    ) -> tuple[int | None, int]:
        """The id of the campaign at ``position`` of the index (None past its end), and how
        many campaigns the index holds with this filter: what a live update reads to learn
        whether campaigns came into the part of the table already shown.
        """
        position = max(0, position)
        if text.strip() or sort in _BUCKETED_SORTS:
            # The filter text, or a key of the joined number: the index's own way, one row.
            page = self.index(
                actor,
                status=status,
                text=text,
                sort=sort,
                descending=descending,
                offset=position,
                limit=1,
            )
            return (page.rows[0].id if page.rows else None), page.total
        with self._context.read(actor) as session:
            campaign_id, total = session.execute(
                _position_query(sort, descending, status),
                {"account_id": actor.account_id, "position": position},
            ).one()
            return campaign_id, total or 0

    def _rows_in_order(
        self, session: Session, actor: Actor, ids: Collection[int], now: datetime
    ) -> tuple[CampaignIndexRow, ...]:
        """The index rows of ``ids`` in that order; other accounts' campaigns are left out (N12).

        Looked up by id alone: with the account in the WHERE clause as well, SQLite (which keeps
        no statistics here) walks the account's whole index instead of fetching the ids.
        """
        if not ids:
            return ()
        found = {
            r[0]: self._row(r, now)
            for r in session.execute(_ROWS_BY_ID, {"ids": list(ids)}).all()
            if r[_INDEX_WIDTH] == actor.account_id
        }
        return tuple(found[i] for i in ids if i in found)

    def _bucketed_ids(
        self,
        session: Session,
        actor: Actor,
        status: CampaignStatusFilter,
        sort: CampaignSortKey,
        descending: bool,
        offset: int,
        limit: int,
    ) -> list[int]:
        """A page of a sort whose key takes few values (status, the number, its badge).

        SQLite cannot read such an order from an index (it is a CASE, or a column of the joined
        number), so the campaigns are cut into buckets of one key value, counted on an index,
        and the page is read bucket by bucket, each in id order on the (account, status) or
        (account, number) index.
        """
        scope = _scope(actor.account_id, status)
        buckets: list[tuple[int, ColumnElement[bool]]] = []
        if sort is CampaignSortKey.STATUS:
            counts: dict[CampaignStatus, int] = dict(
                session.execute(
                    select(_CAMPAIGN.status, func.count()).where(*scope).group_by(_CAMPAIGN.status)
                ).all()
            )
            for value in sorted(counts, key=lambda s: _STATUS_RANK.get(s, 4)):
                buckets.append((counts[value], _CAMPAIGN.status == value))
        else:
            per_number: dict[int | None, int] = dict(
                session.execute(
                    select(_CAMPAIGN.phone_number_id, func.count())
                    .where(*scope)
                    .group_by(_CAMPAIGN.phone_number_id)
                ).all()
            )
            used = [number_id for number_id in per_number if number_id is not None]
            numbers = {
                number_id: (e164, number_status)
                for number_id, e164, number_status in session.execute(
                    select(_NUMBER.id, _NUMBER.e164, _NUMBER.provisioning_status).where(
                        _NUMBER.id.in_(used)
                    )
                ).all()
            }
            grouped: dict[tuple[int, str], list[int | None]] = {}
            for number_id in per_number:
                if number_id is None or number_id not in numbers:
                    # No number: before every number by phone (NULL first), last by badge.
                    bucket_key = (0, "") if sort is CampaignSortKey.PHONE else (_NO_BADGE_RANK, "")
                elif sort is CampaignSortKey.PHONE:
                    bucket_key = (1, numbers[number_id][0])
                else:
                    bucket_key = (_BADGE_RANK.get(numbers[number_id][1], _NO_BADGE_RANK), "")
                grouped.setdefault(bucket_key, []).append(number_id)
            for bucket_key in sorted(grouped):
                members = grouped[bucket_key]
                size = sum(per_number[m] for m in members)
                known = [m for m in members if m is not None]
                parts: list[ColumnElement[bool]] = []
                if known:
                    parts.append(_CAMPAIGN.phone_number_id.in_(known))
                if None in members:
                    parts.append(_CAMPAIGN.phone_number_id.is_(None))
                buckets.append((size, or_(*parts) if len(parts) > 1 else parts[0]))
        if descending:
            buckets.reverse()
        ids: list[int] = []
        skip = offset
        for size, bucket in buckets:
            if len(ids) >= limit:
                break
            if skip >= size:
                skip -= size
                continue
            ids.extend(
                session.scalars(
                    select(_CAMPAIGN.id)
                    .where(*scope, bucket)
                    .order_by(_CAMPAIGN.id.desc() if descending else _CAMPAIGN.id.asc())
                    .offset(skip)
                    .limit(limit - len(ids))
                )
            )
            skip = 0
        return ids

    def index_rows(self, actor: Actor, campaign_ids: Collection[int]) -> list[CampaignIndexRow]:
        """Fresh index rows for the given campaigns (live updates of visible rows)."""
        wanted = checked_ids(campaign_ids, "campaign", field="campaign")
        with self._context.read(actor) as session:
            if not wanted:
                return []
            return list(self._rows_in_order(session, actor, wanted, self._context.clock.now()))

    def index_row(self, actor: Actor, campaign_id: int) -> CampaignIndexRow:
        rows = self.index_rows(actor, [campaign_id])
        if not rows:
            raise NotFound("That campaign does not exist in this account.", field="campaign")
        return rows[0]

    def details(self, actor: Actor, campaign_id: int) -> CampaignDetails:
        """Everything Campaign Details shows (C16 header, C18 threads, audience, followups)."""
        row = self.index_row(actor, campaign_id)
        with self._context.read(actor) as session:
            campaign = self.campaign_in_account(session, actor, campaign_id)
            account = session.get_one(Account, actor.account_id)
            number = campaign.phone_number
            carriers = (
                tuple(self._numbers.carrier_states(session, [number.id]).get(number.id, ()))
                if number
                else ()
            )
            parent = session.get(Campaign, campaign.parent_id) if campaign.parent_id else None
            cloned = (
                session.get(Campaign, campaign.cloned_from_id) if campaign.cloned_from_id else None
            )
            followups = tuple(
                FollowupRow(
                    id=f.id,
                    title=f.title,
                    status=f.status,
                    contact_count=f.contact_count,
                    end_at=f.end_at,
                    created_at=f.created_at,
                )
                for f in session.scalars(
                    select(Campaign)
                    .where(Campaign.parent_id == campaign.id)
                    .order_by(Campaign.created_at, Campaign.id)
                )
            )
            senders = campaign_senders(session, campaign.id)
            invite = enabled_link(session, campaign.id) if campaign.self_assign else None
            stats = audience_stats(session, campaign.id)
            return CampaignDetails(
                row=row,
                script=campaign.script,
                use_case_id=campaign.use_case_id,
                use_case_name=campaign.use_case.name if campaign.use_case else None,
                area_codes=self._area_codes(campaign),
                end_at=campaign.end_at,
                sending_hours_start=campaign.sending_hours_start,
                sending_hours_end=campaign.sending_hours_end,
                timezone=campaign.timezone or account.timezone,
                self_assign=campaign.self_assign,
                batch_size=campaign.batch_size or account.default_batch_size,
                invite_token=invite.token if invite else None,
                carriers=carriers,
                failure_reason=number.failure_reason if number else None,
                parent_id=campaign.parent_id,
                parent_title=parent.title if parent else None,
                cloned_from_id=campaign.cloned_from_id,
                cloned_from_title=cloned.title if cloned else None,
                followups=followups,
                senders=senders,
                launched_at=campaign.launched_at,
                activated_at=campaign.activated_at,
                archived_at=campaign.archived_at,
                contacts=stats.contacts,
                unassigned=stats.unassigned,
                assigned=stats.assigned,
                sent=stats.sent,
                delivered=stats.delivered,
                at_risk=stats.at_risk,
                opted_out=stats.opted_out,
                continued_threads=stats.continued_threads,
            )
