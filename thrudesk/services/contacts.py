"""A campaign's contacts: importing them from CSV, exporting contacts and results to CSV, and
listing its conversations.

Import (made to run in a worker thread, or in a process of its own with
:meth:`ContactService.import_csv_apart`: it touches the store only through its own units of work,
reports progress through a callback and stops when its cancel flag is set):

- The file is UTF-8, with or without a byte-order mark; anything else is refused before a row is
  written. The first row names the columns: ``phone`` (or ``cell``, ``number``, ``mobile``,
  ``phone number``), ``first name`` / ``first_name``, ``last name`` / ``last_name``, in any case;
  every other named column becomes a field of the contact's conversation. Columns without a name
  are ignored.
- Each row is checked on its own and refused with its line number and the reason: a phone that is
  not a valid US or Canadian number (written as E.164), a wrong number of cells, invisible control
  characters, an overlong cell, a cell a spreadsheet would run as a formula (``=``, ``+``, ``-``,
  ``@``), a phone repeated in the file or already in the campaign. The good rows are imported.
- A phone already in the account reuses that contact, so an opt-out holds (M3); such contacts are
  imported but never messaged. Stored names are kept; the file's names fill only blank ones.
- Good rows are written in chunks (5,000 by default), one transaction each, with bulk inserts.
  Cancelling stops after the chunk being written; what was committed stays and the report says so.

Export writes UTF-8 with a byte-order mark (so spreadsheets read accents right). Phones are written
as ``(206) 555-0123``: a phone number to people and to importers, and never read as a formula (an
E.164 ``+1…`` cell would be). Every other cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return gets a leading apostrophe (QUALITY.md R5).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import logging
import os
import re
import sqlite3
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from json.encoder import encode_basestring
from pathlib import Path
from typing import IO, Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select, text
from sqlalchemy.engine.interfaces import DBAPICursor
from sqlalchemy.orm import Session, aliased

from thrudesk.models import Account, Campaign, Contact, Conversation, User
from thrudesk.models.enums import CampaignStatus, MessageState
from thrudesk.services.activity import plan_activity
from thrudesk.services.changes import AUDIENCE, CONVERSATIONS
from thrudesk.services.contact_fields import field_key, field_spellings, spellings_of
from thrudesk.services.contact_phones import PhoneRefused, normalise_phone
from thrudesk.services.context import ServiceContext
from thrudesk.services.errors import InvalidInput, InvalidTransition
from thrudesk.services.import_process import import_apart
from thrudesk.services.membership import campaign_in_account, campaign_to_manage
from thrudesk.services.rows import Page, format_phone
from thrudesk.services.sending_window import campaign_zone
from thrudesk.services.store import restrict_to_owner
from thrudesk.services.unit_of_work import Actor, Change, admit
from thrudesk.services.validation import has_control_characters
from thrudesk.services.wording import count, plural

log = logging.getLogger("thrudesk.contacts")

CHUNK_ROWS = 10_000
NAME_MAX = 120
FIELD_NAME_MAX = 64
FIELD_VALUE_MAX = 500
EXTRA_COLUMNS_MAX = 50
PROBLEMS_LISTED_MAX = 10_000  # a broken million-row file keeps its first problems, and a count
VALUE_SHOWN_MAX = 80  # a refused value, as the report shows it: enough to find it in the file

PHONE_COLUMNS = frozenset({"phone", "cell", "number", "mobile", "phone number", "cell phone"})
FIRST_NAME_COLUMNS = frozenset({"first name", "firstname"})
LAST_NAME_COLUMNS = frozenset({"last name", "lastname", "surname"})
FORMULA_STARTS = ("=", "+", "-", "@")
_NEUTRALISE_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ASCII_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")
_SCAN_BLOCK = 1 << 20
# How much of the file's start is read to tell a UTF-16 file without a byte-order mark.
_SNIFF_BYTES = 4096
# Rows per multi-row INSERT: 4 parameters each, well under SQLite's 32,766 (3.32 and later).
_INSERT_ROWS = 2000
# RETURNING needs SQLite 3.35; older libraries take the select-after-insert path.
_RETURNING = sqlite3.sqlite_version_info >= (3, 35, 0)


@lru_cache(maxsize=8)
def _insert_contacts_sql(rows: int) -> str:
    return (
        "INSERT INTO contact (account_id, phone, first_name, last_name) VALUES "
        + ",".join(["(?, ?, ?, ?)"] * rows)
        + " ON CONFLICT (account_id, phone) DO NOTHING RETURNING id, phone"
    )


def _json_list(values: list[str] | list[int]) -> str:
    return json.dumps(values, separators=(",", ":"))


class CancelFlag(Protocol):
    """Anything with ``is_set()``, such as :class:`threading.Event`."""

    def is_set(self) -> bool: ...


@dataclass(frozen=True)
class ImportProblem:
    """A refused row: its line in the file (the header is line 1), why, and the value refused
    (the cell at fault, or the row's cells when their number is wrong), as :func:`shown_value`
    writes it.
    """

    line: int
    reason: str
    value: str = ""


@dataclass(frozen=True)
class ImportProgress:
    """How far an import has gone, after each chunk."""

    bytes_read: int
    total_bytes: int
    lines: int
    imported: int
    refused: int

    @property
    def fraction(self) -> float:
        return min(1.0, self.bytes_read / self.total_bytes) if self.total_bytes else 1.0


@dataclass(frozen=True)
class ImportReport:
    """What an import did: imported rows, refused rows by line, and whether it was cancelled."""

    campaign_id: int
    lines: int
    imported: int
    reused_contacts: int
    opted_out: int
    refused: int
    problems: tuple[ImportProblem, ...]
    fields: tuple[str, ...]
    cancelled: bool
    stopped_reason: str | None = None

    @property
    def problems_not_listed(self) -> int:
        return self.refused - len(self.problems)

    @property
    def summary(self) -> str:
        words = [f"Imported {plural(self.imported, 'contact')}"]
        if self.refused:
            words.append(f"{plural(self.refused, 'row')} refused")
        if self.opted_out:
            words.append(f"{count(self.opted_out)} opted out earlier (never messaged)")
        text = "; ".join(words) + "."
        if self.cancelled:
            text += " Cancelled: the contacts imported before cancelling are kept."
        if self.stopped_reason:
            text += f" Stopped: {self.stopped_reason}"
        return text


@dataclass(frozen=True)
class ExportReport:
    path: Path
    rows: int
    cancelled: bool


@dataclass(frozen=True)
class ConversationRow:
    """One contact inside a campaign, as a list of conversations shows it."""

    id: int
    contact_id: int
    phone: str
    first_name: str
    last_name: str
    fields: dict[str, Any]
    sender_id: int | None
    sender_name: str | None
    message_state: MessageState
    sent_at: datetime | None
    delivered_at: datetime | None
    replied_at: datetime | None
    reply_text: str | None
    opted_out: bool
    at_risk: bool
    continues_thread: bool

    @property
    def display_phone(self) -> str:
        return format_phone(self.phone)


# ---------------------------------------------------------------------- cells
def neutralise_cell(value: str) -> str:
    """R5: a cell a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + value if value.startswith(_NEUTRALISE_STARTS) else value


def shown_value(value: str) -> str:
    """A refused cell as a report shows it: its invisible characters written as ``[U+0009]``,
    cut to :data:`VALUE_SHOWN_MAX` characters with an ellipsis.
    """
    if not value.isascii() or _ASCII_CONTROLS.search(value):
        value = "".join(f"[U+{ord(ch):04X}]" if _shown_escaped(ch) else ch for ch in value)
    if len(value) > VALUE_SHOWN_MAX:
        value = value[: VALUE_SHOWN_MAX - 1] + "…"
    return value


def _shown_escaped(ch: str) -> bool:
    """Whether a report writes ``ch`` as its code: a control, format or separator character
    (the joiner inside an emoji is left as it is).
    """
    return ch != "\u200d" and unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")


def _field_cell(fields: dict[str, Any], spellings: tuple[str, ...]) -> str:
    """A conversation's value of the field stored under ``spellings`` (a conversation has one)."""
    for name in spellings:
        if name in fields:
            return str(fields[name])
    return ""


def _has_invisible(value: str) -> bool:
    if value.isascii():
        return _ASCII_CONTROLS.search(value) is not None
    return has_control_characters(value)


def _column_key(name: str) -> str:
    return " ".join(name.replace("_", " ").replace("-", " ").casefold().split())


@dataclass
class _Columns:
    count: int
    phone: int
    first_name: int | None
    last_name: int | None
    extras: list[tuple[str, int]] = field(default_factory=list)


def _refuse_headerless(row: list[str]) -> None:
    """A first row that holds a phone number holds no column names: refused as such, before
    its ``+1…`` cell can be taken for a formula in a column name.
    """
    for index, cell in enumerate(row):
        if _looks_like_phone(cell):
            raise InvalidInput(
                f"The first row holds no column names: “{cell.strip()}” in column {index + 1} "
                "looks like a phone number. Add a header row such as "
                "phone,first_name,last_name.",
                field="csv_file",
            )


def _read_header(row: list[str]) -> _Columns:
    """The header row's columns; a file whose header cannot work is refused as a whole."""
    _refuse_headerless(row)
    phone: list[int] = []
    first: list[int] = []
    last: list[int] = []
    extras: list[tuple[str, int]] = []
    seen: dict[str, str] = {}
    for index, raw in enumerate(row):
        name = raw.strip()
        if not name:
            continue  # spreadsheets leave unnamed trailing columns
        if _has_invisible(name) or name.startswith(FORMULA_STARTS):
            raise InvalidInput(
                f"The header's column {index + 1} has a name with control characters or a "
                "formula; rename it.",
                field="csv_file",
            )
        if len(name) > FIELD_NAME_MAX:
            raise InvalidInput(
                f"The header's column {index + 1} has a name of {len(name)} characters; the "
                f"most is {FIELD_NAME_MAX}.",
                field="csv_file",
            )
        key = _column_key(name)
        if key in seen:
            also = f"“{seen[key]}” and “{name}”" if seen[key] != name else f"“{name}”"
            raise InvalidInput(
                f"The header names one column twice: {also} (names are the same whatever their "
                "case, with spaces, _ or - alike). Keep one, or merge them, and import again.",
                field="csv_file",
            )
        seen[key] = name
        if key in PHONE_COLUMNS:
            phone.append(index)
        elif key in FIRST_NAME_COLUMNS:
            first.append(index)
        elif key in LAST_NAME_COLUMNS:
            last.append(index)
        else:
            extras.append((name, index))
    if not phone:
        raise InvalidInput(
            "The file has no phone column: its first row must name the columns, one of them "
            "phone (or cell, number).",
            field="csv_file",
        )
    if len(phone) > 1:
        names = " and ".join(f"“{row[i].strip()}”" for i in phone)
        raise InvalidInput(
            f"The columns {names} both look like the phone column; keep one.", field="csv_file"
        )
    if len(extras) > EXTRA_COLUMNS_MAX:
        raise InvalidInput(
            f"The file has {len(extras)} extra columns; the most is {EXTRA_COLUMNS_MAX}.",
            field="csv_file",
        )
    return _Columns(
        count=len(row),
        phone=phone[0],
        first_name=first[0] if first else None,
        last_name=last[0] if last else None,
        extras=extras,
    )


def _looks_like_phone(cell: str) -> bool:
    try:
        normalise_phone(cell)
    except PhoneRefused:
        return False
    return True


def _looks_like_utf16(start: bytes) -> bool:
    """Whether ``start`` reads as UTF-16 without a byte-order mark: text whose every other byte
    is NUL, as the characters of a CSV file (ASCII, mostly) are in UTF-16. NUL is valid UTF-8, so
    the decoder alone would take such a file, and its header for control characters.
    """
    if b"\x00" not in start:
        return False
    quarter = len(start) // 4
    return start[1::2].count(0) > quarter or start[0::2].count(0) > quarter


def _check_encoding(path: Path) -> int:
    """Refuse a file that is not UTF-8 before anything is written; answers its size in bytes."""
    try:
        with path.open("rb") as handle:
            start = handle.read(_SNIFF_BYTES)
            if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                raise InvalidInput(
                    "The file is saved as UTF-16. Save it as “CSV UTF-8” and import it again.",
                    field="csv_file",
                )
            if _looks_like_utf16(start):
                raise InvalidInput(
                    "The file is not UTF-8 text: it looks like UTF-16 without a byte-order mark. "
                    "Save it as “CSV UTF-8” and import it again.",
                    field="csv_file",
                )
            handle.seek(0)
            decoder = codecs.getincrementaldecoder("utf-8")("strict")
            offset = 0
            lines = 1
            while block := handle.read(_SCAN_BLOCK):
                try:
                    decoder.decode(block)
                except UnicodeDecodeError as error:
                    line = lines + block[: error.start].count(b"\n")
                    raise InvalidInput(
                        f"The file is not UTF-8 (line {line} has bytes that are not UTF-8 "
                        "text). Save it as “CSV UTF-8” and import it again.",
                        field="csv_file",
                    ) from None
                offset += len(block)
                lines += block.count(b"\n")
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                raise InvalidInput(
                    "The file ends in the middle of a character: it is not UTF-8 or it was cut "
                    "short. Save it as “CSV UTF-8” and import it again.",
                    field="csv_file",
                ) from None
            return offset
    except OSError as error:
        raise InvalidInput(
            f"The file {path.name} cannot be read: {error.strerror or error}.", field="csv_file"
        ) from None


# ---------------------------------------------------------------------- rows of one chunk
@dataclass
class _Chunk:
    first_line: int = 0
    last_line: int = 0
    phones: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    first_names: list[str] = field(default_factory=list)
    last_names: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.phones)


