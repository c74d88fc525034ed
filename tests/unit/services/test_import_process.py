"""A contacts import in a process of its own (QUALITY.md P5): the window's thread keeps the
interpreter while a large file is read, and the import does and says what it does in the same
process.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import signal
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from tests.damage import damage_table
from tests.snapshots import Unchanged
from tests.unit.services.teamwork_helpers import (
    DATA,
    contact_rows,
    contacts_csv,
    draft_campaign,
    write_csv,
)
from thrudesk.models import Campaign
from thrudesk.services import errors
from thrudesk.services.changes import AUDIENCE, CONVERSATIONS, Change
from thrudesk.services.clock import ManualClock
from thrudesk.services.contacts import ImportProgress, ImportReport
from thrudesk.services.container import Services
from thrudesk.services.errors import (
    InvalidInput,
    NumberInUse,
    StoreError,
    ThrudeskError,
    WorkInterrupted,
)
from thrudesk.services.import_process import PROCESS_NAME
from thrudesk.services.priority import lower_this_thread
from thrudesk.services.processes import LOG, PipeLogHandler
from thrudesk.services.starter import StarterAccount, create_starter_account
from thrudesk.services.store import Store, create_store_engine, open_store, url_for_path


def _import_processes() -> list[str]:
    return [p.name for p in multiprocessing.active_children() if p.name == PROCESS_NAME]


def _import_process_id() -> int:
    """The process id of the import's process running now."""
    (process,) = [p for p in multiprocessing.active_children() if p.name == PROCESS_NAME]
    assert process.pid is not None
    return process.pid


def _without_campaign(report: ImportReport) -> dict[str, object]:
    fields = dict(report.__dict__)
    fields.pop("campaign_id")
    fields.pop("reused_contacts")
    return fields


def test_p5_an_import_in_its_own_process_imports_and_reports_what_one_here_does(
    thrudesk_services: Services, thrudesk_account: StarterAccount
) -> None:
    contacts, actor = thrudesk_services.contacts, thrudesk_account.actor
    here = draft_campaign(thrudesk_services, thrudesk_account, "Here")
    apart = draft_campaign(thrudesk_services, thrudesk_account, "Apart")
    source = DATA / "contacts_with_bad_rows.csv"
    processes: list[list[str]] = []

    expected = contacts.import_csv(actor, here, source)
    report = contacts.import_csv_apart(
        actor, apart, source, progress=lambda _step: processes.append(_import_processes())
    )

    assert processes
    assert all(names == [PROCESS_NAME] for names in processes)
    assert report.campaign_id == apart
    assert report.imported > 0
    assert report.refused > 0
    assert _without_campaign(report) == _without_campaign(expected)
    assert report.reused_contacts == expected.imported
    # The second import reused the contacts of the first: the rows are the same contacts.
    assert contact_rows(thrudesk_services, apart) == contact_rows(thrudesk_services, here)
    assert thrudesk_services.campaigns.details(actor, apart).contacts == report.imported
    assert _import_processes() == []


def test_p5_its_chunks_are_heard_here_in_order_on_the_calling_thread(
    thrudesk_services: Services, thrudesk_account: StarterAccount, tmp_path: Path
) -> None:
    campaign_id = draft_campaign(thrudesk_services, thrudesk_account)
    heard: list[tuple[str, object, str]] = []
    thread = threading.current_thread().name

    def on_change(change: Change) -> None:
        heard.append(("change", change, threading.current_thread().name))

    def on_progress(step: ImportProgress) -> None:
        heard.append(("progress", step.imported, threading.current_thread().name))

    thrudesk_services.bus.subscribe(on_change)
    thrudesk_services.contacts.import_csv_apart(
        thrudesk_account.actor,
        campaign_id,
        contacts_csv(tmp_path / "c.csv", 25),
        progress=on_progress,
        chunk_rows=10,
    )

    assert [(kind, value if kind == "progress" else "") for kind, value, _ in heard] == [
        ("change", ""),
        ("progress", 10),
        ("change", ""),
        ("progress", 20),
        ("change", ""),
        ("progress", 25),
    ]
    assert {name for _, _, name in heard} == {thread}
    for kind, change, _ in heard:
        if kind == "change":
            assert isinstance(change, Change)
            assert change.campaign_ids == {campaign_id}
            assert change.topics == {AUDIENCE, CONVERSATIONS}


