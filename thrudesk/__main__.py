"""``python -m thrudesk``."""

from thrudesk.app import main

raise SystemExit(main())
