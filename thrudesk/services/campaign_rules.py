"""What a campaign's status allows an admin to do to it (C1, C8, C9, C10, M1), written once.

Each function answers why the action is refused, or None when it is allowed. The services
refuse with these sentences, and the campaign rows answer the same ones (``launch_refusal``
and the rest), so that the window enables a button exactly where the service does what it
says, and a disabled one says why in the service's words. What a clone is called (C9) is
here too, so that a confirmation can name the copy before it is made.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from thrudesk.models.enums import CampaignStatus

# The statuses a followup can be created from (C8), and that pause or resume (C1).
RUNNING = (CampaignStatus.ACTIVE, CampaignStatus.PAUSED)


def edit_refusal(title: str, status: CampaignStatus) -> str | None:
    """A Draft's title, message, area codes and use case can be edited."""
    if status is not CampaignStatus.DRAFT:
        return f"Only a Draft can be edited this way; “{title}” is {status.label}."
    return None


def launch_refusal(
    title: str, status: CampaignStatus, parent_id: int | None, provisioning_failed: bool
) -> str | None:
    """A Draft is launched (C2), once: after a failed provisioning it is cloned and archived
    instead (C1, C9); a followup sends on its campaign's number (C8).
    """
    if parent_id is not None:
        return "A followup sends on its campaign's number and needs no launch."
    if status is not CampaignStatus.DRAFT:
        return f"Only a Draft can be launched; “{title}” is {status.label}."
    if provisioning_failed:
        return (
            f"The provisioning of “{title}” failed. Use Clone and archive to launch a fresh copy."
        )
    return None


def _move_refusal(
    title: str, status: CampaignStatus, source: CampaignStatus, verb: str
) -> str | None:
    """Active ⇄ Paused (C1): only a campaign in ``source`` can be moved (``verb``: "paused")."""
    if status is not source:
        return f"Only an {source.label} campaign can be {verb}; “{title}” is {status.label}."
    return None


def pause_refusal(title: str, status: CampaignStatus) -> str | None:
    return _move_refusal(title, status, CampaignStatus.ACTIVE, "paused")


def resume_refusal(title: str, status: CampaignStatus) -> str | None:
    return _move_refusal(title, status, CampaignStatus.PAUSED, "resumed")


def change_refusal(title: str, status: CampaignStatus) -> str | None:
    """An archived campaign stays readable, exportable and clonable (C10), and nothing more: its
    sending window, team, contacts and settings no longer change (C1: archiving is final).
    """
    if status is CampaignStatus.ARCHIVED:
        return f"“{title}” is archived; it can be read, exported and cloned, not changed."
    return None


def pause_or_resume_refusal(title: str, status: CampaignStatus) -> str | None:
    """Paused, a campaign can be resumed; otherwise paused, if it is Active (C1)."""
    if status is CampaignStatus.PAUSED:
        return resume_refusal(title, status)
    return pause_refusal(title, status)


def archive_refusal(title: str, status: CampaignStatus) -> str | None:
    """Archiving is possible from any status and cannot be undone (C1)."""
    if status is CampaignStatus.ARCHIVED:
        return f"“{title}” is already archived; archiving cannot be undone."
    return None


def clone_refusal(parent_id: int | None) -> str | None:
    """Any campaign can be cloned but a followup (C9)."""
    if parent_id is not None:
        return "A followup cannot be cloned; create a new followup from its campaign."
    return None


COPY_PREFIX = "Copy of "
_COPY_NUMBER = re.compile(r" \((\d+)\)$")


def copy_title_stem(title: str, max_length: int) -> str:
    """C9: what a clone of ``title`` is called before it is numbered: "Copy of Turnout" for
    "Turnout", and for a copy ("Copy of Turnout", "Copy of Turnout (2)") the same again, so that
    copies of copies are numbered rather than called "Copy of Copy of …".
    """
    copied = title.startswith(COPY_PREFIX)
    return (_COPY_NUMBER.sub("", title) if copied else COPY_PREFIX + title)[:max_length]


def copy_title(title: str, taken: Collection[str], max_length: int) -> str:
    """C9: the title of a clone of ``title``: its stem, or the stem numbered from (2) on when
    a campaign of the account (``taken``) is already called that.
    """
    stem = copy_title_stem(title, max_length)
    if stem not in taken:
        return stem
    number = 2
    while True:
        suffix = f" ({number})"
        numbered = stem[: max_length - len(suffix)].rstrip() + suffix
        if numbered not in taken:
            return numbered
        number += 1


def clone_and_archive_refusal(
    title: str, status: CampaignStatus, parent_id: int | None, provisioning_failed: bool
) -> str | None:
    """The remedy for a failed provisioning, as one action (C9)."""
    if not provisioning_failed:
        return "Clone and archive is for a campaign whose provisioning failed."
    return clone_refusal(parent_id) or archive_refusal(title, status)


def followup_refusal(title: str, status: CampaignStatus, parent_id: int | None) -> str | None:
    """A followup is created from an original campaign that is Active or Paused (C8)."""
    if parent_id is not None:
        return "Create followups from the original campaign, not from a followup."
    if status not in RUNNING:
        return (
            f"A followup is created from an Active or Paused campaign; “{title}” is {status.label}."
        )
    return None


def not_sending_reason(status: CampaignStatus) -> str | None:
    """Why a campaign sends no initial messages, whatever its sending window says: they go out
    only while it is Active (M1). None when it is Active.
    """
    if status is CampaignStatus.ACTIVE:
        return None
    return _NOT_SENDING[status]


_NOT_SENDING = {
    CampaignStatus.DRAFT: "The window opens at the start date once launched.",
    CampaignStatus.LAUNCHING: (
        "Launching: initial messages go out once its number is Provisioning Complete and the "
        "campaign is Active."
    ),
    CampaignStatus.PAUSED: "Paused: initial messages go out again once it is resumed.",
    CampaignStatus.ARCHIVED: "Archived: it sends nothing more.",
}
