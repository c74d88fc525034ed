"""What services answer: plain frozen rows, never live ORM objects (ARCHITECTURE.md).

The window imports its vocabulary (statuses, kinds, carriers) from here, so that ``views`` never
imports ``models``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from enum import StrEnum
from typing import Generic, TypeVar

from thrudesk.models.enums import (
    BrandStatus,
    CampaignStatus,
    Carrier,
    CarrierCheckStatus,
    ClockKind,
    HardToGetRequestStatus,
    MessageState,
    NumberKind,
    NumberMode,
    ProvisioningStatus,
    Role,
    Scenario,
    SenderSource,
    UseCaseStatus,
)
from thrudesk.services import campaign_rules
from thrudesk.services.wording import (
    brand_not_registered,
    dedicated_numbers_full,
    use_case_full,
    use_case_not_approved,
)

__all__ = [
    "AccountRow",
    "AreaCodeRow",
    "BrandStatus",
    "CampaignDetails",
    "CampaignFlag",
    "CampaignFlagKind",
    "CampaignIndexRow",
    "CampaignSortKey",
    "CampaignStatus",
    "CampaignStatusFilter",
    "Carrier",
    "CarrierCheckStatus",
    "CarrierState",
    "ClockKind",
    "DedicatedChoice",
    "DedicatedUsage",
    "EventRow",
    "FollowupRow",
    "HardToGetRequestRow",
    "HardToGetRequestStatus",
    "LaunchOptions",
    "MessageState",
    "NotificationRow",
    "NumberKind",
    "NumberMode",
    "NumberSortKey",
    "Page",
    "PhoneNumberRow",
    "ProvisioningStatus",
    "Role",
    "Scenario",
    "SenderRow",
    "SenderSource",
    "UseCaseRow",
    "UseCaseStatus",
    "UserRow",
    "format_phone",
    "number_label",
]

T = TypeVar("T")


def format_phone(e164: str) -> str:
    """A North American number as people write it: ``+12065550123`` → ``(206) 555-0123``."""
    if len(e164) == 12 and e164.startswith("+1") and e164[1:].isdigit():
        digits = e164[2:]
        return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    return e164


def number_label(e164: str, name: str | None) -> str:
    """A number as shown wherever it is, with its name when it has one (N6):
    ``(415) 859-7729 · Bay office``.
    """
    display = format_phone(e164)
    return f"{display} · {name}" if name else display


@dataclass(frozen=True)
class Page(Generic[T]):
    """One slice of a sorted, filtered query and the size of the whole."""

    rows: tuple[T, ...]
    total: int
    offset: int


@dataclass(frozen=True)
class AccountRow:
    id: int
    name: str
    timezone: str
    provisioning_based_launching: bool
    default_batch_size: int
    dedicated_number_limit: int


@dataclass(frozen=True)
class UserRow:
    id: int
    account_id: int
    name: str
    email: str
    role: Role


@dataclass(frozen=True)
class UseCaseRow:
    """A use case with its usage against the 49-number cap (U2)."""

    id: int
    name: str
    status: UseCaseStatus
    brand_name: str
    brand_status: BrandStatus
    used: int
    limit: int
    warning_from: int

    @property
    def usable(self) -> bool:
        """U1: numbers attach only to an Approved use case of a Registered brand."""
        return self.status is UseCaseStatus.APPROVED and self.brand_status is BrandStatus.REGISTERED

    @property
    def warning(self) -> bool:
        return self.used >= self.warning_from

    @property
    def usage_text(self) -> str:
        return f"{self.used} of {self.limit} numbers"

    @property
    def unusable_reason(self) -> str | None:
        """U1: why no number can be attached to it, as a change would be refused."""
        if self.brand_status is not BrandStatus.REGISTERED:
            return brand_not_registered(self.brand_name, self.brand_status.label)
        if self.status is not UseCaseStatus.APPROVED:
            return use_case_not_approved(self.name, self.status.label)
        return None

    @property
    def refusal(self) -> str | None:
        """Why no number can be attached to it now (U1, then N3), as a change would be refused."""
        if (reason := self.unusable_reason) is not None:
            return reason
        if self.used >= self.limit:
            return use_case_full(self.name, self.used, self.limit)
        return None


@dataclass(frozen=True)
class DedicatedUsage:
    """N2: how many of the account's dedicated slots are taken."""

    used: int
    limit: int

    @property
    def text(self) -> str:
        return f"{self.used} of {self.limit} dedicated numbers"

    @property
    def refusal(self) -> str | None:
        """N2: why no dedicated number can be added now, as the purchase would be refused."""
        return dedicated_numbers_full(self.used, self.limit) if self.used >= self.limit else None


