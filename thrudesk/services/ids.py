"""Ids a caller hands the services, checked for their type before anything is looked up by them.

The store finds campaign 5 by ``"5"``, ``5.0`` or ``True`` as well as by ``5``: without this
check, a wrong-typed id reaches a thing nobody chose (DOMAIN.md, Errors: ids are checked for
their type). Every lookup of a thing by a caller's id goes through :func:`checked_id`.
"""

from __future__ import annotations

from collections.abc import Iterable

from thrudesk.services.errors import InvalidInput


def checked_id(value: object, what: str, *, field: str) -> int:
    """``value`` if it is an id (a whole number, not a bool); refused otherwise, naming ``what``
    it should have been the id of (``"campaign"``).
    """
    if type(value) is not int:
        shown = str(value)[:40]
        raise InvalidInput(
            f"“{shown}” is not a {what} id; choose the {what} from the list.", field=field
        )
    return value


def checked_ids(values: object, what: str, *, field: str) -> list[int]:
    """Each of ``values`` checked by :func:`checked_id`, in their order."""
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise InvalidInput(f"Choose the {what}s from the list.", field=field)
    return [checked_id(value, what, field=field) for value in values]
