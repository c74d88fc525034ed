"""The fields of a campaign's contacts and their values, as followup targeting chooses them (C8)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.snapshots import Unchanged
from tests.unit.services.teamwork_helpers import CampaignWithContacts, e164, phone, write_csv
from thrudesk.models import Contact, Conversation
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


def _export_header(
    services: Services, account: StarterAccount, campaign_id: int, path: Path
) -> list[list[str]]:
    """The campaign's contacts, exported to ``path``, as rows of cells (the header first)."""
    services.contacts.export_csv(account.actor, campaign_id, path, results=False)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_c8_a_later_files_field_in_another_case_lands_in_the_field_first_imported(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    tmp_path: Path,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    """ "Neighborhood" then "neighborhood": one field, shown as first imported, and targeting by
    either name reaches the contacts of both files.
    """
    actor = thrudesk_account.actor
    campaign = campaign_with_contacts(0)
    first = write_csv(
        tmp_path / "first.csv",
        [["phone", "Neighborhood"], [phone(1), "Ballard"], [phone(2), "Fremont"]],
    )
    later = write_csv(
        tmp_path / "later.csv",
        [["phone", "neighborhood"], [phone(3), "Ballard"], [phone(4), "Ballard"]],
    )
    thrudesk_services.contacts.import_csv(actor, campaign.campaign_id, first)
    report = thrudesk_services.contacts.import_csv(actor, campaign.campaign_id, later)
    assert report.fields == ("Neighborhood",)
    contacts = thrudesk_services.contacts
    assert contacts.field_names(actor, campaign.campaign_id) == ["Neighborhood"]
    for name in ("Neighborhood", "neighborhood", "NEIGHBORHOOD"):
        assert contacts.field_values(actor, campaign.campaign_id, name) == ["Ballard", "Fremont"]
        left = thrudesk_services.campaigns.followup_audience_size(
            actor, campaign.campaign_id, FollowupTargeting(field_equals={name: "Ballard"})
        )
        assert left == 1, name
    rows = [r.fields for r in contacts.conversations(actor, campaign.campaign_id).rows]
    assert rows == [{"Neighborhood": v} for v in ("Ballard", "Fremont", "Ballard", "Ballard")]
    header, *cells = _export_header(
        thrudesk_services, thrudesk_account, campaign.campaign_id, tmp_path / "out.csv"
    )
    assert header == ["phone", "first_name", "last_name", "Neighborhood"]
    assert [row[3] for row in cells] == ["Ballard", "Fremont", "Ballard", "Ballard"]


def test_c8_a_store_holding_a_field_in_two_cases_reads_them_as_one(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    tmp_path: Path,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    """Conversations imported before names were matched whatever their case."""
    actor = thrudesk_account.actor
    campaign = campaign_with_contacts(0)
    spelled = [("Neighborhood", "Ballard"), ("neighborhood", "Ballard"), ("NEIGHBORHOOD", "Queen")]
    with thrudesk_services.store.begin() as session:
        for index, (name, value) in enumerate(spelled):
            contact = Contact(account_id=thrudesk_account.account_id, phone=e164(index))
            session.add(contact)
            session.flush()
            session.add(
                Conversation(
                    campaign_id=campaign.campaign_id, contact_id=contact.id, fields={name: value}
                )
            )
    contacts = thrudesk_services.contacts
    assert contacts.field_names(actor, campaign.campaign_id) == ["Neighborhood"]
    assert contacts.field_values(actor, campaign.campaign_id, "neighborhood") == [
        "Ballard",
        "Queen",
    ]
    left = thrudesk_services.campaigns.followup_audience_size(
        actor, campaign.campaign_id, FollowupTargeting(field_equals={"Neighborhood": "Ballard"})
    )
    assert left == 1
    later = write_csv(tmp_path / "later.csv", [["phone", "NeighborHood"], [phone(9), "Fremont"]])
    report = contacts.import_csv(actor, campaign.campaign_id, later)
    assert report.fields == ("Neighborhood",)
    header, *cells = _export_header(
        thrudesk_services, thrudesk_account, campaign.campaign_id, tmp_path / "out.csv"
    )
    assert header[3:] == ["Neighborhood"]
    assert [row[3] for row in cells] == ["Ballard", "Ballard", "Queen", "Fremont"]


def test_r3_a_file_naming_one_field_in_two_cases_is_refused_with_both_names(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    tmp_path: Path,
    unchanged: Unchanged,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    campaign = campaign_with_contacts(0)
    path = write_csv(
        tmp_path / "both.csv",
        [["phone", "Neighborhood", "neighborhood"], [phone(1), "Ballard", "Fremont"]],
    )
    with unchanged(), pytest.raises(InvalidInput) as refusal:
        thrudesk_services.contacts.import_csv(thrudesk_account.actor, campaign.campaign_id, path)
    assert refusal.value.message == (
        "The header names one column twice: “Neighborhood” and “neighborhood” (names are the "
        "same whatever their case, with spaces, _ or - alike). Keep one, or merge them, and "
        "import again."
    )
