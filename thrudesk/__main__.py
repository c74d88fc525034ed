"""``python -m thrudesk``, and the bundled program's entry point."""

import sys

from thrudesk.app import main

if getattr(sys, "frozen", False):
    # In the bundled program, a contacts import's own process starts as this program again,
    # with multiprocessing's arguments: this hands it to multiprocessing instead of opening a
    # window. (Elsewhere it does nothing, and multiprocessing is not worth loading for it.)
    import multiprocessing

    multiprocessing.freeze_support()
raise SystemExit(main())
