"""Importing a campaign's contacts from CSV and exporting contacts and results (issue 5, R3, R5).

The import checks each row and reports the bad ones by line while importing the rest; a file it
cannot read as a whole is refused before anything is written.
"""

from __future__ import annotations

import csv
import itertools
import logging
import os
import random
import re
import threading
from datetime import timedelta
from pathlib import Path

import phonenumbers
import pytest
from sqlalchemy import func, select

from tests.snapshots import Unchanged
from tests.unit.services.teamwork_helpers import (
    DATA,
    CampaignWithContacts,
    contact_rows,
    contacts_csv,
    draft_campaign,
    e164,
    manual_sending,
    phone,
    write_csv,
)
from thrudesk.models import Contact, Conversation
from thrudesk.models.enums import Role
from thrudesk.services.changes import AUDIENCE, CONVERSATIONS, Change
from thrudesk.services.clock import ManualClock
from thrudesk.services.contact_phones import (
    PhoneRefused,
    is_valid_nanp,
    nanp_region,
    normalise_phone,
)
from thrudesk.services.contacts import VALUE_SHOWN_MAX, ImportProgress, ImportReport
from thrudesk.services.container import Services
from thrudesk.services.errors import InvalidInput, InvalidTransition, NotFound, PermissionDenied
from thrudesk.services.starter import StarterAccount, create_starter_account
from thrudesk.services.unit_of_work import Actor


# ---------------------------------------------------------------------- phone numbers
@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("(206) 555-0123", "+12065550123"),
        ("206.555.0123", "+12065550123"),
        ("1-206-555-0123", "+12065550123"),
        ("+1 206 555 0123", "+12065550123"),
        (" 2065550123 ", "+12065550123"),
        ("(416) 555-0199", "+14165550199"),  # Toronto: Canadian numbers are NANP numbers too
    ],
)
def test_phone_numbers_are_normalised_to_e164(written: str, expected: str) -> None:
    assert normalise_phone(written) == expected


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("", "has no phone number"),
        ("555-0123", "has 7 digits"),
        ("+44 20 7946 0958", "not a North American number"),
        ("(206) 555-0123 x12", "extension"),
        ("(206) 155-0123", "not a valid US or Canadian phone number"),
        ("٢٠٦٥٥٥٠١٢٣", "digits other than 0–9"),
        ("１２０６５５５０１２３", "digits other than 0–9"),
        ("1-800-FLOWERS", "not part of a phone number"),
        ("2" * 41, "at most 15"),
        ("+1 876 210 1234", "876 210 1234 is a number in Jamaica; 10DLC numbers text US and"),
        ("(242) 359-1234", "is a number in Bahamas; 10DLC numbers text US and Canadian numbers"),
        ("1-787-234-5678", "is a number in Puerto Rico; 10DLC numbers text US and Canadian"),
    ],
)
def test_r3_phone_numbers_that_cannot_be_texted_are_refused_with_a_reason(
    written: str, reason: str
) -> None:
    with pytest.raises(PhoneRefused, match=reason):
        normalise_phone(written)


def test_the_fast_phone_check_agrees_with_phonenumbers_on_every_area_code() -> None:
    rng = random.Random(20260302)
    samples = [
        f"{npa}{rng.randint(0, 9_999_999):07d}" for npa in range(200, 1000) for _ in range(12)
    ]
    disagreements = [
        national
        for national in samples
        if is_valid_nanp(national)
        != phonenumbers.is_valid_number(
            phonenumbers.PhoneNumber(country_code=1, national_number=int(national))
        )
    ]
    assert disagreements == []
    assert sum(is_valid_nanp(n) for n in samples) > len(samples) // 4  # not all refused


@pytest.mark.parametrize("region", phonenumbers.COUNTRY_CODE_TO_REGION_CODE[1])
def test_r3_only_us_and_canadian_numbers_of_the_nanp_are_taken(region: str) -> None:
    example = phonenumbers.example_number(region)
    assert example is not None
    written = f"+1{example.national_number}"
    if region in ("US", "CA"):
        assert normalise_phone(written) == written
    else:
        with pytest.raises(PhoneRefused, match="10DLC numbers text US and Canadian numbers only"):
            normalise_phone(written)


def test_the_fast_phone_check_names_the_region_phonenumbers_names() -> None:
    rng = random.Random(20260302)
    samples = [
        f"{npa}{rng.randint(0, 9_999_999):07d}" for npa in range(200, 1000) for _ in range(12)
    ]
    disagreements = []
    for national in samples:
        number = phonenumbers.PhoneNumber(country_code=1, national_number=int(national))
        expected = (
            phonenumbers.region_code_for_number(number)
            if phonenumbers.is_valid_number(number)
            else None
        )
        if nanp_region(national) != expected:
            disagreements.append(national)
    assert disagreements == []


