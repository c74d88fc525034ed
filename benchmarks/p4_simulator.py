"""P4, the simulator: 10,000 numbers through one simulated week, manual clock, headless; against
raw sqlite3 ``executemany`` of the same state changes.

The program's side starts 10,000 dedicated numbers through the services (N2 allows five per
account, so 2,000 accounts of the ``accounts`` data set get five each, in one bulk start), then
advances the manual clock by a week: the simulator applies every carrier answer, completes or
fails every number and tells each initiator (N11). Timed: the start and the week.

The floor writes the very rows the program wrote (read back from the program's store after its
run, not timed): the numbers, their checks, events and jobs at the start; then the applied jobs,
the answered checks, the events, the decided numbers and the notifications, each with one
``executemany``, into a copy of the same store, with the program's pragmas. Goal: ≤ 5×.
"""

from __future__ import annotations

import sqlite3
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.harness import DATA_DIR, FigureResult, emit, interleaved, median, run_child

FIGURE = "P4"
GOAL = 5.0
NUMBERS_PER_ACCOUNT = 5
NUMBERS = 10_000
# Monday 2 March 2026, 00:00 US Eastern: the week runs from a quiet night through five busy
# afternoons and a weekend.
START = "2026-03-02T05:00:00+00:00"


def measure(pairs: int) -> FigureResult:
    from benchmarks.datasets import accounts_store, working_copy

    source, _facts = accounts_store()
    work = DATA_DIR / "work-p4"
    runs: list[dict[str, Any]] = []

    def program(index: int) -> float:
        store = working_copy(source, work / "program")
        answer = run_child("benchmarks.p4_simulator", ["program", str(store)], timeout=900)
        runs.append(answer)
        return float(answer["seconds"])

    def floor(index: int) -> float:
        store = working_copy(source, work / "floor")
        answer = run_child(
            "benchmarks.p4_simulator",
            ["floor", str(store), str(work / "program" / source.name)],
            timeout=900,
        )
        return float(answer["seconds"])

    ours, theirs = interleaved(program, floor, pairs=pairs, label=FIGURE)
    value, base = median(ours), median(theirs)
    last = runs[-1]
    return FigureResult(
        figure=FIGURE,
        what="10,000 numbers through a simulated week (s)",
        value=value,
        floor=base,
        goal=GOAL,
        unit="s",
        met=value / base <= GOAL,
        extra={
            "start_s": round(median([float(r["start_seconds"]) for r in runs]), 3),
            "week_s": round(median([float(r["week_seconds"]) for r in runs]), 3),
            "numbers": int(last["numbers"]),
            "complete": int(last["complete"]),
            "failed": int(last["failed"]),
            "carrier_answers": int(last["answers"]),
            "events": int(last["events"]),
            "notifications": int(last["notifications"]),
        },
    )


