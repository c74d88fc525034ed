"""What the Campaigns tab and Campaign Details do alike to one campaign: pause or resume it (C1),
what they say of a launch (C2–C5) and of a followup (C8).
"""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton

from thrudesk.services.container import Services
from thrudesk.services.rows import CampaignIndexRow, CampaignStatus, NumberKind
from thrudesk.services.unit_of_work import Actor
from thrudesk.views import theme

# Create followup, on the Campaigns tab and in Campaign Details (C8).
FOLLOWUP_TIP = "A followup to this campaign's contacts, on its number: no provisioning wait"


def show_pause_or_resume(
    button: QPushButton, status: CampaignStatus | None, *, pause_tip: str, resume_tip: str
) -> None:
    """The button says Resume, with a play icon, on a Paused campaign, and Pause otherwise."""
    paused = status is CampaignStatus.PAUSED
    button.setText("Resume" if paused else "Pause")
    icon_name = "play" if paused else "pause"
    if button.property("icon_name") != icon_name:  # drawn again only when it changes
        button.setProperty("icon_name", icon_name)
        button.setIcon(theme.icon(icon_name))
    button.setToolTip(resume_tip if paused else pause_tip)


def pause_or_resume(
    services: Services, actor: Actor, campaign_id: int, title: str, status: CampaignStatus
) -> str:
    """Resume a Paused campaign, pause any other, and answer the sentence that says so (a
    refusal raises the service's error).
    """
    if status is CampaignStatus.PAUSED:
        services.campaigns.resume(actor, campaign_id)
        return f"“{title}” is Active again."
    services.campaigns.pause(actor, campaign_id)
    return f"“{title}” is Paused."


def launched_notice(row: CampaignIndexRow) -> str:
    """What is said once a launch went through: Launching until the number is complete (C4), or
    Active, with C5's wait on a single-use number still provisioning.
    """
    if row.status is CampaignStatus.LAUNCHING:
        return (
            f"“{row.title}” is Launching on {row.phone_label}: it becomes Active when the number "
            "is Provisioning Complete."
        )
    text = f"“{row.title}” is Active on {row.phone_label}."
    if row.number_kind is NumberKind.SINGLE_USE:
        text += " Wait 10 minutes after launching before sending."
    return text