# ---------------------------------------------------------------------- importing
def test_a_csv_with_bad_rows_reports_each_by_line_and_imports_the_rest(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    campaign_id = draft_campaign(thrudesk_services, thrudesk_account)
    report = thrudesk_services.contacts.import_csv(
        thrudesk_account.actor, campaign_id, DATA / "contacts_with_bad_rows.csv"
    )
    assert report.imported == 5
    reasons = {problem.line: problem.reason for problem in report.problems}
    assert sorted(reasons) == [5, 6, 7, 8, 9, 10, 12, 14, 15, 16, 17]
    assert "has 7 digits" in reasons[5]
    assert "repeats the phone number of line 2" in reasons[6]
    assert "North American" in reasons[7]
    assert "formula" in reasons[8]
    assert "control character" in reasons[9]
    assert "control character" in reasons[10]  # the quoted cell with a line break starts here
    assert "has 6 cells; the header has 5" in reasons[12]
    assert "no phone number" in reasons[14]
    assert "extension" in reasons[15]
    assert "0–9" in reasons[16]
    assert "not a valid US or Canadian" in reasons[17]
    assert report.refused == 11
    assert not report.cancelled
    assert report.fields == ("Ward", "Email")
    rows = contact_rows(thrudesk_services, campaign_id)
    assert [r[0] for r in rows] == [
        "+12065550123",
        "+12065550124",
        "+12065550125",
        "+12065550131",
        "+12065550135",
    ]
    assert rows[2][1] == "Chloé"
    assert rows[0][3] == {"Ward": "W1", "Email": "ana@example.org"}
    assert rows[1][3] == {"Ward": "W2"}  # blank cells are not stored as fields
    details = thrudesk_services.campaigns.details(thrudesk_account.actor, campaign_id)
    assert (details.contacts, details.unassigned) == (5, 5)
    assert (
        thrudesk_services.campaigns.index_row(thrudesk_account.actor, campaign_id).contact_count
        == 5
    )


def test_columns_are_recognised_in_any_case_and_spelling(
    thrudesk_services: Services, thrudesk_account: StarterAccount, tmp_path: Path
) -> None:
    campaign_id = draft_campaign(thrudesk_services, thrudesk_account)
    path = write_csv(
        tmp_path / "c.csv",
        [["first_name", "CELL", "Last_Name", "Precinct", ""], ["Ana", phone(1), "Lopez", "12", ""]],
    )
    report = thrudesk_services.contacts.import_csv(thrudesk_account.actor, campaign_id, path)
    assert report.imported == 1
    assert report.fields == ("Precinct",)
    assert contact_rows(thrudesk_services, campaign_id)[0][1:] == (
        "Ana",
        "Lopez",
        {"Precinct": "12"},
    )


def test_a_utf8_file_with_a_byte_order_mark_is_read(
    thrudesk_services: Services, thrudesk_account: StarterAccount, tmp_path: Path
) -> None:
    campaign_id = draft_campaign(thrudesk_services, thrudesk_account)
    path = write_csv(
        tmp_path / "bom.csv", [["phone", "first name"], [phone(2), "Zoë"]], encoding="utf-8-sig"
    )
    report = thrudesk_services.contacts.import_csv(thrudesk_account.actor, campaign_id, path)
    assert report.imported == 1
    assert report.problems == ()
    assert contact_rows(thrudesk_services, campaign_id)[0][1] == "Zoë"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("phone,first name\n(206) 555-0123,Ren\u00e9e\n".encode("latin-1"), r"not UTF-8 \(line 2"),
        ("phone,first name\n(206) 555-0123,Ana\n".encode("utf-16"), "UTF-16"),
        (b"phone,first name\n(206) 555-0123,Ana\xc3", "middle of a character"),
        (b"", "empty"),
        (b"\n\n", "empty"),
        (
            "phone,first name\n(206) 555-0123,Ana\n".encode("utf-16-le"),
            "The file is not UTF-8 text: it looks like UTF-16 without a byte-order mark. Save it "
            "as “CSV UTF-8” and import it again.",
        ),
        (
            "phone,first name\n(206) 555-0123,Ana\n".encode("utf-16-be"),
            "it looks like UTF-16 without a byte-order mark",
        ),
        (
            b"(206) 555-0123,Ana,Lopez\n(206) 555-0124,Ben,Okafor\n",
            "The first row holds no column names: “(206) 555-0123” in column 1 looks like a phone "
            "number. Add a header row such as phone,first_name,last_name.",
        ),
        (
            b"+1 206 555 0123,Ana,Lopez\n+1 206 555 0124,Ben,Okafor\n",
            "The first row holds no column names: “+1 206 555 0123” in column 1 looks like a phone "
            "number. Add a header row such as phone,first_name,last_name.",
        ),
        (b"Ana,+12065550123\n", "“+12065550123” in column 2 looks like a phone number"),
        (b"name,email\nAna,ana@example.org\n", "no phone column"),
        (b"phone,cell\n(206) 555-0123,(206) 555-0124\n", "both look like the phone column"),
        (b"phone,Ward,ward\n(206) 555-0123,1,2\n", "twice"),
        (b"phone,=cmd()\n(206) 555-0123,1\n", "formula"),
        (("phone," + ",".join(f"f{i}" for i in range(51)) + "\n").encode(), "the most is 50"),
        (("phone," + "x" * 65 + "\n").encode(), "the most is 64"),
    ],
)
def test_r3_a_file_that_cannot_be_imported_is_refused_and_writes_nothing(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    tmp_path: Path,
    unchanged: Unchanged,
    content: bytes,
    message: str,
) -> None:
    campaign_id = draft_campaign(thrudesk_services, thrudesk_account)
    path = tmp_path / "contacts.csv"
    path.write_bytes(content)
    with unchanged(), pytest.raises(InvalidInput) as refusal:
        thrudesk_services.contacts.import_csv(thrudesk_account.actor, campaign_id, path)
    assert refusal.value.field == "csv_file"
    assert message in refusal.value.message or re.search(message, refusal.value.message)
    assert "formula" not in refusal.value.message or "formula" in message