# ---------------------------------------------------------------------------------- program
def _program(path: str) -> dict[str, Any]:
    from datetime import datetime

    from sqlalchemy import func, select

    from thrudesk.models import Event, Notification, PhoneNumber, SimulationJob, UseCase, User
    from thrudesk.models.enums import JobKind, ProvisioningStatus, Role
    from thrudesk.services.clock import ManualClock
    from thrudesk.services.container import Services
    from thrudesk.services.numbers import DedicatedNumberRequest
    from thrudesk.services.simulation.engine import Simulator
    from thrudesk.services.store import open_store, url_for_path
    from thrudesk.services.unit_of_work import Actor

    store = open_store(url_for_path(Path(path)))
    clock = ManualClock(datetime.fromisoformat(START))
    services = Services(store, clock)
    simulator = Simulator(services, seed=4)
    simulator.start()
    with store.read() as session:
        admins = session.execute(
            select(User.account_id, User.id).where(User.role == Role.ADMIN).order_by(User.id)
        ).all()
        use_cases = dict(session.execute(select(UseCase.account_id, UseCase.id)).all())
    requests = [
        DedicatedNumberRequest(Actor(account_id, user_id), ["415"], use_cases[account_id])
        for account_id, user_id in admins[: NUMBERS // NUMBERS_PER_ACCOUNT]
        for _ in range(NUMBERS_PER_ACCOUNT)
    ]
    started = time.perf_counter()
    services.numbers.create_dedicated_many(requests)
    begun = time.perf_counter()
    clock.advance(days=7)
    finished = time.perf_counter()
    simulator.stop()
    with store.read() as session:
        statuses = dict(
            session.execute(
                select(PhoneNumber.provisioning_status, func.count()).group_by(
                    PhoneNumber.provisioning_status
                )
            ).all()
        )
        answers = session.scalar(
            select(func.count()).where(
                SimulationJob.kind == JobKind.CARRIER_ANSWER, SimulationJob.applied_at.is_not(None)
            )
        )
        events = session.scalar(select(func.count(Event.id)))
        notes = session.scalar(select(func.count(Notification.id)))
        pending = session.scalar(
            select(func.count()).where(
                SimulationJob.kind == JobKind.CARRIER_ANSWER, SimulationJob.applied_at.is_(None)
            )
        )
    store.dispose()
    if pending:
        raise RuntimeError(f"{pending} carrier answers were still pending after the week")
    return {
        "seconds": finished - started,
        "start_seconds": begun - started,
        "week_seconds": finished - begun,
        "numbers": sum(statuses.values()),
        "complete": statuses.get(ProvisioningStatus.COMPLETE, 0),
        "failed": statuses.get(ProvisioningStatus.FAILED, 0),
        "answers": answers,
        "events": events,
        "notifications": notes,
    }


# ---------------------------------------------------------------------------------- floor
def _rows(connection: sqlite3.Connection, sql: str, *args: object) -> list[tuple[Any, ...]]:
    return list(connection.execute(sql, args).fetchall())


def _columns(connection: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]


def _insert(table: str, columns: Sequence[str]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def _floor(path: str, program_store: str) -> dict[str, Any]:
    """Replay the program's writes as plain executemany calls (reading them is not timed)."""
    done = sqlite3.connect(f"file:{program_store}?mode=ro", uri=True)
    before_numbers = done.execute("SELECT min(id) FROM phone_number").fetchone()[0]
    first_event = done.execute("SELECT min(id) FROM event WHERE kind = 'number_bought'").fetchone()[
        0
    ]
    number_columns = _columns(done, "phone_number")
    numbers = _rows(done, f"SELECT {', '.join(number_columns)} FROM phone_number ORDER BY id")
    status_at = number_columns.index("provisioning_status")
    as_started = []
    for row in numbers:
        started = list(row)
        started[status_at] = "initiated"
        for name in ("completed_at", "failed_at", "failure_reason", "released_at"):
            started[number_columns.index(name)] = None
        as_started.append(tuple(started))
    check_columns = _columns(done, "carrier_check")
    checks = _rows(done, f"SELECT {', '.join(check_columns)} FROM carrier_check ORDER BY id")
    pending_checks = []
    for row in checks:
        opened = dict(zip(check_columns, row, strict=True))
        opened.update(status="pending", reason=None, answered_at=None)
        pending_checks.append(tuple(opened[c] for c in check_columns))
    event_columns = [c for c in _columns(done, "event") if c != "id"]
    start_events = _rows(
        done,
        f"SELECT {', '.join(event_columns)} FROM event WHERE id >= ? AND kind IN "
        "('number_bought', 'provisioning_started') ORDER BY id",
        first_event,
    )
    week_events = _rows(
        done,
        f"SELECT {', '.join(event_columns)} FROM event WHERE id >= ? AND kind NOT IN "
        "('number_bought', 'provisioning_started') ORDER BY id",
        first_event,
    )
    job_columns = [c for c in _columns(done, "simulation_job") if c != "applied_at"]
    jobs = _rows(
        done,
        f"SELECT {', '.join(job_columns)} FROM simulation_job ORDER BY id",
    )
    applied = _rows(
        done,
        "SELECT applied_at, id FROM simulation_job WHERE applied_at IS NOT NULL "
        "ORDER BY due_at, id",
    )
    answered = _rows(
        done,
        "SELECT status, answered_at, reason, id FROM carrier_check WHERE status != 'pending' "
        "ORDER BY answered_at, id",
    )
    decided = _rows(
        done,
        "SELECT provisioning_status, completed_at, failed_at, failure_reason, released_at, id "
        "FROM phone_number WHERE id >= ? ORDER BY id",
        before_numbers,
    )
    note_columns = [c for c in _columns(done, "notification") if c != "id"]
    notes = _rows(done, f"SELECT {', '.join(note_columns)} FROM notification ORDER BY id")
    done.close()

    connection = sqlite3.connect(path)
    # The program's own pragmas (thrudesk.services.store).
    pragmas = ("foreign_keys=ON", "busy_timeout=5000", "journal_mode=WAL", "synchronous=NORMAL")
    for pragma in pragmas:
        connection.execute(f"PRAGMA {pragma}")
    began = time.perf_counter()
    # The start: numbers, their checks, their events and their jobs.
    connection.executemany(_insert("phone_number", number_columns), as_started)
    connection.executemany(_insert("carrier_check", check_columns), pending_checks)
    connection.executemany(_insert("event", event_columns), start_events)
    connection.executemany(_insert("simulation_job", job_columns), jobs)
    connection.commit()
    # The week: jobs applied, checks answered, events, numbers decided, initiators told.
    connection.executemany("UPDATE simulation_job SET applied_at = ? WHERE id = ?", applied)
    connection.executemany(
        "UPDATE carrier_check SET status = ?, answered_at = ?, reason = ? WHERE id = ?", answered
    )
    connection.executemany(_insert("event", event_columns), week_events)
    connection.executemany(
        "UPDATE phone_number SET provisioning_status = ?, completed_at = ?, failed_at = ?, "
        "failure_reason = ?, released_at = ? WHERE id = ?",
        decided,
    )
    connection.executemany(_insert("notification", note_columns), notes)
    connection.commit()
    seconds = time.perf_counter() - began
    connection.close()
    return {
        "seconds": seconds,
        "rows": len(as_started)
        + len(pending_checks)
        + len(start_events)
        + len(jobs)
        + len(applied)
        + len(answered)
        + len(week_events)
        + len(decided)
        + len(notes),
    }


def main(argv: list[str]) -> int:
    if argv[0] == "program":
        emit(_program(argv[1]))
    else:
        emit(_floor(argv[1], argv[2]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
