"""The throttle that keeps live counters from being re-read at every batch (QUALITY.md P2)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from thrudesk.views.throttle import Throttle


def test_p2_a_quiet_poke_runs_at_the_next_turn_and_a_burst_runs_once_when_its_interval_ends(
    qtbot: QtBot,
) -> None:
    calls: list[int] = []
    throttle = Throttle(200, lambda: calls.append(1))
    throttle.poke()
    assert calls == [], "not inside the code that poked"
    qtbot.waitUntil(lambda: calls == [1], timeout=50)  # a poke after a quiet spell: at once
    for _ in range(20):
        throttle.poke()
    assert calls == [1]
    assert throttle.pending
    qtbot.waitUntil(lambda: len(calls) == 2, timeout=2000)
    qtbot.waitUntil(lambda: not throttle.pending, timeout=100)
    qtbot.wait(300)
    assert len(calls) == 2, "twenty pokes in one interval make one refresh"


def test_p2_flush_runs_a_waiting_refresh_now_and_cancel_drops_it(qtbot: QtBot) -> None:
    calls: list[int] = []
    throttle = Throttle(10_000, lambda: calls.append(1))
    throttle.poke()
    throttle.poke()
    throttle.flush()
    assert calls == [1], "the waiting refresh ran now, once for both pokes"
    throttle.poke()
    assert throttle.pending, "ten seconds have not passed since"
    throttle.cancel()
    qtbot.wait(50)
    assert calls == [1]
    assert not throttle.pending
