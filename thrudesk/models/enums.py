"""The domain's closed vocabularies (DOMAIN.md, Entities). Stored as their string values."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    SENDER = "sender"


class BrandStatus(StrEnum):
    PENDING = "pending"
    REGISTERED = "registered"
    UNVERIFIED = "unverified"

    @property
    def label(self) -> str:
        return {
            BrandStatus.PENDING: "Pending",
            BrandStatus.REGISTERED: "Registered",
            BrandStatus.UNVERIFIED: "Registration Unverified",
        }[self]


class UseCaseStatus(StrEnum):
    PRE_SUBMISSION = "pre_submission"
    PENDING = "pending"
    FAILED = "failed"
    REGISTERED = "registered"
    APPROVED = "approved"

    @property
    def label(self) -> str:
        return self.value.replace("_", "-").title()


class NumberKind(StrEnum):
    DEDICATED = "dedicated"
    SINGLE_USE = "single_use"

    @property
    def label(self) -> str:
        return "Dedicated" if self is NumberKind.DEDICATED else "Single-use"


class ProvisioningStatus(StrEnum):
    INITIATED = "initiated"
    COMPLETE = "complete"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return {
            ProvisioningStatus.INITIATED: "Provisioning Initiated",
            ProvisioningStatus.COMPLETE: "Provisioning Complete",
            ProvisioningStatus.FAILED: "Provisioning Failed",
        }[self]


class Carrier(StrEnum):
    ATT = "att"
    VERIZON = "verizon"
    TMOBILE = "tmobile"

    @property
    def label(self) -> str:
        return {Carrier.ATT: "AT&T", Carrier.VERIZON: "Verizon", Carrier.TMOBILE: "T-Mobile"}[self]


class CarrierCheckStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return self.value.title()


class CampaignStatus(StrEnum):
    DRAFT = "draft"
    LAUNCHING = "launching"
    ACTIVE = "active"
    PAUSED = "paused"
    ARCHIVED = "archived"

    @property
    def label(self) -> str:
        return self.value.title()


class NumberMode(StrEnum):
    DEDICATED = "dedicated"
    SINGLE_USE = "single_use"

    @property
    def label(self) -> str:
        return (
            "Dedicated phone number" if self is NumberMode.DEDICATED else "Single-use phone number"
        )


class SenderSource(StrEnum):
    DIRECT = "direct"
    INVITE_LINK = "invite_link"


class MessageState(StrEnum):
    """Where a conversation's initial message stands."""

    NOT_SENT = "not_sent"
    # Sent by its sender before the campaign's start date; goes out when the window opens (C11).
    HELD = "held"
    SENT = "sent"
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class HardToGetRequestStatus(StrEnum):
    PENDING = "pending"
    FULFILLED = "fulfilled"
    REFUSED = "refused"


class ClockKind(StrEnum):
    REAL = "real"
    SCALED = "scaled"
    MANUAL = "manual"


class Scenario(StrEnum):
    NORMAL = "normal"
    BUSY_AFTERNOON = "busy_afternoon"
    PROVIDER_INCIDENT = "provider_incident"
    CARRIER_OUTAGE = "carrier_outage"
    USE_CASE_NEAR_LIMIT = "use_case_near_limit"

    @property
    def label(self) -> str:
        return {
            Scenario.NORMAL: "Normal",
            Scenario.BUSY_AFTERNOON: "Busy weekday afternoon",
            Scenario.PROVIDER_INCIDENT: "Provider incident",
            Scenario.CARRIER_OUTAGE: "Carrier outage",
            Scenario.USE_CASE_NEAR_LIMIT: "Use case near its limit",
        }[self]


class JobKind(StrEnum):
    """What a scheduled simulation job does when it falls due."""

    CARRIER_ANSWER = "carrier_answer"
    HARD_TO_GET_FULFILMENT = "hard_to_get_fulfilment"
    AUTO_ARCHIVE = "auto_archive"
    STUCK_CHECK = "stuck_check"
    SCHEDULED_START = "scheduled_start"
    SIMULATED_ACTIVITY = "simulated_activity"
