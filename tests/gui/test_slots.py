"""Every handler the window connects is a slot its class declares (``@Slot``), so connecting it
adds nothing to the object.

Connected to a method that its class does not declare as a slot, with the signal's own
argument types, PySide6 adds a slot to that one object and builds the object a meta-object of
its own: a connection costs three times as much, at every tab, card and dialog built, and more
for the first object of a class (QUALITY.md P1, P3).
"""

from __future__ import annotations

import ast
import importlib
import inspect
from collections import Counter
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.gui.every_dialog import every_dialog
from thrudesk.services.clock import ManualClock
from thrudesk.services.container import Services
from thrudesk.services.simulation.engine import Simulator
from thrudesk.services.starter import StarterAccount
from thrudesk.views.main_window import MainWindow

VIEWS = Path(__file__).resolve().parents[2] / "thrudesk" / "views"


def _methods(found: QObject) -> list[str]:
    """The signatures of the signals and slots on ``found``'s own level of its meta-object."""
    meta = found.metaObject()
    return [
        bytes(meta.method(index).methodSignature().data()).decode()
        for index in range(meta.methodOffset(), meta.methodCount())
    ]


def _declared(kind: type[QObject], name: str) -> bool:
    """Whether ``kind`` declares ``name`` as a signal or as a slot (``@Slot`` marks the
    function it decorates).
    """
    member = inspect.getattr_static(kind, name, None)
    return isinstance(member, Signal) or hasattr(member, "_slots")


def _slots_added(objects: list[QObject]) -> list[str]:
    """The slots that connections gave our objects beyond what their classes declare
    (``Class.method(types)``): a method not declared a slot, or a second slot beside the
    declared one where the types differ from the signal's.
    """
    added: list[str] = []
    for found in objects:
        kind = type(found)
        if not kind.__module__.startswith("thrudesk."):
            continue
        signatures = _methods(found)
        names = Counter(signature.partition("(")[0] for signature in signatures)
        added.extend(
            f"{kind.__qualname__}.{signature}"
            for signature in signatures
            if not _declared(kind, signature.partition("(")[0])
            or names[signature.partition("(")[0]] > 1
        )
    return added


def _everything() -> list[QObject]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    objects: list[QObject] = []
    for widget in app.topLevelWidgets():
        objects.append(widget)
        objects.extend(widget.findChildren(QObject))
    return objects


def test_every_handler_the_window_and_its_dialogs_connect_is_a_declared_slot(
    qtbot: QtBot,
    window: MainWindow,
    thrudesk_services: Services,
    thrudesk_simulator: Simulator,
    thrudesk_account: StarterAccount,
    sim_clock: ManualClock,
) -> None:
    window.tabs.setCurrentIndex(1)
    window.tabs.setCurrentIndex(0)
    objects = _everything()
    added = set(_slots_added(objects))
    seen = len(objects)
    for _opened in every_dialog(
        qtbot, window, thrudesk_services, thrudesk_simulator, thrudesk_account, sim_clock
    ):
        objects = _everything()
        added |= set(_slots_added(objects))
        seen = max(seen, len(objects))
    added |= set(_slots_added(_everything()))

    assert seen > 500, "the window and its dialogs were not all built"
    undeclared = sorted(added)
    assert undeclared == [], f"declare these with @Slot(...) and the signal's types: {undeclared}"


def _connected_handlers(path: Path) -> list[tuple[str, str]]:
    """Each ``(class, method)`` whose ``self.method`` the module connects to a signal."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found: list[tuple[str, str]] = []
    for kind in (node for node in ast.walk(tree) if isinstance(node, ast.ClassDef)):
        for call in (node for node in ast.walk(kind) if isinstance(node, ast.Call)):
            target = call.args[0] if call.args else None
            if (
                isinstance(call.func, ast.Attribute)
                and call.func.attr == "connect"
                and isinstance(target, ast.Attribute)
                and isinstance(target.value, ast.Name)
                and target.value.id == "self"
            ):
                found.append((kind.name, target.attr))
    return found


def test_every_handler_the_views_connect_is_declared_a_slot_even_where_no_test_connects_it() -> (
    None
):
    """The same, read from the code: the handlers of imports, readings and the About box that
    the test above does not reach.
    """
    undeclared: list[str] = []
    checked = 0
    for path in sorted(VIEWS.glob("*.py")):
        module = importlib.import_module(f"thrudesk.views.{path.stem}")
        for class_name, method in _connected_handlers(path):
            kind = getattr(module, class_name, None)
            if not (isinstance(kind, type) and issubclass(kind, QObject)):
                continue
            owner = next((base for base in kind.__mro__ if method in vars(base)), kind)
            if isinstance(vars(owner).get(method), Signal):
                continue  # a signal passed on is not a handler
            if not owner.__module__.startswith("thrudesk."):
                continue  # one of Qt's own slots (close, reject)
            checked += 1
            if not _declared(kind, method):
                undeclared.append(f"{class_name}.{method}")
    assert checked > 100, "the views' connections were not found"
    assert undeclared == [], f"declare these with @Slot(...) and the signal's types: {undeclared}"
