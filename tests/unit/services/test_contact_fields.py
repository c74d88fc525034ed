"""The fields of a campaign's contacts and their values, as followup targeting chooses them (C8)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.services.teamwork_helpers import CampaignWithContacts, phone, write_csv
from thrudesk.services.campaigns import FollowupTargeting
from thrudesk.services.container import Services
from thrudesk.services.errors import InvalidInput, NotFound
from thrudesk.services.starter import StarterAccount, create_starter_account


def test_c8_field_names_are_the_imported_extra_columns(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    tmp_path: Path,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    campaign = campaign_with_contacts(0)
    path = write_csv(
        tmp_path / "fields.csv",
        [
            ["phone", "first name", "Team", 'say "hi"'],
            [phone(1), "Ana", "Blue", "yes"],
            [phone(2), "Ben", "", ""],
        ],
    )
    thrudesk_services.contacts.import_csv(thrudesk_account.actor, campaign.campaign_id, path)
    names = thrudesk_services.contacts.field_names(thrudesk_account.actor, campaign.campaign_id)
    assert names == ["Team", 'say "hi"']


def test_c8_field_values_come_most_frequent_first_and_narrow_the_audience(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    actor = thrudesk_account.actor
    # contacts_csv writes ward W0, W1, W2 in turn: 7 contacts give W0 ×3, W1 ×2, W2 ×2.
    campaign = campaign_with_contacts(7)
    values = thrudesk_services.contacts.field_values(actor, campaign.campaign_id, "ward")
    assert values == ["W0", "W1", "W2"]
    assert thrudesk_services.contacts.field_values(actor, campaign.campaign_id, "none") == []
    assert thrudesk_services.contacts.field_values(
        actor, campaign.campaign_id, "ward", limit=1
    ) == ["W0"]
    left = thrudesk_services.campaigns.followup_audience_size(
        actor, campaign.campaign_id, FollowupTargeting(field_equals={"ward": values[0]})
    )
    assert left == 4


def test_c8_field_reads_refuse_a_blank_field_and_another_accounts_campaign(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    campaign = campaign_with_contacts(2)
    with pytest.raises(InvalidInput) as refused:
        thrudesk_services.contacts.field_values(thrudesk_account.actor, campaign.campaign_id, " ")
    assert refused.value.field == "targeting"
    other = create_starter_account(thrudesk_services, name="Elsewhere")
    with pytest.raises(NotFound):
        thrudesk_services.contacts.field_names(other.actor, campaign.campaign_id)
    with pytest.raises(NotFound):
        thrudesk_services.contacts.field_values(other.actor, campaign.campaign_id, "ward")


def test_c8_a_followup_targets_a_field_whose_column_name_has_quotes_or_a_backslash(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    tmp_path: Path,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    """Any column the import took is a field the followup dialog offers, and targets."""
    actor = thrudesk_account.actor
    campaign = campaign_with_contacts(0)
    path = write_csv(
        tmp_path / "fields.csv",
        [
            ["phone", "first name", 'say "hi"', "in\\out", "Team"],
            [phone(1), "Ana", "yes", "in", "Blue"],
            [phone(2), "Ben", "no", "out", "Blue"],
            [phone(3), "Cy", "yes", "", "Red"],
        ],
    )
    thrudesk_services.contacts.import_csv(actor, campaign.campaign_id, path)
    names = thrudesk_services.contacts.field_names(actor, campaign.campaign_id)
    assert names == ["Team", "in\\out", 'say "hi"']

    def reach(**field_equals: str) -> int:
        targeting = FollowupTargeting(field_equals=field_equals)
        return thrudesk_services.campaigns.followup_audience_size(
            actor, campaign.campaign_id, targeting
        )

    assert reach(**{'say "hi"': "yes"}) == 1
    assert reach(**{"in\\out": "out"}) == 2
    assert reach(**{"in\\out": ""}) == 2  # a contact without the value has it empty
    assert reach(**{'say "hi"': "yes", "Team": "Blue"}) == 0
