"""N11 on a real D-Bus session bus: a private ``dbus-daemon`` per test, and the test itself as the
desktop's notification service (it owns ``org.freedesktop.Notifications`` and records each call).
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from dbus_fast import Message, MessageType
from dbus_fast.aio import MessageBus

from thrudesk.services.clock import ManualClock
from thrudesk.services.container import Services
from thrudesk.services.desktop import NOTIFICATIONS_NAME, DesktopNotifications, hang_up
from thrudesk.services.rows import ProvisioningStatus
from thrudesk.services.simulation.engine import Simulator
from thrudesk.services.starter import StarterAccount

pytestmark = pytest.mark.dbus

PATH = "/org/freedesktop/Notifications"
INTROSPECTION = f"""<!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd">
<node>
  <interface name="{NOTIFICATIONS_NAME}">
    <method name="GetCapabilities"><arg type="as" direction="out"/></method>
    <method name="Notify">
      <arg name="app_name" type="s" direction="in"/>
      <arg name="replaces_id" type="u" direction="in"/>
      <arg name="app_icon" type="s" direction="in"/>
      <arg name="summary" type="s" direction="in"/>
      <arg name="body" type="s" direction="in"/>
      <arg name="actions" type="as" direction="in"/>
      <arg name="hints" type="a{{sv}}" direction="in"/>
      <arg name="expire_timeout" type="i" direction="in"/>
      <arg name="id" type="u" direction="out"/>
    </method>
    <method name="CloseNotification"><arg type="u" direction="in"/></method>
    <method name="GetServerInformation">
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
    </method>
    <signal name="NotificationClosed"><arg type="u"/><arg type="u"/></signal>
    <signal name="ActionInvoked"><arg type="u"/><arg type="s"/></signal>
  </interface>
  <interface name="org.freedesktop.DBus.Introspectable">
    <method name="Introspect"><arg type="s" direction="out"/></method>
  </interface>
</node>
"""
# A session bus of the test's own: no service activation, so only what the test starts runs.
BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={folder}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


@dataclass
class Shown:
    app_name: str
    summary: str
    body: str
    actions: list[str]


@dataclass
class NotificationServer:
    """The desktop's notification service, played by the test."""

    bus: MessageBus
    shown: list[Shown] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    def handle(self, message: Message) -> Message | bool | None:
        if message.message_type is not MessageType.METHOD_CALL or message.path != PATH:
            return None
        member = message.member
        if member == "Introspect":
            return Message.new_method_return(message, "s", [INTROSPECTION])
        if member == "GetCapabilities":
            return Message.new_method_return(message, "as", [["body", "actions"]])
        if member == "GetServerInformation":
            return Message.new_method_return(message, "ssss", ["test", "thrudesk", "1", "1.2"])
        if member == "Notify":
            app_name, _, _, summary, body, actions, _, _ = message.body
            self.shown.append(Shown(app_name, summary, body, list(actions)))
            self.arrived.set()
            return Message.new_method_return(message, "u", [len(self.shown)])
        if member == "CloseNotification":
            return Message.new_method_return(message)
        return None

    def click(self, notification_id: int) -> None:
        """The admin clicks the notification's body (the "default" action)."""
        self.bus.send(
            Message.new_signal(
                PATH, NOTIFICATIONS_NAME, "ActionInvoked", "us", [notification_id, "default"]
            )
        )


async def start_server() -> NotificationServer:
    bus = await MessageBus().connect()
    server = NotificationServer(bus)
    bus.add_message_handler(server.handle)
    await bus.request_name(NOTIFICATIONS_NAME)
    return server


