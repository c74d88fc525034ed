"""Coroutine slots on the qasync loop, typed, with a reference kept to every task they start."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from typing import Any, ParamSpec, cast

from PySide6.QtCore import Slot
from qasync import asyncSlot

P = ParamSpec("P")

# asyncio keeps only weak references to tasks: a slot's task is held here until it ends.
_running: set[asyncio.Task[None]] = set()


def async_slot(
    *types: type,
) -> Callable[[Callable[P, Coroutine[Any, Any, None]]], Callable[P, asyncio.Task[None]]]:
    """``@asyncSlot(*types)`` for handlers that wait (a confirmation, a long service call),
    declared a slot of its class with the signal's ``types`` like any other handler.
    """

    def decorate(
        handler: Callable[P, Coroutine[Any, Any, None]],
    ) -> Callable[P, asyncio.Task[None]]:
        slot = asyncSlot(*types)(handler)

        @Slot(*types)
        @functools.wraps(handler)
        def run(*args: P.args, **kwargs: P.kwargs) -> asyncio.Task[None]:
            task = cast(asyncio.Task[None], slot(*args, **kwargs))
            _running.add(task)
            task.add_done_callback(_running.discard)
            return task

        return run

    return decorate