@dataclass(frozen=True)
class CarrierState:
    carrier: Carrier
    status: CarrierCheckStatus
    answered_at: datetime | None
    reason: str | None


@dataclass(frozen=True)
class PhoneNumberRow:
    """One phone number as the Phone Numbers tab shows it."""

    id: int
    e164: str
    name: str | None
    kind: NumberKind
    area_code: str
    place: str
    use_case_id: int
    use_case_name: str
    provisioning_status: ProvisioningStatus
    failure_reason: str | None
    carriers: tuple[CarrierState, ...]
    campaigns_using: int
    campaign_titles: tuple[str, ...]
    initiator_name: str | None
    created_at: datetime
    completed_at: datetime | None
    failed_at: datetime | None
    released_at: datetime | None

    @property
    def display(self) -> str:
        return format_phone(self.e164)

    @property
    def label(self) -> str:
        """The number with its name when it has one, as shown wherever the number is (N6)."""
        return number_label(self.e164, self.name)

    @property
    def confirmed(self) -> int:
        return sum(1 for c in self.carriers if c.status is CarrierCheckStatus.CONFIRMED)

    @property
    def deletable(self) -> bool:
        return (
            self.kind is NumberKind.DEDICATED
            and self.released_at is None
            and not (self.campaigns_using)
        )

    @property
    def delete_blocked_reason(self) -> str | None:
        """Why Delete is disabled (N5), or None when it is allowed."""
        if self.kind is not NumberKind.DEDICATED:
            return "Single-use numbers are released by archiving their campaign."
        if self.released_at is not None:
            return "This number has already been deleted."
        if self.campaign_titles:
            return "In use by: " + ", ".join(self.campaign_titles) + ". Archive them first."
        return None


class NumberSortKey(StrEnum):
    NUMBER = "number"
    NAME = "name"
    KIND = "kind"
    AREA_CODE = "area_code"
    USE_CASE = "use_case"
    STATUS = "status"
    CARRIERS = "carriers"
    CAMPAIGNS = "campaigns"
    CREATED = "created"
    COMPLETED = "completed"


class CampaignFlagKind(StrEnum):
    PROVISIONING_FAILED = "provisioning_failed"
    STILL_PROVISIONING = "still_provisioning"
    STUCK = "stuck"
    AUTO_ARCHIVE_SOON = "auto_archive_soon"
    FOLLOWUP = "followup"


@dataclass(frozen=True)
class CampaignFlag:
    """A warning or mark shown beside a campaign's status (C1, C5, C6, C17)."""

    kind: CampaignFlagKind
    text: str
    detail: str = ""


class CampaignStatusFilter(StrEnum):
    ALL = "all"
    ACTIVE = "active"
    DRAFT = "draft"
    PAUSED = "paused"
    ARCHIVED = "archived"

    @property
    def label(self) -> str:
        return {
            CampaignStatusFilter.ALL: "All statuses",
            CampaignStatusFilter.ACTIVE: "Active",
            CampaignStatusFilter.DRAFT: "Draft (with Launching)",
            CampaignStatusFilter.PAUSED: "Paused",
            CampaignStatusFilter.ARCHIVED: "Archived",
        }[self]


class CampaignSortKey(StrEnum):
    TITLE = "title"
    STATUS = "status"
    PHONE = "phone"
    BADGE = "badge"
    KIND = "kind"
    START = "start"
    CONTACTS = "contacts"
    SENDERS = "senders"
    UNASSIGNED = "unassigned"
    CREATED = "created"


@dataclass(frozen=True)
class CampaignIndexRow:
    """One campaign as the campaign index shows it (C16)."""

    id: int
    title: str
    status: CampaignStatus
    flags: tuple[CampaignFlag, ...]
    number_mode: NumberMode | None
    phone_number_id: int | None
    phone_e164: str | None
    number_name: str | None
    number_kind: NumberKind | None
    provisioning_status: ProvisioningStatus | None
    start_at: datetime | None
    contact_count: int
    sender_count: int
    unassigned_count: int
    created_at: datetime
    parent_id: int | None
    # Its single-use number was rejected (C1): shown as a flag, until archived.
    provisioning_failed: bool
    # Its number was released (N5, N7, C10): it sends from it no more.
    number_released: bool = False

    @property
    def phone_label(self) -> str:
        """The number, with its name when dedicated (C16)."""
        if self.phone_e164 is None:
            return ""
        dedicated = self.number_kind is NumberKind.DEDICATED
        return number_label(self.phone_e164, self.number_name if dedicated else None)

    @property
    def status_text(self) -> str:
        words = [self.status.label]
        words += [flag.text for flag in self.flags if flag.kind is not CampaignFlagKind.FOLLOWUP]
        return " · ".join(words)

    # Why the campaign's status refuses an action, or None when it allows it (campaign_rules):
    # the window's buttons are enabled, or say why not, by these.
    @property
    def edit_refusal(self) -> str | None:
        return campaign_rules.edit_refusal(self.title, self.status)

    @property
    def launch_refusal(self) -> str | None:
        return campaign_rules.launch_refusal(
            self.title, self.status, self.parent_id, self.provisioning_failed
        )

    @property
    def pause_or_resume_refusal(self) -> str | None:
        return campaign_rules.pause_or_resume_refusal(self.title, self.status)

    @property
    def followup_refusal(self) -> str | None:
        return campaign_rules.followup_refusal(self.title, self.status, self.parent_id)

    @property
    def clone_refusal(self) -> str | None:
        return campaign_rules.clone_refusal(self.parent_id)

    @property
    def archive_refusal(self) -> str | None:
        return campaign_rules.archive_refusal(self.title, self.status)

    @property
    def clone_and_archive_refusal(self) -> str | None:
        return campaign_rules.clone_and_archive_refusal(
            self.title, self.status, self.parent_id, self.provisioning_failed
        )


