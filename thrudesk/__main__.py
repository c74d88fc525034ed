"""``python -m thrudesk``, and the bundled program's entry point."""

import multiprocessing

from thrudesk.app import main

# In the bundled program, a contacts import's own process starts as this program again, with
# multiprocessing's arguments: this hands it to multiprocessing instead of opening a window.
multiprocessing.freeze_support()
raise SystemExit(main())
