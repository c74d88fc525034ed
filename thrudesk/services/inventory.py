"""Buying numbers from the (simulated) carrier inventory, preference by preference (N7, N8).

Ordinary area codes always have numbers. Hard-to-get ones keep a stock of one number per area
code that comes back three days after it is taken; the stock is a token bucket refilled lazily
when read, so it needs no timer. The support desk can source one more number from a carrier's
reserve for a hard-to-get request.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from thrudesk.models import AreaCodeStock, PhoneNumber
from thrudesk.services import area_codes
from thrudesk.services.errors import NoNumbersAvailable
from thrudesk.services.simulation.state import run_seed

HARD_TO_GET_STOCK = 1
HARD_TO_GET_REFILL = timedelta(days=3)


@dataclass(frozen=True)
class Purchase:
    e164: str
    area_code: str
    preference: int  # 1-based position in the admin's list
    skipped: tuple[str, ...]  # preferred area codes that had nothing


def stock_capacity(area_code: str) -> int:
    """How many numbers a hard-to-get area code holds when full."""
    return HARD_TO_GET_STOCK


def _stock(session: Session, area_code: str, now: datetime) -> AreaCodeStock:
    capacity = stock_capacity(area_code)
    stock = session.get(AreaCodeStock, area_code)
    if stock is None:
        stock = AreaCodeStock(area_code=area_code, available=capacity, refilled_at=now)
        session.add(stock)
        session.flush()
    refills = int((now - stock.refilled_at) / HARD_TO_GET_REFILL)
    if refills > 0:
        stock.available = min(capacity, stock.available + refills)
        stock.refilled_at = stock.refilled_at + refills * HARD_TO_GET_REFILL
    if stock.available >= capacity:
        # A full bucket banks no refills: the next one comes three days after a purchase.
        stock.refilled_at = now
    return stock


def available_in(session: Session, area_code: str, now: datetime) -> bool:
    """Whether a number in ``area_code`` can be bought now."""
    if not area_codes.is_hard_to_get(area_code):
        return True
    return _stock(session, area_code, now).available > 0


def stock_level(session: Session, area_code: str, now: datetime) -> int | None:
    """Numbers left in a hard-to-get area code now; None for an ordinary one (no limit)."""
    if not area_codes.is_hard_to_get(area_code):
        return None
    return _stock(session, area_code, now).available


def next_refill_at(session: Session, area_code: str, now: datetime) -> datetime | None:
    """When a hard-to-get area code next gains a number; None when ordinary or already full."""
    if not area_codes.is_hard_to_get(area_code):
        return None
    stock = _stock(session, area_code, now)
    if stock.available >= stock_capacity(area_code):
        return None
    return stock.refilled_at + HARD_TO_GET_REFILL


def reserve_for_request(session: Session, area_code: str, now: datetime) -> None:
    """The support desk sources one number from a carrier's reserve (N8 requests).

    The caller buys it in the same transaction, so no one else can take it.
    """
    if area_codes.is_hard_to_get(area_code):
        _stock(session, area_code, now).available += 1


def _new_e164(session: Session, area_code: str) -> str:
    taken_ids = session.scalar(select(PhoneNumber.id).order_by(PhoneNumber.id.desc()).limit(1))
    rng = random.Random(f"{run_seed(session)}:{area_code}:{taken_ids or 0}")
    while True:
        exchange = rng.randint(200, 999)
        if exchange % 100 == 11:
            continue
        e164 = f"+1{area_code}{exchange:03d}{rng.randint(0, 9999):04d}"
        clash = session.scalar(
            select(PhoneNumber.id).where(
                PhoneNumber.e164 == e164, PhoneNumber.released_at.is_(None)
            )
        )
        if clash is None:
            return e164


def purchase(session: Session, preferences: Sequence[str], now: datetime) -> Purchase:
    """Buy one number, trying ``preferences`` in order; refuse when none has inventory (N8)."""
    skipped: list[str] = []
    for position, area_code in enumerate(preferences, start=1):
        if area_codes.is_hard_to_get(area_code):
            stock = _stock(session, area_code, now)
            if stock.available <= 0:
                skipped.append(area_code)
                continue
            stock.available -= 1
        return Purchase(
            e164=_new_e164(session, area_code),
            area_code=area_code,
            preference=position,
            skipped=tuple(skipped),
        )
    codes = ", ".join(skipped[:-1]) + (" or " if len(skipped) > 1 else "") + skipped[-1]
    raise NoNumbersAvailable(
        f"No numbers available in {codes}. Choose another area code, or file a hard-to-get "
        "number request and support will add one for you.",
        field="area_codes",
    )