def test_r3_a_missing_file_is_refused_with_its_name(
    thrudesk_services: Services, thrudesk_account: StarterAccount, tmp_path: Path
) -> None:
    campaign_id = draft_campaign(thrudesk_services, thrudesk_account)
    with pytest.raises(InvalidInput, match=r"gone\.csv cannot be read"):
        thrudesk_services.contacts.import_csv(
            thrudesk_account.actor, campaign_id, tmp_path / "gone.csv"
        )


def test_r3_a_number_outside_the_us_and_canada_refuses_its_row_and_is_not_written(
    thrudesk_services: Services, thrudesk_account: StarterAccount, tmp_path: Path
) -> None:
    campaign_id = draft_campaign(thrudesk_services, thrudesk_account)
    path = write_csv(
        tmp_path / "caribbean.csv",
        [
            ["phone", "first name"],
            ["+1 876 210 1234", "Kemar"],
            [phone(1), "Ana"],
            ["(242) 359-1234", "Dee"],
        ],
    )
    report = thrudesk_services.contacts.import_csv(thrudesk_account.actor, campaign_id, path)
    assert (report.imported, report.refused) == (1, 2)
    assert [(problem.line, problem.reason) for problem in report.problems] == [
        (
            2,
            "the phone number +1 876 210 1234 is a number in Jamaica; 10DLC numbers text US "
            "and Canadian numbers only",
        ),
        (
            4,
            "the phone number (242) 359-1234 is a number in Bahamas; 10DLC numbers text US "
            "and Canadian numbers only",
        ),
    ]
    assert [row[0] for row in contact_rows(thrudesk_services, campaign_id)] == [e164(1)]
    with thrudesk_services.store.read() as session:
        assert session.scalar(select(func.count(Contact.id))) == 1