def test_p5_its_rows_and_audit_trail_carry_the_windows_simulated_time(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
    tmp_path: Path,
) -> None:
    campaign_id = draft_campaign(thrudesk_services, thrudesk_account)
    sim_clock.advance(timedelta(hours=20))
    when = sim_clock.now()

    thrudesk_services.contacts.import_csv_apart(
        thrudesk_account.actor, campaign_id, contacts_csv(tmp_path / "c.csv", 15), chunk_rows=10
    )

    with thrudesk_services.store.read() as session:
        campaign = session.get(Campaign, campaign_id)
        assert campaign is not None
        assert campaign.last_activity_at == when
    imported = [
        event
        for event in thrudesk_services.events.for_campaign(thrudesk_account.actor, campaign_id)
        if event.kind == "contacts_imported"
    ]
    assert [event.at for event in imported] == [when, when]


def test_r3_a_refusal_in_its_process_is_raised_here_as_it_was_raised_there(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    tmp_path: Path,
    unchanged: Unchanged,
) -> None:
    campaign_id = draft_campaign(thrudesk_services, thrudesk_account)
    rows = [["phone", "name"], ["2065550123", "Zoë"]]
    latin = write_csv(tmp_path / "latin.csv", rows, encoding="latin-1")
    with pytest.raises(InvalidInput) as here:
        thrudesk_services.contacts.import_csv(thrudesk_account.actor, campaign_id, latin)

    with unchanged(), pytest.raises(InvalidInput) as apart:
        thrudesk_services.contacts.import_csv_apart(thrudesk_account.actor, campaign_id, latin)

    assert apart.value.message == here.value.message
    assert apart.value.field == "csv_file"
    assert _import_processes() == []


def test_p5_cancelling_reaches_its_process_between_chunks(
    thrudesk_services: Services, thrudesk_account: StarterAccount, tmp_path: Path
) -> None:
    campaign_id = draft_campaign(thrudesk_services, thrudesk_account)
    cancel = threading.Event()

    def on_progress(step: ImportProgress) -> None:
        if step.imported >= 20:
            cancel.set()

    report = thrudesk_services.contacts.import_csv_apart(
        thrudesk_account.actor,
        campaign_id,
        contacts_csv(tmp_path / "c.csv", 500),
        progress=on_progress,
        cancel=cancel,
        chunk_rows=10,
    )

    assert report.cancelled
    # The flag crosses to the other process while it writes its next chunks.
    assert 20 <= report.imported < 500
    assert report.imported % 10 == 0
    details = thrudesk_services.campaigns.details(thrudesk_account.actor, campaign_id)
    assert details.contacts == report.imported
    assert _import_processes() == []


def test_p5_an_import_whose_process_dies_says_so_beside_the_file_and_keeps_whole_chunks(
    thrudesk_services: Services, thrudesk_account: StarterAccount, tmp_path: Path
) -> None:
    campaign_id = draft_campaign(thrudesk_services, thrudesk_account)

    def on_progress(step: ImportProgress) -> None:
        if step.imported >= 20:
            os.kill(_import_process_id(), signal.SIGKILL)

    with pytest.raises(WorkInterrupted) as refusal:
        thrudesk_services.contacts.import_csv_apart(
            thrudesk_account.actor,
            campaign_id,
            contacts_csv(tmp_path / "c.csv", 5000),
            progress=on_progress,
            chunk_rows=10,
        )

    assert refusal.value.field == "csv_file"
    assert "stopped before it finished" in refusal.value.message
    assert f"code {-signal.SIGKILL}" in refusal.value.message
    details = thrudesk_services.campaigns.details(thrudesk_account.actor, campaign_id)
    imported = [
        event
        for event in thrudesk_services.events.for_campaign(thrudesk_account.actor, campaign_id)
        if event.kind == "contacts_imported"
    ]
    # Only whole chunks were kept, each with its line in the audit trail.
    assert 20 <= details.contacts < 5000
    assert details.contacts == 10 * len(imported)
    assert _import_processes() == []


