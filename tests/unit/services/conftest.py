"""Fixtures of the service tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.services.teamwork_helpers import (
    CampaignWithContacts,
    ReadyCampaign,
    active_campaign_with_contacts,
)
from thrudesk.services.container import Services
from thrudesk.services.starter import StarterAccount


@pytest.fixture
def campaign_with_contacts(
    thrudesk_services: Services, thrudesk_account: StarterAccount, tmp_path: Path
) -> CampaignWithContacts:
    """``campaign_with_contacts(count)``: an Active campaign of the test's account on a complete
    dedicated number, with ``count`` contacts imported from a CSV file.
    """

    def launch(
        count: int, *, title: str = "Turnout", number_id: int | None = None, start: int = 0
    ) -> ReadyCampaign:
        return active_campaign_with_contacts(
            thrudesk_services,
            thrudesk_account,
            tmp_path,
            count,
            title=title,
            number_id=number_id,
            start=start,
        )

    return launch
