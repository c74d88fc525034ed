"""Desktop notifications (N11) through the desktop's notification service.

On Linux that is whoever owns ``org.freedesktop.Notifications`` on the D-Bus session bus (GNOME
Shell, KDE Plasma, dunst, mako …), reached with desktop-notifier; on macOS and Windows,
desktop-notifier's own backends. Before the first notification (and again a little later after a
failure) the session bus is probed, so that where no service runs, one log line says why and the
in-app list (written by :class:`~thrudesk.services.notifications.NotificationService` whatever
happens here) stays the admin's only copy.

Clicking a notification calls ``on_activated(subject_type, subject_id)``, which the window uses to
open that number or campaign; that needs the asyncio loop the notification was sent from to keep
running, as the application's qasync loop does.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import cast

from dbus_fast import Message, MessageType
from dbus_fast.aio import MessageBus
from desktop_notifier import DesktopNotifier, Icon

log = logging.getLogger("thrudesk.desktop")

NOTIFICATIONS_NAME = "org.freedesktop.Notifications"
PROBE_TIMEOUT_S = 2.0
# After finding no service, look again no sooner than this (a desktop may start one later).
REPROBE_AFTER_S = 60.0


async def _bus_call(
    bus: MessageBus, member: str, signature: str = "", body: list[object] | None = None
) -> list[object]:
    reply = await bus.call(
        Message(
            destination="org.freedesktop.DBus",
            path="/org/freedesktop/DBus",
            interface="org.freedesktop.DBus",
            member=member,
            signature=signature,
            body=body or [],
        )
    )
    if reply is None or reply.message_type is MessageType.ERROR:
        error = reply.error_name if reply is not None else "no reply"
        raise RuntimeError(f"{member} failed: {error}")
    return list(reply.body)


async def notification_service_status() -> str | None:
    """None when a notification service is reachable, else why not (in an admin's words)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        bus = await asyncio.wait_for(MessageBus().connect(), PROBE_TIMEOUT_S)
    except Exception as error:
        return f"there is no D-Bus session bus to reach ({error or type(error).__name__})"
    try:
        (owned,) = await asyncio.wait_for(
            _bus_call(bus, "NameHasOwner", "s", [NOTIFICATIONS_NAME]), PROBE_TIMEOUT_S
        )
        if owned:
            return None
        (activatable,) = await asyncio.wait_for(
            _bus_call(bus, "ListActivatableNames"), PROBE_TIMEOUT_S
        )
        if isinstance(activatable, list) and NOTIFICATIONS_NAME in activatable:
            return None
        return (
            "no notification service is running on this desktop "
            f"(nothing owns {NOTIFICATIONS_NAME} on the session bus)"
        )
    except Exception as error:
        return f"the D-Bus session bus did not answer ({error or type(error).__name__})"
    finally:
        bus.disconnect()


async def hang_up(bus: MessageBus) -> None:
    """Disconnect from the bus and wait until the connection is closed."""
    if not bus.connected:
        return
    bus.disconnect()
    # dbus-fast leaves this coroutine unannotated.
    wait = cast(Callable[[], Awaitable[None]], bus.wait_for_disconnect)
    with contextlib.suppress(Exception):
        await wait()


class DesktopNotifications:
    """Shows provisioning outcomes on the desktop; implements the services' DesktopNotifier.

    ``available`` is None until the first probe, then whether a notification service answered;
    ``reason`` says why not when it did not.
    """

    def __init__(
        self,
        app_name: str,
        *,
        on_activated: Callable[[str, int], None] | None = None,
        app_icon: Path | None = None,
        recipient: Callable[[], int | None] | None = None,
    ) -> None:
        self.app_name = app_name
        self.on_activated = on_activated
        # The admin this desktop belongs to (the one the window acts as); None: every admin.
        self.recipient = recipient
        self._icon = Icon(path=app_icon) if app_icon is not None else None
        self.available: bool | None = None
        self.reason: str | None = None
        self._probed_at = 0.0
        self._told_reason: str | None = None
        # desktop-notifier keeps its D-Bus connection on the loop it was first used from.
        self._notifiers: dict[asyncio.AbstractEventLoop, DesktopNotifier] = {}
        self._sending: set[asyncio.Task[bool]] = set()
        self.sent = 0

    async def probe(self) -> bool:
        """Look for a notification service now; log once why there is none."""
        self.reason = await notification_service_status()
        self.available = self.reason is None
        self._probed_at = time.monotonic()
        if self.reason is not None and self.reason != self._told_reason:
            log.warning(
                "desktop notifications are off: %s; notifications stay in the in-app list",
                self.reason,
            )
        self._told_reason = self.reason
        return self.available

    def notify(
        self, title: str, body: str, *, user_id: int, subject_type: str, subject_id: int
    ) -> None:
        """Show a notification (after the commit that wrote its in-app copy); never raises.

        A notification for another admin stays in that admin's in-app list only (N11).
        """
        wanted = self.recipient() if self.recipient is not None else None
        if wanted is not None and wanted != user_id:
            log.debug("desktop notification for another admin not shown here: %s", title)
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is not None:
            task = loop.create_task(
                self.send(title, body, subject_type=subject_type, subject_id=subject_id)
            )
            self._sending.add(task)
            task.add_done_callback(self._sending.discard)
            return
        # No loop (a headless tool): send on a short-lived loop of our own; nobody can click.
        runner = asyncio.new_event_loop()
        try:
            runner.run_until_complete(
                self.send(title, body, subject_type=subject_type, subject_id=subject_id)
            )
        except Exception:
            log.exception("the desktop notification “%s” could not be shown", title)
        finally:
            self._notifiers.pop(runner, None)
            runner.close()

    async def send(self, title: str, body: str, *, subject_type: str, subject_id: int) -> bool:
        """Send one notification; answers whether it went to a notification service."""
        stale = time.monotonic() - self._probed_at > REPROBE_AFTER_S
        if self.available is None or (self.available is False and stale):
            await self.probe()
        if not self.available:
            log.info("desktop notification not shown (%s): %s", self.reason, title)
            return False

        def activated() -> None:
            if self.on_activated is None:
                return
            try:
                self.on_activated(subject_type, subject_id)
            except Exception:
                log.exception("opening %s %d from a notification failed", subject_type, subject_id)

        try:
            await self._notifier().send(title, body, icon=self._icon, on_clicked=activated)
        except Exception as error:
            # The service went away between the probe and the call: look again next time.
            self.available = False
            self.reason = f"the notification service failed ({error})"
            log.warning("desktop notification “%s” not shown: %s", title, self.reason)
            return False
        self.sent += 1
        return True

    async def drain(self) -> None:
        """Wait until every notification handed to :meth:`notify` has been sent."""
        while self._sending:
            await asyncio.gather(*list(self._sending), return_exceptions=True)

    async def close(self) -> None:
        """Send what is pending, then hang up this loop's connection to the session bus."""
        await self.drain()
        notifier = self._notifiers.pop(asyncio.get_running_loop(), None)
        # desktop-notifier has no public way to hang up; its D-Bus backend keeps ``bus``.
        bus = getattr(getattr(notifier, "_backend", None), "bus", None)
        if isinstance(bus, MessageBus):
            await hang_up(bus)

    def _notifier(self) -> DesktopNotifier:
        loop = asyncio.get_running_loop()
        notifier = self._notifiers.get(loop)
        if notifier is None:
            for old in [known for known in self._notifiers if known.is_closed()]:
                del self._notifiers[old]
            notifier = DesktopNotifier(app_name=self.app_name, app_icon=self._icon)
            self._notifiers[loop] = notifier
        return notifier
