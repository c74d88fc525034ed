"""What committed work changed, told to whoever listens (the window's Qt bridge, the simulator).

Listeners are plain callables, called after the commit, once per unit of work or simulator batch,
never once per row.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger("thrudesk.changes")

# Topics a change can touch; the window refreshes only what a change names.
NUMBERS = "numbers"
CAMPAIGNS = "campaigns"
CONVERSATIONS = "conversations"
# A campaign's contacts and the counters kept of them (an import): nothing of its status or
# number, so that the numbers' usage and the status bar are not read again for it.
AUDIENCE = "audience"
NOTIFICATIONS = "notifications"
ACCOUNTS = "accounts"
SIMULATION = "simulation"


@dataclass(frozen=True)
class Change:
    """The ids a committed unit of work touched, by topic."""

    account_ids: frozenset[int] = frozenset()
    number_ids: frozenset[int] = frozenset()
    campaign_ids: frozenset[int] = frozenset()
    topics: frozenset[str] = frozenset()

    def touches(self, topic: str) -> bool:
        return topic in self.topics


@dataclass
class ChangeCollector:
    """Gathers what a unit of work touches, to publish one :class:`Change` after commit."""

    account_ids: set[int] = field(default_factory=set)
    number_ids: set[int] = field(default_factory=set)
    campaign_ids: set[int] = field(default_factory=set)
    topics: set[str] = field(default_factory=set)

    def add(
        self,
        topic: str,
        *,
        account_id: int | None = None,
        number_id: int | None = None,
        campaign_id: int | None = None,
    ) -> None:
        self.topics.add(topic)
        if account_id is not None:
            self.account_ids.add(account_id)
        if number_id is not None:
            self.number_ids.add(number_id)
        if campaign_id is not None:
            self.campaign_ids.add(campaign_id)

    def gather(self, change: Change) -> None:
        """Add all that ``change`` touched (changes held for later, merged as they come)."""
        self.account_ids |= change.account_ids
        self.number_ids |= change.number_ids
        self.campaign_ids |= change.campaign_ids
        self.topics |= change.topics

    def freeze(self) -> Change:
        return Change(
            account_ids=frozenset(self.account_ids),
            number_ids=frozenset(self.number_ids),
            campaign_ids=frozenset(self.campaign_ids),
            topics=frozenset(self.topics),
        )


class ChangeBus:
    """A synchronous publish/subscribe of :class:`Change`; a failing listener is logged."""

    def __init__(self) -> None:
        self._listeners: list[Callable[[Change], None]] = []

    def subscribe(self, listener: Callable[[Change], None]) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[Change], None]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def publish(self, change: Change) -> None:
        if not change.topics:
            return
        for listener in list(self._listeners):
            try:
                listener(change)
            except Exception:
                log.exception("a change listener failed")