@pytest.fixture
def session_bus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A private D-Bus session bus; its address is the test's DBUS_SESSION_BUS_ADDRESS."""
    daemon = shutil.which("dbus-daemon")
    if daemon is None:
        pytest.skip("no dbus-daemon on this machine (install the dbus package to run this test)")
    config = tmp_path / "session.conf"
    config.write_text(BUS_CONFIG.format(folder=tmp_path), encoding="utf-8")
    process = subprocess.Popen(
        [daemon, f"--config-file={config}", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    try:
        address = process.stdout.readline().strip()
        assert address.startswith("unix:"), f"dbus-daemon gave no address: {address!r}"
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
        yield address
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


async def arrival(event: asyncio.Event, what: str) -> None:
    """Wait for D-Bus traffic to arrive (it is asynchronous), failing after a few seconds."""
    try:
        await asyncio.wait_for(event.wait(), timeout=5)
    except TimeoutError:
        pytest.fail(what)


def test_n11_desktop_notification_reaches_the_notification_service(
    session_bus: str,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    """N11: the initiator's desktop shows the outcome, and clicking it opens the number."""
    opened: list[tuple[str, int]] = []
    clicked = asyncio.Event()

    def on_activated(subject_type: str, subject_id: int) -> None:
        opened.append((subject_type, subject_id))
        clicked.set()

    desktop = DesktopNotifications("thrudesk", on_activated=on_activated)
    thrudesk_services.context.desktop = desktop
    admin = thrudesk_account.actor

    async def scenario() -> None:
        server = await start_server()
        try:
            thrudesk_simulator.force_next("complete")
            number = thrudesk_services.numbers.create_dedicated(
                admin, "415", thrudesk_account.use_case_id, "Field team"
            )
            sim_clock.advance(minutes=10)
            await desktop.drain()
            await arrival(server.arrived, "the notification server got no call")
            shown = server.shown[0]
            assert shown.app_name == "thrudesk"
            assert shown.summary == "Provisioning complete"
            assert shown.body == (
                f"{number.display} · Field team is ready: AT&T, Verizon and T-Mobile confirmed it."
            )
            assert "default" in shown.actions
            server.click(1)
            await arrival(clicked, "clicking the notification opened nothing")
            assert opened == [("phone_number", number.id)]
            row = thrudesk_services.numbers.get(admin, number.id)
            assert row.provisioning_status is ProvisioningStatus.COMPLETE
        finally:
            await desktop.close()
            await hang_up(server.bus)

    asyncio.run(scenario())
    assert desktop.available is True
    assert desktop.sent == 1


def test_n11_failure_notification_names_the_rejection(
    session_bus: str,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    """N11: a failed provisioning tells the initiator which carrier rejected it and why."""
    desktop = DesktopNotifications("thrudesk")
    thrudesk_services.context.desktop = desktop

    async def scenario() -> list[Shown]:
        server = await start_server()
        try:
            thrudesk_simulator.force_next("fail", reason="AT&T found no matching registration")
            number = thrudesk_services.numbers.create_dedicated(
                thrudesk_account.actor, "415", thrudesk_account.use_case_id
            )
            sim_clock.advance(minutes=10)
            await desktop.drain()
            await arrival(server.arrived, "the notification server got no call")
            assert server.shown[0].body.startswith(f"{number.display} was rejected: AT&T found")
            return server.shown
        finally:
            await desktop.close()
            await hang_up(server.bus)

    shown = asyncio.run(scenario())
    assert [s.summary for s in shown] == ["Provisioning failed"]


def test_n11_without_a_notification_service_the_in_app_one_remains(
    session_bus: str,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """N11: where nothing owns org.freedesktop.Notifications, a log line says so; the admin
    still finds the notification in the in-app list.
    """
    desktop = DesktopNotifications("thrudesk")
    thrudesk_services.context.desktop = desktop
    admin = thrudesk_account.actor

    async def scenario() -> None:
        thrudesk_simulator.force_next("complete")
        thrudesk_services.numbers.create_dedicated(admin, "415", thrudesk_account.use_case_id)
        sim_clock.advance(minutes=10)
        await desktop.close()

    with caplog.at_level(logging.INFO, logger="thrudesk.desktop"):
        asyncio.run(scenario())
    assert desktop.available is False
    assert desktop.reason is not None
    assert NOTIFICATIONS_NAME in desktop.reason
    assert any("desktop notifications are off" in r.getMessage() for r in caplog.records)
    assert desktop.sent == 0
    titles = [n.title for n in thrudesk_services.notifications.list(admin)]
    assert titles == ["Provisioning complete"]


def test_n11_without_a_session_bus_the_reason_is_logged(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    """N11: with no session bus at all (a bare server), notifying logs why and does not fail."""
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path / 'no-bus'}")
    desktop = DesktopNotifications("thrudesk")
    with caplog.at_level(logging.WARNING, logger="thrudesk.desktop"):
        desktop.notify(
            "Provisioning complete", "ready", user_id=1, subject_type="phone_number", subject_id=1
        )
    assert desktop.available is False
    assert desktop.reason is not None
    assert "D-Bus session bus" in desktop.reason
    assert any("desktop notifications are off" in r.getMessage() for r in caplog.records)


def test_n11_a_desktop_shows_only_its_own_admins_notifications(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """N11: the notification goes to the initiating admin; another admin's desktop stays quiet."""
    desktop = DesktopNotifications("thrudesk", recipient=lambda: 2)
    with caplog.at_level(logging.DEBUG, logger="thrudesk.desktop"):
        desktop.notify(
            "Provisioning complete", "ready", user_id=1, subject_type="phone_number", subject_id=1
        )
    assert desktop.available is None  # not even looked for a notification service
    assert desktop.sent == 0
    assert any("another admin" in r.getMessage() for r in caplog.records)