@dataclass(frozen=True)
class SenderRow:
    user_id: int
    name: str
    source: SenderSource
    assigned: int
    added_at: datetime


@dataclass(frozen=True)
class FollowupRow:
    id: int
    title: str
    status: CampaignStatus
    contact_count: int
    end_at: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class CampaignDetails:
    """Everything the Campaign Details tab shows about one campaign."""

    row: CampaignIndexRow
    script: str
    use_case_id: int | None
    use_case_name: str | None
    area_codes: tuple[str, ...]
    end_at: datetime | None
    sending_hours_start: time
    sending_hours_end: time
    timezone: str
    self_assign: bool
    batch_size: int
    invite_token: str | None
    carriers: tuple[CarrierState, ...]
    failure_reason: str | None
    parent_id: int | None
    parent_title: str | None
    cloned_from_id: int | None
    cloned_from_title: str | None
    followups: tuple[FollowupRow, ...]
    senders: tuple[SenderRow, ...]
    launched_at: datetime | None
    activated_at: datetime | None
    archived_at: datetime | None
    contacts: int = 0
    unassigned: int = 0
    assigned: int = 0
    sent: int = 0
    delivered: int = 0
    at_risk: int = 0
    opted_out: int = 0
    continued_threads: int = 0
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> int:
        return self.row.id

    @property
    def title(self) -> str:
        return self.row.title

    @property
    def status(self) -> CampaignStatus:
        return self.row.status


@dataclass(frozen=True)
class DedicatedChoice:
    """A Provisioning Complete dedicated number offered at launch (C2)."""

    id: int
    e164: str
    name: str | None
    use_case_name: str

    @property
    def label(self) -> str:
        return f"{number_label(self.e164, self.name)} ({self.use_case_name})"


@dataclass(frozen=True)
class LaunchOptions:
    """What the launch dialog offers for one Draft campaign (C2, C7)."""

    campaign_id: int
    default_mode: NumberMode
    dedicated_numbers: tuple[DedicatedChoice, ...]
    area_codes: tuple[str, ...]
    use_case_name: str | None
    provisioning_based_launching: bool
    advisory: str | None
    # ``Voter Outreach · 37 of 49``: the campaign's use case and its numbers (U2, N3).
    use_case_usage: str | None = None
    # Why a single-use launch would be refused now (no area code, U1, N3), or None.
    single_use_refusal: str | None = None

    @property
    def manage_needed(self) -> bool:
        """True when no dedicated number is complete: the dialog shows the Manage button."""
        return not self.dedicated_numbers


@dataclass(frozen=True)
class AreaCodeRow:
    """A US area code with its main place and whether its inventory is scarce (N8)."""

    code: str
    city: str
    state: str
    state_name: str
    hard_to_get: bool

    @property
    def place(self) -> str:
        if self.city and self.state:
            return f"{self.city}, {self.state}"
        return self.city or self.state_name or self.state

    @property
    def label(self) -> str:
        return f"{self.code} · {self.place}" if self.place else self.code


@dataclass(frozen=True)
class HardToGetRequestRow:
    id: int
    area_code: str
    name: str | None
    use_case_name: str
    status: HardToGetRequestStatus
    outcome: str | None
    created_at: datetime
    resolved_at: datetime | None


@dataclass(frozen=True)
class NotificationRow:
    id: int
    subject_type: str
    subject_id: int
    title: str
    body: str
    created_at: datetime
    read: bool


@dataclass(frozen=True)
class EventRow:
    id: int
    at: datetime
    actor_label: str
    kind: str
    subject_type: str
    subject_id: int
    before: dict[str, object] | None
    after: dict[str, object] | None
