"""PyInstaller hook for phonenumbers, used by packaging/thrudesk.spec in place of the general one.

The general hook takes every submodule, 40 MB of geocoding, carrier and time-zone tables among
them, which thrudesk never loads (its area-code catalogue is derived from them ahead of time).
The spec names the metadata thrudesk does load; this hook adds nothing to it.
"""

hiddenimports: list[str] = []
