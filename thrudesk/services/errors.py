"""Typed refusals of the service layer.

Every refusal carries a message an admin understands and, where one control caused it, the name of
that input (``field``) so the window can show the message beside it. A refused operation writes
nothing: services raise before their unit of work commits.
"""

from __future__ import annotations

from pathlib import Path


class ThrudeskError(Exception):
    """Base of every refusal; ``str(error)`` is the admin-facing message."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __reduce__(self) -> tuple[object, ...]:
        # Rebuilt from its attributes, not by calling the class again: a refusal crosses from
        # a contacts import's own process to the window's whatever its constructor asks for.
        return (_rebuild, (type(self), self.args, self.__dict__))


def _rebuild(
    kind: type[ThrudeskError], args: tuple[object, ...], state: dict[str, object]
) -> ThrudeskError:
    error = kind.__new__(kind)
    error.args = args
    error.__dict__.update(state)
    return error


class NotFound(ThrudeskError):
    """The thing does not exist in this account (N12: another account's things are not found)."""


class InvalidInput(ThrudeskError):
    """A value an admin typed or chose is not acceptable."""


class LimitReached(ThrudeskError):
    """A count limit of the platform would be exceeded."""


class DedicatedNumberLimitReached(LimitReached):
    """N2: the account already holds its maximum of dedicated numbers."""


class UseCaseLimitReached(LimitReached):
    """N3: the use case already has 49 unreleased numbers."""


class UseCaseNotApproved(ThrudeskError):
    """U1: numbers attach only to an Approved use case of a Registered brand."""


class NumberNotReady(ThrudeskError):
    """N4: the dedicated number has not completed provisioning."""


class NumberInUse(ThrudeskError):
    """N5: campaigns that are not archived still use the number."""

    def __init__(self, message: str, campaign_titles: list[str], *, field: str | None = None):
        super().__init__(message, field=field)
        self.campaign_titles = campaign_titles


class NoNumbersAvailable(ThrudeskError):
    """N8: no inventory in any of the preferred area codes."""


class InvalidTransition(ThrudeskError):
    """C1: the campaign's status does not allow this action."""


class PermissionDenied(ThrudeskError):
    """The acting user's role or membership does not allow this action."""


class WorkInterrupted(ThrudeskError):
    """Long work (an import in its own process) ended before it could answer."""


class StoreError(ThrudeskError):
    """The store cannot be opened: locked, newer, corrupt or unreachable.

    ``backup`` is the newest backup beside a store file that could be put back in its place.
    """

    def __init__(
        self, message: str, *, field: str | None = None, backup: Path | None = None
    ) -> None:
        super().__init__(message, field=field)
        self.backup = backup


class DiskFull(ThrudeskError):
    """The disk under the store is full: what was asked was not saved, and nothing saved before
    is lost. Writing goes on by itself once there is room.
    """

    MESSAGE = "The disk is full: thrudesk cannot save; nothing is lost."

    def __init__(self, message: str = MESSAGE, *, field: str | None = None) -> None:
        super().__init__(message, field=field)


class NewerStore(StoreError):
    """The store was written by a newer thrudesk: an older backup is no remedy."""


class SendingRefused(ThrudeskError):
    """M1: an initial message cannot go out now; each condition has its own subclass."""


class CampaignNotActive(SendingRefused):
    """M1: only an Active campaign sends."""


class NotAssignedToSender(SendingRefused):
    """M1: a sender sends only to the conversations assigned to them."""


class AlreadySent(SendingRefused):
    """M1: a conversation's initial message goes out once."""


class ContactOptedOut(SendingRefused):
    """M1, M3: an opted-out contact is never messaged again."""


class NumberStillProvisioning(SendingRefused):
    """M1: the number is not Provisioning Complete and provisioning-based launching is on."""


class OutsideSendingHours(SendingRefused):
    """M1, C11: initial messages go out within the campaign's sending hours only."""


class SendingWindowEnded(SendingRefused):
    """C11: the campaign's end date has passed."""


class NoConversationsAvailable(ThrudeskError):
    """C14: the campaign has no Unassigned conversations left to hand out."""


class InviteLinkRefused(ThrudeskError):
    """C15: the invite link is disabled or unknown."""
