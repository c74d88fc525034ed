"""Work that can wait gives the processor to the window's thread first (QUALITY.md P2, P5).

On a machine with two cores, a contacts import, the reading of a big campaign and the window's
own thread can all want a core at once; the window's thread then lost whole time slices to work
nobody was waiting for. Such work runs at a lower priority: it still gets every core the window
leaves idle.
"""

from __future__ import annotations

import os
import sys
import threading
from contextlib import suppress

# What ``nice`` calls the lowering: 10 of the 19 steps below a normal program.
NICENESS = 10
LOWEST = 19


def window_niceness() -> int:
    """The niceness of the process's main thread, the window's (0 where there is none)."""
    if not hasattr(os, "getpriority"):
        return 0
    try:
        return os.getpriority(os.PRIO_PROCESS, os.getpid())
    except OSError:
        return 0


def background_niceness(window: int) -> int:
    """The niceness of work that can wait, beside a window of niceness ``window``."""
    return min(LOWEST, window + NICENESS)


def lower_this_thread() -> None:
    """Lower the calling thread below the window's, where the system gives threads a priority
    of their own (Linux); elsewhere, do nothing. A thread already that low is left as it is.
    """
    if sys.platform.startswith("linux"):
        _lower(threading.get_native_id(), background_niceness(window_niceness()))


def lower_this_process(window: int) -> None:
    """Lower the calling process, and the threads it starts afterwards, below a window of
    niceness ``window`` (for a process that does only such work; its own main thread calls it).
    It may have been started already that low, by a thread that was.
    """
    if hasattr(os, "setpriority"):
        _lower(0, background_niceness(window))


def _lower(who: int, niceness: int) -> None:
    # Only ever lowered: raising a priority again takes a privilege a desktop program lacks.
    with suppress(OSError):
        if os.getpriority(os.PRIO_PROCESS, who) < niceness:
            os.setpriority(os.PRIO_PROCESS, who, niceness)