def test_r3_names_and_fields_with_emoji_sequences_are_imported_as_written(
    thrudesk_services: Services, thrudesk_account: StarterAccount, tmp_path: Path
) -> None:
    campaign_id = draft_campaign(thrudesk_services, thrudesk_account)
    path = write_csv(
        tmp_path / "emoji.csv",
        [
            ["phone", "first name", "last name", "Team"],
            [phone(1), "Ana 👩\u200d💻", "Lopez ❤\ufe0f", "👨\u200d👩\u200d👧"],
            [phone(2), "Ben\u200d", "Okafor", ""],
        ],
    )
    report = thrudesk_services.contacts.import_csv(thrudesk_account.actor, campaign_id, path)
    assert report.imported == 1
    assert [(p.line, p.reason) for p in report.problems] == [
        (3, "contains a line break, tab or other invisible control character in a cell")
    ]
    [row] = contact_rows(thrudesk_services, campaign_id)
    assert row[1:] == ("Ana 👩\u200d💻", "Lopez ❤\ufe0f", {"Team": "👨\u200d👩\u200d👧"})


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        (["A" * 121, "Lopez", ""], "first name is 121 characters long; the most is 120"),
        (["Ana", "L" * 121, ""], "last name is 121 characters long"),
        (["Ana", "Lopez", "w" * 501], "“Ward” cell is 501 characters long; the most is 500"),
        (["+Ana", "Lopez", ""], "starts with “+”"),
        (["Ana", "-Lopez", ""], "starts with “-”"),
        (["Ana", "Lopez", "@SUM(A1)"], "starts with “@”"),
        (["Ana\u200b", "Lopez", ""], "invisible control character"),
        (["Ana", "Lo\x00pez", ""], "invisible control character"),
    ],
)
def test_r3_overlong_formula_and_control_cells_refuse_their_row(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    tmp_path: Path,
    cells: list[str],
    reason: str,
) -> None:
    campaign_id = draft_campaign(thrudesk_services, thrudesk_account)
    path = write_csv(
        tmp_path / "c.csv",
        [
            ["phone", "first name", "last name", "Ward"],
            [phone(1), *cells],
            [phone(2), "Ok", "Row", ""],
        ],
    )
    report = thrudesk_services.contacts.import_csv(thrudesk_account.actor, campaign_id, path)
    assert report.imported == 1
    assert len(report.problems) == 1
    assert report.problems[0].line == 2
    assert reason in report.problems[0].reason


def test_r3_contacts_already_in_the_campaign_are_reported_and_skipped(
    thrudesk_services: Services, thrudesk_account: StarterAccount, tmp_path: Path
) -> None:
    campaign_id = draft_campaign(thrudesk_services, thrudesk_account)
    actor = thrudesk_account.actor
    thrudesk_services.contacts.import_csv(actor, campaign_id, contacts_csv(tmp_path / "a.csv", 3))
    again = thrudesk_services.contacts.import_csv(
        actor, campaign_id, contacts_csv(tmp_path / "b.csv", 4)
    )
    assert again.imported == 1
    assert [(p.line, p.reason) for p in again.problems] == [
        (line, "is already in this campaign") for line in (2, 3, 4)
    ]
    assert thrudesk_services.campaigns.details(actor, campaign_id).contacts == 4


