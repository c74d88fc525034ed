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
    qtbot.wait(50)
    assert calls == [1], "a burst waits for the interval to end"
    qtbot.waitUntil(lambda: len(calls) == 2, timeout=2000)
    qtbot.wait(300)
    assert len(calls) == 2, "twenty pokes in one interval make one refresh"
