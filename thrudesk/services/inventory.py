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


def _draw(rng: random.Random, area_code: str, taken: set[str]) -> str:
    while True:
        exchange = rng.randint(200, 999)
        if exchange % 100 == 11:
            continue
        e164 = f"+1{area_code}{exchange:03d}{rng.randint(0, 9999):04d}"
        if e164 not in taken:
            return e164


def _new_e164s(session: Session, codes: Sequence[str]) -> list[str]:
    """A new number in each of ``codes`` (one per entry), none held by an unreleased number.

    Each area code draws from a generator seeded by the run seed, the area code and the store's
    latest number (S3); a draw that clashes is drawn again, and the clashes of a whole batch are
    looked up together.
    """
    taken_ids = session.scalar(select(PhoneNumber.id).order_by(PhoneNumber.id.desc()).limit(1))
    seed = run_seed(session)
    generators: dict[str, random.Random] = {}
    chosen: list[str | None] = [None] * len(codes)
    taken: set[str] = set()
    todo = list(range(len(codes)))
    while todo:
        drawn: dict[int, str] = {}
        for i in todo:
            code = codes[i]
            rng = generators.get(code)
            if rng is None:
                rng = generators[code] = random.Random(f"{seed}:{code}:{taken_ids or 0}")
            drawn[i] = _draw(rng, code, taken)
            taken.add(drawn[i])
        values = sorted(set(drawn.values()))
        clashes: set[str] = set()
        for start in range(0, len(values), 500):
            clashes.update(
                session.scalars(
                    select(PhoneNumber.e164).where(
                        PhoneNumber.e164.in_(values[start : start + 500]),
                        PhoneNumber.released_at.is_(None),
                    )
                )
            )
        todo = []
        for i, e164 in drawn.items():
            if e164 in clashes:
                todo.append(i)
            else:
                chosen[i] = e164
    return [e164 for e164 in chosen if e164 is not None]


def purchase(session: Session, preferences: Sequence[str], now: datetime) -> Purchase:
    """Buy one number, trying ``preferences`` in order; refuse when none has inventory (N8)."""
    [bought] = purchase_many(session, [preferences], now)
    return bought


def purchase_many(
    session: Session, requests: Sequence[Sequence[str]], now: datetime
) -> list[Purchase]:
    """Buy one number per request, each trying its preferences in order (N7, N8).

    Requests take hard-to-get stock in the order given; the first that finds none of its area
    codes available is refused (nothing is bought).
    """
    picks: list[tuple[str, int, tuple[str, ...]]] = []
    for preferences in requests:
        skipped: list[str] = []
        for position, area_code in enumerate(preferences, start=1):
            if area_codes.is_hard_to_get(area_code):
                stock = _stock(session, area_code, now)
                if stock.available <= 0:
                    skipped.append(area_code)
                    continue
                stock.available -= 1
            picks.append((area_code, position, tuple(skipped)))
            break
        else:
            codes = ", ".join(skipped[:-1]) + (" or " if len(skipped) > 1 else "") + skipped[-1]
            raise NoNumbersAvailable(
                f"No numbers available in {codes}. Choose another area code, or file a "
                "hard-to-get number request and support will add one for you.",
                field="area_codes",
            )
    numbers = _new_e164s(session, [area_code for area_code, _, _ in picks])
    return [
        Purchase(e164=e164, area_code=area_code, preference=position, skipped=skipped)
        for e164, (area_code, position, skipped) in zip(numbers, picks, strict=True)
    ]