@dataclass
class _Tally:
    lines: int = 0
    imported: int = 0
    reused: int = 0
    opted_out: int = 0
    refused: int = 0
    problems: list[ImportProblem] = field(default_factory=list)

    def refuse(self, line: int, reason: str, value: str) -> None:
        self.refused += 1
        if len(self.problems) < PROBLEMS_LISTED_MAX:
            self.problems.append(ImportProblem(line, reason, shown_value(value)))


def _check_cell(value: str, label: str, limit: int) -> str | None:
    """Why a name or field cell is refused, or None."""
    if len(value) > limit:
        return f"the {label} is {len(value)} characters long; the most is {limit}"
    if value.startswith(FORMULA_STARTS):
        return (
            f"the {label} starts with “{value[0]}”, which spreadsheets run as a formula; "
            "remove that character"
        )
    return None


class ContactService:
    """Import and export of a campaign's contacts, and its list of conversations."""

    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    # ------------------------------------------------------------------ import
    def import_csv(
        self,
        actor: Actor,
        campaign_id: int,
        path: Path | str,
        *,
        progress: Callable[[ImportProgress], None] | None = None,
        cancel: CancelFlag | None = None,
        chunk_rows: int = CHUNK_ROWS,
    ) -> ImportReport:
        """Import a CSV of contacts into a campaign (see the module's notes for the rules).

        Safe to call from a worker thread. ``progress`` is called from that thread after each
        chunk; ``cancel.is_set()`` is read between chunks. Each chunk publishes its change on the
        bus from that thread. Call :meth:`finish_import` from the window's thread afterwards.
        """
        if not isinstance(path, str | Path) or not str(path).strip():
            raise InvalidInput("Choose the CSV file to import.", field="csv_file")
        source = Path(path)
        if chunk_rows < 1:
            raise InvalidInput("A chunk holds at least one row.", field="chunk_rows")
        with self._context.store.read() as session:
            self._importable(session, actor, campaign_id)
            known_fields = list(field_spellings(session, campaign_id))
        try:
            report = self._import_file(
                actor, campaign_id, source, known_fields, progress, cancel, chunk_rows
            )
        except InvalidInput:
            log.info("import of %r into campaign %d refused as a whole", source.name, campaign_id)
            raise
        ending = ""
        if report.cancelled:
            ending = "; cancelled"
        elif report.stopped_reason:
            ending = "; stopped early"
        # Counts only: a contact's phone, names or fields never go into the log.
        log.info(
            "import of %r into campaign %d: %s imported, %d refused%s",
            source.name,
            campaign_id,
            plural(report.imported, "row"),
            report.refused,
            ending,
        )
        return report

    def _import_file(
        self,
        actor: Actor,
        campaign_id: int,
        source: Path,
        known_fields: list[str],
        progress: Callable[[ImportProgress], None] | None,
        cancel: CancelFlag | None,
        chunk_rows: int,
    ) -> ImportReport:
        total_bytes = _check_encoding(source)
        tally = _Tally()
        seen: dict[int, int] = {}
        cancelled = False
        stopped: str | None = None
        with (
            source.open("rb") as raw,
            io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict", newline="") as handle,
        ):
            reader = csv.reader(handle)
            try:
                header = next(reader, None)
            except csv.Error as error:
                raise InvalidInput(
                    f"The header row cannot be read as CSV: {error}.", field="csv_file"
                ) from None
            if header is None or not any(cell.strip() for cell in header):
                raise InvalidInput(
                    "The file is empty: it needs a header row naming the columns, then one row "
                    "per contact.",
                    field="csv_file",
                )
            columns = _read_header(header)
            # A field named as one the campaign has, in another case, is that field (its
            # first spelling kept).
            spelling = {field_key(name): name for name in known_fields}
            columns.extras = [
                (spelling.get(field_key(name), name), index) for name, index in columns.extras
            ]
            rows = self._rows(reader, columns, tally, seen)
            while True:
                chunk = _Chunk()
                try:
                    for line, phone, first, last, fields_json in rows:
                        if not chunk.phones:
                            chunk.first_line = line
                        chunk.last_line = line
                        chunk.phones.append(phone)
                        chunk.lines.append(line)
                        chunk.first_names.append(first)
                        chunk.last_names.append(last)
                        chunk.fields.append(fields_json)
                        if len(chunk) >= chunk_rows:
                            break
                except csv.Error as error:
                    stopped = (
                        f"line {reader.line_num} cannot be read as CSV ({error}); rows after "
                        "it were not imported."
                    )
                if len(chunk) and not self._write_chunk(actor, campaign_id, chunk, tally):
                    stopped = "the campaign was archived during the import."
                    break
                if progress is not None:
                    progress(
                        ImportProgress(
                            bytes_read=raw.tell(),
                            total_bytes=total_bytes,
                            lines=reader.line_num,
                            imported=tally.imported,
                            refused=tally.refused,
                        )
                    )
                if stopped is not None or len(chunk) < chunk_rows:
                    break
                if cancel is not None and cancel.is_set():
                    cancelled = True
                    break
            tally.lines = reader.line_num
        tally.problems.sort(key=lambda problem: problem.line)
        return ImportReport(
            campaign_id=campaign_id,
            lines=tally.lines,
            imported=tally.imported,
            reused_contacts=tally.reused,
            opted_out=tally.opted_out,
            refused=tally.refused,
            problems=tuple(tally.problems),
            fields=tuple(name for name, _ in columns.extras),
            cancelled=cancelled,
            stopped_reason=stopped,
        )

    def import_csv_apart(
        self,
        actor: Actor,
        campaign_id: int,
        path: Path | str,
        *,
        progress: Callable[[ImportProgress], None] | None = None,
        cancel: CancelFlag | None = None,
        chunk_rows: int = CHUNK_ROWS,
    ) -> ImportReport:
        """:meth:`import_csv`, in a process of its own when the store is a SQLite file.

        The window's thread then keeps the interpreter to itself while a large file is read
        (QUALITY.md P5); see :mod:`thrudesk.services.import_process`. Any other store (in
        memory, or a database server) is imported into here, as is a ``path`` that is no path,
        which :meth:`import_csv` refuses. Either way, call it from a worker thread: it returns
        when the import ends, and ``progress`` and the bus hear of each chunk on that thread,
        as with :meth:`import_csv`.
        """
        if self._context.store.path is None or not isinstance(path, str | Path):
            return self.import_csv(
                actor, campaign_id, path, progress=progress, cancel=cancel, chunk_rows=chunk_rows
            )
        return import_apart(
            self._context,
            actor,
            campaign_id,
            Path(path),
            progress=progress,
            cancel=cancel,
            chunk_rows=chunk_rows,
        )

    @staticmethod
    def _importable(session: Session, actor: Actor, campaign_id: int) -> Campaign:
        admit(session, actor, Change.IMPORT_CONTACTS)
        campaign = campaign_to_manage(session, actor, campaign_id)
        if campaign.parent_id is not None:  # C8: a followup's audience is its original's
            raise InvalidTransition(
                "A followup's contacts come from its campaign; import into the original "
                "campaign instead.",
                field="campaign",
            )
        return campaign

    @staticmethod
    def _rows(
        reader: Any, columns: _Columns, tally: _Tally, seen: dict[int, int]
    ) -> Iterator[tuple[int, str, str, str, str]]:
        """The good rows as (line, E.164 phone, first, last, fields JSON); refuses the others.

        ``reader`` is a ``csv.reader``, whose ``line_num`` says where each record ends.
        """
        line_num: int = reader.line_num
        count = columns.count
        phone_at = columns.phone
        first_at = columns.first_name
        last_at = columns.last_name
        extras = columns.extras
        quote = encode_basestring
        # The fields are text to text: their JSON is built from quoted pieces, which is several
        # times faster per row than ``json.dumps``.
        keys = [(quote(name) + ":", index, name) for name, index in extras]
        formula = FORMULA_STARTS
        for row in reader:
            line = line_num + 1  # where this record starts (a quoted cell may span lines)
            line_num = reader.line_num
            joined = "".join(row)
            if not joined.strip():
                continue  # blank lines and rows of empty cells
            if len(row) != count:
                tally.refuse(line, f"has {len(row)} cells; the header has {count}", ",".join(row))
                continue
            # Beyond ASCII cell by cell: an emoji's joiner belongs to the cell it is in.
            if (
                _has_invisible(joined)
                if joined.isascii()
                else any(_has_invisible(cell) for cell in row)
            ):
                tally.refuse(
                    line,
                    "contains a line break, tab or other invisible control character in a cell",
                    next((cell for cell in row if _has_invisible(cell)), joined),
                )
                continue
            try:
                phone = normalise_phone(row[phone_at])
            except PhoneRefused as refusal:
                tally.refuse(line, f"the phone number {refusal}", row[phone_at])
                continue
            first = row[first_at].strip() if first_at is not None else ""
            last = row[last_at].strip() if last_at is not None else ""
            problem = None
            at_fault = ""
            # The checks are spelled out inline: this loop runs once per row of a large file.
            if first and (len(first) > NAME_MAX or first.startswith(formula)):
                problem, at_fault = _check_cell(first, "first name", NAME_MAX), first
            if problem is None and last and (len(last) > NAME_MAX or last.startswith(formula)):
                problem, at_fault = _check_cell(last, "last name", NAME_MAX), last
            values: list[str] = []
            if problem is None:
                for quoted, index, name in keys:
                    value = row[index].strip()
                    if value:
                        if len(value) > FIELD_VALUE_MAX or value.startswith(formula):
                            problem = _check_cell(value, f"“{name}” cell", FIELD_VALUE_MAX)
                            at_fault = value
                            break
                        values.append(quoted + quote(value))
            if problem is not None:
                tally.refuse(line, problem, at_fault)
                continue
            key = int(phone[1:])
            earlier = seen.get(key)
            if earlier is not None:
                tally.refuse(line, f"repeats the phone number of line {earlier}", row[phone_at])
                continue
            seen[key] = line
            yield line, phone, first, last, "{" + ",".join(values) + "}"

    @staticmethod
    def _stored_contacts(
        cursor: DBAPICursor, account_id: int, phones: list[str]
    ) -> dict[str, tuple[int, bool, str, str]]:
        """The account's contacts among ``phones``: id, opted out, first and last name."""
        # One JSON parameter instead of thousands of bound ones: compiling a 5,000-item IN
        # list costs more than the query.
        cursor.execute(
            "SELECT phone, id, opted_out_at IS NOT NULL, first_name, last_name FROM contact "
            "WHERE account_id = ? AND phone IN (SELECT value FROM json_each(?))",
            (account_id, _json_list(phones)),
        )
        return {
            phone: (cid, bool(opted), first, last)
            for phone, cid, opted, first, last in cursor.fetchall()
        }

    @classmethod
    def _insert_contacts(
        cls, cursor: DBAPICursor, account_id: int, chunk: _Chunk
    ) -> tuple[dict[str, int], dict[str, tuple[int, bool, str, str]]]:
        """Add the chunk's new contacts; answers the new ones' ids and the stored ones' details."""
        if not _RETURNING:
            stored = cls._stored_contacts(cursor, account_id, chunk.phones)
            fresh = [i for i, phone in enumerate(chunk.phones) if phone not in stored]
            cursor.executemany(
                "INSERT INTO contact (account_id, phone, first_name, last_name) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (account_id, phone) DO NOTHING",
                [
                    (account_id, chunk.phones[i], chunk.first_names[i], chunk.last_names[i])
                    for i in fresh
                ],
            )
            added = cls._stored_contacts(cursor, account_id, [chunk.phones[i] for i in fresh])
            return {phone: row[0] for phone, row in added.items()}, stored
        # Multi-row inserts that return the ids of the rows they added: the contacts already in
        # the account are the ones not returned, and only they need a second look.
        created: dict[str, int] = {}
        phones, firsts, lasts = chunk.phones, chunk.first_names, chunk.last_names
        size = len(chunk)
        for start in range(0, size, _INSERT_ROWS):
            stop = min(size, start + _INSERT_ROWS)
            parameters: list[object] = []
            for i in range(start, stop):
                parameters += (account_id, phones[i], firsts[i], lasts[i])
            cursor.execute(_insert_contacts_sql(stop - start), parameters)
            created.update((phone, contact_id) for contact_id, phone in cursor.fetchall())
        known = [phone for phone in chunk.phones if phone not in created]
        stored = cls._stored_contacts(cursor, account_id, known) if known else {}
        return created, stored

    def _write_chunk(self, actor: Actor, campaign_id: int, chunk: _Chunk, tally: _Tally) -> bool:
        """One transaction: contacts (new or reused) and their conversations, with counters."""
        with self._context.unit_of_work(actor, Change.IMPORT_CONTACTS) as uow:
            session = uow.session
            campaign = session.get(Campaign, campaign_id)
            if campaign is None or campaign.status is CampaignStatus.ARCHIVED:
                return False
            # The driver's own cursor, in this unit of work's transaction: a million rows
            # through ORM objects, or even through result rows, would be far too slow (P5).
            cursor = session.connection().connection.cursor()
            account_id = actor.account_id
            created, stored = self._insert_contacts(cursor, account_id, chunk)
            present: set[int] = set()
            if stored:
                cursor.execute(
                    "SELECT contact_id FROM conversation WHERE campaign_id = ? AND "
                    "contact_id IN (SELECT value FROM json_each(?))",
                    (campaign_id, _json_list([c[0] for c in stored.values()])),
                )
                present = {contact_id for (contact_id,) in cursor.fetchall()}
            new_rows: list[tuple[int, int, str]] = []
            fill_names: list[tuple[str, str, int]] = []
            reused = opted_out = 0
            for index, phone in enumerate(chunk.phones):
                known = stored.get(phone)
                if known is None:
                    new_rows.append((campaign_id, created[phone], chunk.fields[index]))
                    continue
                contact_id, is_opted_out, stored_first, stored_last = known
                if contact_id in present:
                    tally.refuse(
                        chunk.lines[index], "is already in this campaign", format_phone(phone)
                    )
                    continue
                new_rows.append((campaign_id, contact_id, chunk.fields[index]))
                reused += 1
                opted_out += is_opted_out
                first, last = chunk.first_names[index], chunk.last_names[index]
                if (not stored_first and first) or (not stored_last and last):
                    fill_names.append((stored_first or first, stored_last or last, contact_id))
            if new_rows:
                cursor.executemany(
                    "INSERT INTO conversation (campaign_id, contact_id, sender_id, fields, "
                    "message_state, at_risk, continues_thread, surcharge_cents) "
                    f"VALUES (?, ?, NULL, ?, '{MessageState.NOT_SENT.value}', 0, 0, 0)",
                    new_rows,
                )
            if fill_names:
                cursor.executemany(
                    "UPDATE contact SET first_name = ?, last_name = ? WHERE id = ?", fill_names
                )
            cursor.close()
            campaign.contact_count += len(new_rows)
            campaign.unassigned_count += len(new_rows)
            campaign.last_activity_at = uow.now
            uow.record(
                "contacts_imported",
                "campaign",
                campaign.id,
                account_id=campaign.account_id,
                after={
                    "lines": f"{chunk.first_line}–{chunk.last_line}",
                    "imported": len(new_rows),
                    "opted_out": opted_out,
                },
            )
            uow.changes.add(AUDIENCE, account_id=campaign.account_id, campaign_id=campaign.id)
            uow.changes.add(CONVERSATIONS, account_id=campaign.account_id, campaign_id=campaign.id)
            # No simulation job is planned here: the engine hears of new jobs on the thread that
            # commits them, and this may be a worker thread. ``finish_import`` plans it.
        tally.imported += len(new_rows)
        tally.reused += reused
        tally.opted_out += opted_out
        return True

    def finish_import(self, actor: Actor, campaign_id: int) -> None:
        """After an import, on the window's own thread: let an Active campaign's simulated team
        take up the new contacts (a tick of its sending activity).

        Kept apart from :meth:`import_csv`, which may run in a worker thread, because the
        simulator hears of planned jobs on the thread that commits them.
        """
        with self._context.unit_of_work(actor, Change.IMPORT_CONTACTS) as uow:
            campaign = campaign_in_account(uow.session, actor, campaign_id)
            if campaign.status is CampaignStatus.ACTIVE:
                plan_activity(uow, self._context.jobs, campaign.id, campaign.account_id)

    def save_import_report(self, report: ImportReport, path: Path | str) -> int:
        """Write ``report``'s refused rows to ``path`` as CSV (line, value, reason), its cells
        neutralised as an export's are (QUALITY.md R5); answers the rows written.

        Written beside ``path`` and moved into place when complete, readable by its owner alone:
        the refused values are the file's contact data.
        """
        if not isinstance(path, str | Path) or not str(path).strip():
            raise InvalidInput("Choose where to save the report.", field="csv_file")
        target = Path(path)
        if target.is_dir():
            raise InvalidInput(
                f"{target} is a folder; choose a file name to save to.", field="csv_file"
            )
        temporary = target.with_name(f".{target.name}.part")
        try:
            with temporary.open("w", encoding="utf-8-sig", newline="") as handle:
                restrict_to_owner(temporary)
                writer = csv.writer(handle)
                writer.writerow(["line", "value", "reason"])
                writer.writerows(
                    [
                        str(problem.line),
                        neutralise_cell(problem.value),
                        neutralise_cell(problem.reason),
                    ]
                    for problem in report.problems
                )
            os.replace(temporary, target)
        except OSError as error:
            temporary.unlink(missing_ok=True)
            raise InvalidInput(
                f"The file {target.name} cannot be written: {error.strerror or error}.",
                field="csv_file",
            ) from None
        return len(report.problems)

    # ------------------------------------------------------------------ export
    def export_csv(
        self,
        actor: Actor,
        campaign_id: int,
        path: Path | str,
        *,
        results: bool = True,
        cancel: CancelFlag | None = None,
    ) -> ExportReport:
        """Write the campaign's contacts (and, with ``results``, how each fared) to ``path``.

        Written to a temporary file beside ``path`` and moved into place when complete, so a
        cancelled or failed export leaves no half file. Safe to call from a worker thread.
        """
        if not isinstance(path, str | Path) or not str(path).strip():
            raise InvalidInput("Choose where to save the CSV file.", field="csv_file")
        target = Path(path)
        if target.is_dir():
            raise InvalidInput(
                f"{target} is a folder; choose a file name to save to.", field="csv_file"
            )
        temporary = target.with_name(f".{target.name}.part")
        with self._context.store.read() as session:
            admit(session, actor, Change.EXPORT_CONTACTS)
            campaign = campaign_in_account(session, actor, campaign_id)
            account = session.get_one(Account, campaign.account_id)
            zone = campaign_zone(campaign, account.timezone)
            names = sorted(field_spellings(session, campaign.id).items())
            try:
                with temporary.open("w", encoding="utf-8-sig", newline="") as handle:
                    restrict_to_owner(temporary)
                    rows, cancelled = self._write_export(
                        session, handle, campaign.id, names, zone, results, cancel
                    )
            except OSError as error:
                temporary.unlink(missing_ok=True)
                raise InvalidInput(
                    f"The file {target.name} cannot be written: {error.strerror or error}.",
                    field="csv_file",
                ) from None
        if cancelled:
            temporary.unlink(missing_ok=True)
            log.info("export of campaign %d to %r cancelled", campaign_id, target.name)
            return ExportReport(target, rows, cancelled=True)
        try:
            os.replace(temporary, target)
        except OSError as error:
            temporary.unlink(missing_ok=True)
            raise InvalidInput(
                f"The file {target.name} cannot be written: {error.strerror or error}.",
                field="csv_file",
            ) from None
        log.info(
            "export of campaign %d to %r: %s written", campaign_id, target.name, plural(rows, "row")
        )
        return ExportReport(target, rows, cancelled=False)

    @staticmethod
    def _write_export(
        session: Session,
        handle: IO[str],
        campaign_id: int,
        names: list[tuple[str, tuple[str, ...]]],
        zone: ZoneInfo,
        results: bool,
        cancel: CancelFlag | None,
    ) -> tuple[int, bool]:
        writer = csv.writer(handle)
        header = ["phone", "first_name", "last_name", *(name for name, _ in names)]
        if results:
            header += [
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
        writer.writerow([neutralise_cell(cell) for cell in header])
        sender = aliased(User)
        query = (
            select(
                Contact.phone,
                Contact.first_name,
                Contact.last_name,
                Conversation.fields,
                sender.name,
                Conversation.message_state,
                Conversation.sent_at,
                Conversation.delivered_at,
                Conversation.replied_at,
                Conversation.reply_text,
                Contact.opted_out_at,
                Conversation.at_risk,
                Conversation.continues_thread,
            )
            .join(Contact, Conversation.contact_id == Contact.id)
            .outerjoin(sender, Conversation.sender_id == sender.id)
            .where(Conversation.campaign_id == campaign_id)
            .order_by(Conversation.id)
            .execution_options(yield_per=CHUNK_ROWS)
        )

        def when(moment: datetime | None) -> str:
            return moment.astimezone(zone).isoformat(timespec="seconds") if moment else ""

        count = 0
        for row in session.execute(query):
            if count % CHUNK_ROWS == 0 and cancel is not None and cancel.is_set():
                return count, True
            fields = row.fields or {}
            cells = [
                format_phone(row.phone),
                neutralise_cell(row.first_name),
                neutralise_cell(row.last_name),
                *(neutralise_cell(_field_cell(fields, spellings)) for _, spellings in names),
            ]
            if results:
                cells += [
                    neutralise_cell(row.name or "Unassigned"),
                    row.message_state.label,
                    when(row.sent_at),
                    when(row.delivered_at),
                    when(row.replied_at),
                    neutralise_cell(row.reply_text or ""),
                    "yes" if row.opted_out_at else "no",
                    "yes" if row.at_risk else "no",
                    "yes" if row.continues_thread else "no",
                ]
            writer.writerow(cells)
            count += 1
        return count, False

    # ------------------------------------------------------------------ reads
    def field_names(self, actor: Actor, campaign_id: int) -> list[str]:
        """The fields of the campaign's contacts (the extra columns imported), by name (C8)."""
        with self._context.read(actor) as session:
            campaign = campaign_in_account(session, actor, campaign_id)
            return sorted(field_spellings(session, campaign.id))

    def field_values(
        self, actor: Actor, campaign_id: int, field_name: str, *, limit: int = 200
    ) -> list[str]:
        """The values ``field_name`` takes among the campaign's contacts, most frequent first
        (at most ``limit``): what a followup's targeting by field chooses from (C8). The name is
        matched whatever its case.
        """
        if not isinstance(field_name, str) or not field_name.strip():
            raise InvalidInput("Choose a field of the campaign's contacts.", field="targeting")
        with self._context.read(actor) as session:
            campaign = campaign_in_account(session, actor, campaign_id)
            spellings = spellings_of(session, campaign.id, field_name)
            # json_each matches the key as a value, so any column name works, quotes included.
            values = session.execute(
                text(
                    "SELECT field.value FROM conversation, json_each(conversation.fields) "
                    "AS field WHERE conversation.campaign_id = :campaign_id AND field.key IN "
                    "(SELECT value FROM json_each(:keys)) "
                    "GROUP BY field.value ORDER BY count(*) DESC, field.value LIMIT :limit"
                ),
                {
                    "campaign_id": campaign.id,
                    "keys": _json_list(list(spellings)),
                    "limit": max(0, limit),
                },
            ).scalars()
            return [str(value) for value in values]

    def conversations(
        self,
        actor: Actor,
        campaign_id: int,
        *,
        text_filter: str = "",
        offset: int = 0,
        limit: int = 200,
    ) -> Page[ConversationRow]:
        """A page of the campaign's conversations, by id; the filter matches phone or names."""
        with self._context.read(actor) as session:
            campaign = campaign_in_account(session, actor, campaign_id)
            sender = aliased(User)
            conditions = [Conversation.campaign_id == campaign.id]
            needle = text_filter.strip() if isinstance(text_filter, str) else ""
            if needle:
                digits = "".join(ch for ch in needle if ch.isascii() and ch.isdigit())
                matches = [
                    Contact.first_name.ilike(f"%{needle}%"),
                    Contact.last_name.ilike(f"%{needle}%"),
                ]
                if len(digits) >= 3:
                    matches.append(Contact.phone.like(f"%{digits}%"))
                conditions.append(or_(*matches))
            total = int(
                session.scalar(
                    select(func.count(Conversation.id))
                    .join(Contact, Conversation.contact_id == Contact.id)
                    .where(*conditions)
                )
                or 0
            )
            result = session.execute(
                select(Conversation, Contact, sender.name)
                .join(Contact, Conversation.contact_id == Contact.id)
                .outerjoin(sender, Conversation.sender_id == sender.id)
                .where(*conditions)
                .order_by(Conversation.id)
                .offset(max(0, offset))
                .limit(max(0, min(limit, 5000)))
            )
            rows = tuple(
                ConversationRow(
                    id=conversation.id,
                    contact_id=contact.id,
                    phone=contact.phone,
                    first_name=contact.first_name,
                    last_name=contact.last_name,
                    fields=dict(conversation.fields or {}),
                    sender_id=conversation.sender_id,
                    sender_name=sender_name,
                    message_state=conversation.message_state,
                    sent_at=conversation.sent_at,
                    delivered_at=conversation.delivered_at,
                    replied_at=conversation.replied_at,
                    reply_text=conversation.reply_text,
                    opted_out=contact.opted_out_at is not None,
                    at_risk=conversation.at_risk,
                    continues_thread=conversation.continues_thread,
                )
                for conversation, contact, sender_name in result
            )
            return Page(rows=rows, total=total, offset=offset)
