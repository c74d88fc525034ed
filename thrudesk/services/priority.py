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


def lower_this_thread() -> None:
    """Lower the calling thread's priority, where the system gives threads one of their own
    (Linux); elsewhere, do nothing.
    """
    if not sys.platform.startswith("linux"):
        return
    thread = threading.get_native_id()
    with suppress(OSError):
        now = os.getpriority(os.PRIO_PROCESS, thread)
        os.setpriority(os.PRIO_PROCESS, thread, min(LOWEST, now + NICENESS))


def lower_this_process() -> None:
    """Lower the priority of the calling process and of the threads it starts afterwards (for a
    process that does only such work); where there is no ``nice``, do nothing.
    """
    if hasattr(os, "nice"):
        with suppress(OSError):
            os.nice(NICENESS)