def test_p5_a_store_that_is_not_a_file_is_imported_into_in_this_process(
    thrudesk_store: Store, tmp_path: Path
) -> None:
    store = Store(create_store_engine(thrudesk_store.url), path=None)
    services = Services(store, ManualClock())
    try:
        account = create_starter_account(services)
        campaign_id = draft_campaign(services, account)
        processes: list[list[str]] = []
        report = services.contacts.import_csv_apart(
            account.actor,
            campaign_id,
            contacts_csv(tmp_path / "c.csv", 15),
            progress=lambda _step: processes.append(_import_processes()),
            chunk_rows=10,
        )
    finally:
        store.dispose()
    assert report.imported == 15
    assert processes == [[], []]


def test_r4_an_import_in_its_own_process_waits_for_the_integrity_verdict(
    tmp_path: Path,
) -> None:
    path = tmp_path / "damaged.sqlite3"
    first = open_store(url_for_path(path))
    services = Services(first, ManualClock())
    account = create_starter_account(services)
    campaign_id = draft_campaign(services, account)
    first.dispose()
    damage_table(path, "event")
    before = path.read_bytes()
    store = open_store(url_for_path(path), check_in_background=True)
    try:
        services = Services(store, ManualClock())
        with pytest.raises(StoreError, match="is damaged"):
            services.contacts.import_csv_apart(
                account.actor, campaign_id, contacts_csv(tmp_path / "c.csv", 5)
            )
    finally:
        store.dispose()
    assert path.read_bytes() == before
    assert _import_processes() == []


def _refusals() -> list[type[ThrudeskError]]:
    found: list[type[ThrudeskError]] = []
    for value in vars(errors).values():
        if isinstance(value, type) and issubclass(value, ThrudeskError):
            found.append(value)
    return found


@pytest.mark.parametrize("kind", _refusals(), ids=lambda kind: kind.__name__)
def test_every_refusal_crosses_between_processes_with_its_message_and_field(
    kind: type[ThrudeskError],
) -> None:
    if kind is NumberInUse:
        refusal: ThrudeskError = NumberInUse("In use.", ["Canvass"], field="number")
    else:
        refusal = kind("Refused, and why.", field="some_field")

    crossed = pickle.loads(pickle.dumps(refusal))

    assert type(crossed) is kind
    assert crossed.message == refusal.message
    assert str(crossed) == str(refusal)
    assert crossed.field == refusal.field
    if isinstance(refusal, NumberInUse):
        assert isinstance(crossed, NumberInUse)
        assert crossed.campaign_titles == ["Canvass"]


def test_its_log_records_are_logged_here_with_their_message_and_traceback() -> None:
    ours, theirs = multiprocessing.Pipe()
    handler = PipeLogHandler(theirs)
    try:
        raise ValueError("a broken row")
    except ValueError:
        record = logging.getLogger("thrudesk.services.contacts").makeRecord(
            "thrudesk.services.contacts",
            logging.ERROR,
            __file__,
            1,
            "import of %s failed",
            ("c.csv",),
            exc_info=sys.exc_info(),
        )
    handler.emit(record)

    kind, fields = ours.recv()
    crossed = logging.makeLogRecord(fields)

    assert kind == LOG
    assert crossed.name == "thrudesk.services.contacts"
    assert crossed.levelno == logging.ERROR
    assert crossed.getMessage() == "import of c.csv failed"
    assert crossed.exc_text is not None
    assert "ValueError: a broken row" in crossed.exc_text
    ours.close()
    theirs.close()


@pytest.mark.skipif(not hasattr(os, "getpriority"), reason="the system has no process priorities")
def test_p5_the_imports_process_gives_the_processor_to_the_window_first(
    thrudesk_services: Services, thrudesk_account: StarterAccount, tmp_path: Path
) -> None:
    campaign_id = draft_campaign(thrudesk_services, thrudesk_account)
    window = os.getpriority(os.PRIO_PROCESS, os.getpid())
    theirs: list[int] = []

    def on_progress(_step: ImportProgress) -> None:
        theirs.append(os.getpriority(os.PRIO_PROCESS, _import_process_id()))

    def work() -> None:
        # As in the window: from a background task's thread, itself already lowered.
        lower_this_thread()
        thrudesk_services.contacts.import_csv_apart(
            thrudesk_account.actor,
            campaign_id,
            contacts_csv(tmp_path / "c.csv", 20),
            progress=on_progress,
            chunk_rows=10,
        )

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(60)

    assert not worker.is_alive()
    assert theirs
    # Ten steps below the window, not ten below the thread that started it.
    assert set(theirs) == {min(19, window + 10)}