def test_m3_a_contact_already_in_the_account_is_reused_so_its_opt_out_holds(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    tmp_path: Path,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    actor = thrudesk_account.actor
    manual_sending(thrudesk_services, thrudesk_account)
    ready = campaign_with_contacts(2)
    sender = thrudesk_services.accounts.add_user(
        thrudesk_account.account_id, "Sam", "sam@example.org", Role.SENDER
    )
    thrudesk_services.senders.add(actor, ready.campaign_id, [sender.id])
    sam = Actor(thrudesk_account.account_id, sender.id)
    first = thrudesk_services.contacts.conversations(actor, ready.campaign_id).rows[0]
    thrudesk_services.messaging.send_initial(sam, ready.campaign_id, first.id)
    thrudesk_services.messaging.receive_reply(actor, ready.campaign_id, first.id, "STOP")

    later = draft_campaign(thrudesk_services, thrudesk_account, "Later")
    path = write_csv(
        tmp_path / "later.csv", [["phone", "first name"], [phone(0), "Renamed"], [phone(7), "New"]]
    )
    report = thrudesk_services.contacts.import_csv(actor, later, path)
    assert (report.imported, report.reused_contacts, report.opted_out) == (2, 1, 1)
    assert "opted out earlier" in report.summary
    with thrudesk_services.store.read() as session:
        assert session.scalar(select(func.count(Contact.id))) == 3  # one person, one contact
    rows = thrudesk_services.contacts.conversations(actor, later).rows
    assert [(r.phone, r.first_name, r.opted_out) for r in rows] == [
        ("+12062000000", "First0", True),  # the stored name is kept
        (f"+1206{2000000 + 7 * 37:07d}", "New", False),
    ]
    assert thrudesk_services.campaigns.details(actor, later).opted_out == 1


def test_import_progress_is_reported_per_chunk_and_chunks_commit_separately(
    thrudesk_services: Services, thrudesk_account: StarterAccount, tmp_path: Path
) -> None:
    campaign_id = draft_campaign(thrudesk_services, thrudesk_account)
    seen: list[ImportProgress] = []
    path = contacts_csv(tmp_path / "c.csv", 25)
    report = thrudesk_services.contacts.import_csv(
        thrudesk_account.actor, campaign_id, path, progress=seen.append, chunk_rows=10
    )
    assert report.imported == 25
    assert [p.imported for p in seen] == [10, 20, 25]
    assert seen[-1].fraction == 1.0
    assert seen[-1].lines == 26
    assert all(a.bytes_read <= b.bytes_read for a, b in itertools.pairwise(seen))
    events = [
        e
        for e in thrudesk_services.events.for_campaign(thrudesk_account.actor, campaign_id)
        if e.kind == "contacts_imported"
    ]
    assert [e.after and e.after["imported"] for e in events] == [10, 10, 5]


def test_p5_each_chunk_tells_of_the_campaigns_audience_and_not_of_its_number_or_status(
    thrudesk_services: Services, thrudesk_account: StarterAccount, tmp_path: Path
) -> None:
    """The window reads again what a change names: an import's chunks name the campaign's
    contacts and conversations, so the numbers' usage and the status bar are left alone.
    """
    campaign_id = draft_campaign(thrudesk_services, thrudesk_account)
    heard: list[Change] = []
    thrudesk_services.bus.subscribe(heard.append)
    thrudesk_services.contacts.import_csv(
        thrudesk_account.actor, campaign_id, contacts_csv(tmp_path / "c.csv", 25), chunk_rows=10
    )
    assert len(heard) == 3
    for change in heard:
        assert change.campaign_ids == {campaign_id}
        assert change.account_ids == {thrudesk_account.actor.account_id}
        assert change.topics == {AUDIENCE, CONVERSATIONS}


def test_cancelling_stops_after_the_current_chunk_and_keeps_what_was_committed(
    thrudesk_services: Services, thrudesk_account: StarterAccount, tmp_path: Path
) -> None:
    campaign_id = draft_campaign(thrudesk_services, thrudesk_account)
    cancel = threading.Event()

    def on_progress(progress: ImportProgress) -> None:
        if progress.imported >= 20:
            cancel.set()

    report = thrudesk_services.contacts.import_csv(
        thrudesk_account.actor,
        campaign_id,
        contacts_csv(tmp_path / "c.csv", 50),
        progress=on_progress,
        cancel=cancel,
        chunk_rows=10,
    )
    assert report.cancelled
    assert report.imported == 20
    assert "Cancelled" in report.summary
    assert thrudesk_services.campaigns.details(thrudesk_account.actor, campaign_id).contacts == 20


def test_an_import_runs_in_a_worker_thread_through_its_own_sessions(
    thrudesk_services: Services, thrudesk_account: StarterAccount, tmp_path: Path
) -> None:
    campaign_id = draft_campaign(thrudesk_services, thrudesk_account)
    path = contacts_csv(tmp_path / "c.csv", 300)
    outcome: dict[str, object] = {}
    threads: set[str] = set()

    def work() -> None:
        outcome["report"] = thrudesk_services.contacts.import_csv(
            thrudesk_account.actor,
            campaign_id,
            path,
            progress=lambda _: threads.add(threading.current_thread().name),
            chunk_rows=100,
        )

    worker = threading.Thread(target=work, name="import-worker")
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive()
    assert threads == {"import-worker"}
    assert thrudesk_services.campaigns.details(thrudesk_account.actor, campaign_id).contacts == 300


def test_c8_contacts_cannot_be_imported_into_a_followup(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    tmp_path: Path,
    unchanged: Unchanged,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    ready = campaign_with_contacts(2)
    followup = thrudesk_services.campaigns.create_followup(
        thrudesk_account.actor,
        ready.campaign_id,
        title="Reminder",
        message="Polls close at 8",
        expires_at=thrudesk_services.clock.now() + timedelta(days=1),
    )
    path = contacts_csv(tmp_path / "outside.csv", 2, start=100)
    with unchanged(), pytest.raises(InvalidTransition, match="come from its campaign"):
        thrudesk_services.contacts.import_csv(thrudesk_account.actor, followup, path)


def test_n12_contacts_cannot_be_imported_into_another_accounts_campaign(
    thrudesk_services: Services, thrudesk_account: StarterAccount, tmp_path: Path
) -> None:
    campaign_id = draft_campaign(thrudesk_services, thrudesk_account)
    other = create_starter_account(thrudesk_services, "Other Org", admin_name="Olga Other")
    with pytest.raises(NotFound):
        thrudesk_services.contacts.import_csv(
            other.actor, campaign_id, contacts_csv(tmp_path / "c.csv", 1)
        )


def test_only_admins_import_contacts(
    thrudesk_services: Services, thrudesk_account: StarterAccount, tmp_path: Path
) -> None:
    campaign_id = draft_campaign(thrudesk_services, thrudesk_account)
    user = thrudesk_services.accounts.add_user(
        thrudesk_account.account_id, "Sam", "sam@example.org", Role.SENDER
    )
    with pytest.raises(PermissionDenied):
        thrudesk_services.contacts.import_csv(
            Actor(thrudesk_account.account_id, user.id),
            campaign_id,
            contacts_csv(tmp_path / "c.csv", 1),
        )


# ---------------------------------------------------------------------- exporting
def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_r5_export_neutralises_formula_cells_and_keeps_phones_readable(
    thrudesk_services: Services, thrudesk_account: StarterAccount, tmp_path: Path
) -> None:
    actor = thrudesk_account.actor
    campaign_id = draft_campaign(thrudesk_services, thrudesk_account)
    with thrudesk_services.store.begin() as session:
        # Values such as these can reach the store through other channels than our import.
        contact = Contact(
            account_id=thrudesk_account.account_id,
            phone="+12065550123",
            first_name="=1+2",
            last_name="@SUM(A1)",
        )
        session.add(contact)
        session.flush()
        session.add(
            Conversation(
                campaign_id=campaign_id, contact_id=contact.id, fields={"note": "-5", "=x": "+cmd"}
            )
        )
    report = thrudesk_services.contacts.export_csv(actor, campaign_id, tmp_path / "out.csv")
    assert report.rows == 1
    assert not report.cancelled
    header, row = _read(tmp_path / "out.csv")
    assert header[:5] == ["phone", "first_name", "last_name", "'=x", "note"]
    assert row[:5] == ["(206) 555-0123", "'=1+2", "'@SUM(A1)", "'+cmd", "'-5"]
    for cell in header + row:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_exported_contacts_and_results_can_be_imported_again(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    tmp_path: Path,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    actor = thrudesk_account.actor
    manual_sending(thrudesk_services, thrudesk_account)
    ready = campaign_with_contacts(4)
    sender = thrudesk_services.accounts.add_user(
        thrudesk_account.account_id, "Sam", "sam@example.org", Role.SENDER
    )
    thrudesk_services.senders.add(actor, ready.campaign_id, [sender.id])
    first = thrudesk_services.contacts.conversations(actor, ready.campaign_id).rows[0]
    thrudesk_services.messaging.send_initial(
        Actor(thrudesk_account.account_id, sender.id), ready.campaign_id, first.id
    )
    thrudesk_services.contacts.export_csv(actor, ready.campaign_id, tmp_path / "results.csv")
    header, *rows = _read(tmp_path / "results.csv")
    assert header == [
        "phone",
        "first_name",
        "last_name",
        "ward",
        "sender",
        "message_state",
        "sent_at",
        "delivered_at",
        "replied_at",
        "reply",
        "opted_out",
        "at_risk",
        "continues_thread",
    ]
    assert rows[0][:6] == ["(206) 200-0000", "First0", "Last0", "W0", "Sam", "Sent"]
    assert rows[0][6].startswith("2026-03-02T09:00:00-05:00")  # in the campaign's timezone
    assert rows[1][5] == "Not sent"

    thrudesk_services.contacts.export_csv(
        actor, ready.campaign_id, tmp_path / "contacts.csv", results=False
    )
    again = draft_campaign(thrudesk_services, thrudesk_account, "Again")
    report = thrudesk_services.contacts.import_csv(actor, again, tmp_path / "contacts.csv")
    assert report.imported == 4
    assert report.problems == ()
    assert report.fields == ("ward",)


def test_a_cancelled_export_leaves_no_file(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    tmp_path: Path,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    ready = campaign_with_contacts(1)
    cancel = threading.Event()
    cancel.set()
    report = thrudesk_services.contacts.export_csv(
        thrudesk_account.actor, ready.campaign_id, tmp_path / "out.csv", cancel=cancel
    )
    assert report.cancelled
    assert report.rows == 0
    assert not (tmp_path / "out.csv").exists()
    assert not list(tmp_path.glob(".*.part"))


def test_c14_after_an_import_the_simulated_team_takes_up_the_new_contacts(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    tmp_path: Path,
    sim_clock: ManualClock,
    campaign_with_contacts: CampaignWithContacts,
) -> None:
    actor = thrudesk_account.actor
    thrudesk_services.messaging.set_parameters(actor, simulated_senders=1, reply_rate=0.0)
    ready = campaign_with_contacts(3)
    thrudesk_services.senders.set_self_assign(actor, ready.campaign_id, True)
    sim_clock.advance(minutes=30)
    assert thrudesk_services.campaigns.details(actor, ready.campaign_id).unassigned == 0
    thrudesk_services.contacts.import_csv(
        actor, ready.campaign_id, contacts_csv(tmp_path / "more.csv", 20, start=100)
    )
    thrudesk_services.contacts.finish_import(actor, ready.campaign_id)
    sim_clock.advance(minutes=10)
    details = thrudesk_services.campaigns.details(actor, ready.campaign_id)
    assert details.contacts == 23
    assert details.unassigned == 0
    assert details.sent > 3


@pytest.mark.parametrize("returning", [True, False])
def test_both_ways_of_adding_contacts_give_the_same_import(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    returning: bool,
) -> None:
    # Libraries older than SQLite 3.35 have no RETURNING: the import selects after inserting.
    monkeypatch.setattr("thrudesk.services.contacts._RETURNING", returning)
    actor = thrudesk_account.actor
    first = draft_campaign(thrudesk_services, thrudesk_account, "First")
    thrudesk_services.contacts.import_csv(actor, first, contacts_csv(tmp_path / "a.csv", 3))
    second = draft_campaign(thrudesk_services, thrudesk_account, "Second")
    report = thrudesk_services.contacts.import_csv(
        actor, second, contacts_csv(tmp_path / "b.csv", 5), chunk_rows=2
    )
    assert (report.imported, report.reused_contacts) == (5, 3)
    assert [r[0] for r in contact_rows(thrudesk_services, second)] == [
        r[0] for r in contact_rows(thrudesk_services, first)
    ] + [f"+1206{2000000 + i * 37:07d}" for i in (3, 4)]


@pytest.mark.parametrize("where", ["folder", "missing folder", "", None])
def test_r3_an_export_to_a_place_that_cannot_take_it_is_refused(
    thrudesk_services: Services, thrudesk_account: StarterAccount, tmp_path: Path, where: str | None
) -> None:
    campaign_id = draft_campaign(thrudesk_services, thrudesk_account)
    target: object = {
        "folder": tmp_path,
        "missing folder": tmp_path / "nowhere" / "out.csv",
        "": "",
        None: None,
    }[where]
    with pytest.raises(InvalidInput) as refusal:
        thrudesk_services.contacts.export_csv(thrudesk_account.actor, campaign_id, target)  # type: ignore[arg-type]
    assert refusal.value.field == "csv_file"
    assert list(tmp_path.glob("**/*.part")) == []


def test_r3_an_import_needs_a_file(
    thrudesk_services: Services, thrudesk_account: StarterAccount, tmp_path: Path
) -> None:
    campaign_id = draft_campaign(thrudesk_services, thrudesk_account)
    for source in ("", None, 42, tmp_path):
        with pytest.raises(InvalidInput) as refusal:
            thrudesk_services.contacts.import_csv(thrudesk_account.actor, campaign_id, source)  # type: ignore[arg-type]
        assert refusal.value.field == "csv_file"


def test_c16_an_imports_summary_writes_its_counts_as_the_window_does() -> None:
    report = ImportReport(
        campaign_id=1,
        lines=13_682,
        imported=12_480,
        reused_contacts=0,
        opted_out=1_000,
        refused=1_200,
        problems=(),
        fields=(),
        cancelled=False,
    )
    assert report.summary == (
        "Imported 12\u202f480 contacts; 1\u202f200 rows refused; "
        "1\u202f000 opted out earlier (never messaged)."
    )


# ---------------------------------------------------------------------- the import's report
def test_r3_each_refused_row_keeps_the_value_it_refused(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    campaign_id = draft_campaign(thrudesk_services, thrudesk_account)
    report = thrudesk_services.contacts.import_csv(
        thrudesk_account.actor, campaign_id, DATA / "contacts_with_bad_rows.csv"
    )
    values = {problem.line: problem.value for problem in report.problems}
    assert values == {
        5: "555-0126",
        6: "(206) 555-0123",
        7: "+44 20 7946 0958",
        8: '=HYPERLINK("http://example.invalid")',
        9: "Tab[U+0009]bed",  # invisible characters are shown by their code
        10: "Multi[U+000A]Line",
        12: "(206) 555-0130,Hal,Extra,W1,,surplus",  # the wrong number of cells: the row
        14: "",
        15: "(206) 555-0132 ext 4",
        16: "٢٠٦٥٥٥٠١٣٣",
        17: "(206) 155-0134",
    }


def test_r3_a_refused_value_is_cut_to_a_readable_length(
    thrudesk_services: Services, thrudesk_account: StarterAccount, tmp_path: Path
) -> None:
    actor = thrudesk_account.actor
    campaign_id = draft_campaign(thrudesk_services, thrudesk_account)
    thrudesk_services.contacts.import_csv(actor, campaign_id, contacts_csv(tmp_path / "a.csv", 1))
    path = write_csv(
        tmp_path / "b.csv",
        [
            ["phone", "first name", "last name", "ward"],
            [phone(0), "Ana", "Lopez", "W1"],  # already in the campaign
            [phone(2), "Ben", "Okafor", "x" * 501],
        ],
    )
    report = thrudesk_services.contacts.import_csv(actor, campaign_id, path)
    already, overlong = report.problems
    assert (already.line, already.value) == (2, phone(0))
    assert overlong.line == 3
    assert overlong.value == "x" * (VALUE_SHOWN_MAX - 1) + "…"
    assert overlong.reason == "the “ward” cell is 501 characters long; the most is 500"


def test_r5_the_refused_rows_are_saved_as_csv_with_formulas_neutralised(
    thrudesk_services: Services, thrudesk_account: StarterAccount, tmp_path: Path
) -> None:
    campaign_id = draft_campaign(thrudesk_services, thrudesk_account)
    report = thrudesk_services.contacts.import_csv(
        thrudesk_account.actor, campaign_id, DATA / "contacts_with_bad_rows.csv"
    )
    target = tmp_path / "refused.csv"
    assert thrudesk_services.contacts.save_import_report(report, target) == 11
    header, *rows = _read(target)
    assert header == ["line", "value", "reason"]
    assert [row[0] for row in rows] == [str(p.line) for p in report.problems]
    by_line = {row[0]: row for row in rows}
    assert by_line["8"][1] == '\'=HYPERLINK("http://example.invalid")'
    assert by_line["7"][1] == "'+44 20 7946 0958"
    assert by_line["17"][2] == next(p.reason for p in report.problems if p.line == 17)
    for cell in itertools.chain(header, *rows):
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    if os.name == "posix":
        assert target.stat().st_mode & 0o077 == 0  # the refused values are contact data
    assert list(tmp_path.glob(".*.part")) == []


@pytest.mark.parametrize("where", ["folder", "missing folder", ""])
def test_r3_the_report_saved_where_it_cannot_be_is_refused(
    thrudesk_services: Services, thrudesk_account: StarterAccount, tmp_path: Path, where: str
) -> None:
    campaign_id = draft_campaign(thrudesk_services, thrudesk_account)
    report = thrudesk_services.contacts.import_csv(
        thrudesk_account.actor, campaign_id, DATA / "contacts_with_bad_rows.csv"
    )
    places: dict[str, Path | str] = {
        "folder": tmp_path,
        "missing folder": tmp_path / "nowhere" / "r.csv",
        "": "",
    }
    target = places[where]
    with pytest.raises(InvalidInput) as refusal:
        thrudesk_services.contacts.save_import_report(report, target)
    assert refusal.value.field == "csv_file"
    assert list(tmp_path.glob("**/*.part")) == []


def test_an_import_and_an_export_each_log_one_line_of_counts(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    actor = thrudesk_account.actor
    campaign_id = draft_campaign(thrudesk_services, thrudesk_account)
    caplog.set_level(logging.INFO, logger="thrudesk.contacts")
    thrudesk_services.contacts.import_csv(actor, campaign_id, DATA / "contacts_with_bad_rows.csv")
    thrudesk_services.contacts.export_csv(actor, campaign_id, tmp_path / "out.csv")
    broken = tmp_path / "broken.csv"
    broken.write_bytes(b"name,email\nAna,ana@example.org\n")
    with pytest.raises(InvalidInput):
        thrudesk_services.contacts.import_csv(actor, campaign_id, broken)
    lines = [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "thrudesk.contacts"]
    assert lines == [
        (
            logging.INFO,
            f"import of 'contacts_with_bad_rows.csv' into campaign {campaign_id}: "
            "5 rows imported, 11 refused",
        ),
        (logging.INFO, f"export of campaign {campaign_id} to 'out.csv': 5 rows written"),
        (logging.INFO, f"import of 'broken.csv' into campaign {campaign_id} refused as a whole"),
    ]
