"""P1, the program's side: thrudesk as ``thrudesk --tab Campaigns --screenshot FILE`` runs it,
with the paint probe on its QApplication. Usage: ``python -m benchmarks.startup_program ARGS``.
"""

from __future__ import annotations

import sys


def main() -> int:
    # What the program loads before Qt, loaded before Qt here too: the probe's QApplication
    # must not change the order the program imports in.
    from thrudesk.app import load_before_qt

    load_before_qt()

    from PySide6.QtWidgets import QApplication

    from benchmarks.paint_probe import FirstPaintProbe

    # The program takes the running instance (QApplication.instance()); creating it here only
    # lets the probe watch from the first event.
    app = QApplication([sys.argv[0]])
    probe = FirstPaintProbe("campaigns_table")
    app.installEventFilter(probe)

    from thrudesk.app import main as thrudesk_main

    return thrudesk_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
