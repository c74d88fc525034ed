"""Notifications to admins: the in-app list, and the desktop when one is there (N11)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from sqlalchemy import bindparam, func, select, update

from thrudesk.models import Notification
from thrudesk.services import bulk
from thrudesk.services.changes import NOTIFICATIONS
from thrudesk.services.context import DesktopNotifier, ServiceContext
from thrudesk.services.errors import NotFound
from thrudesk.services.ids import checked_id
from thrudesk.services.rows import NotificationRow
from thrudesk.services.unit_of_work import Actor, Change, UnitOfWork

log = logging.getLogger("thrudesk.notifications")


@dataclass(frozen=True)
class Note:
    """One notification to write: to whom, about what, and when (the unit of work's now if
    None).
    """

    account_id: int
    user_id: int
    subject_type: str
    subject_id: int
    title: str
    body: str
    at: datetime | None = None


def _show(desktop: DesktopNotifier, note: Note) -> None:
    desktop.notify(
        note.title,
        note.body,
        user_id=note.user_id,
        subject_type=note.subject_type,
        subject_id=note.subject_id,
    )


class NotificationService:
    """Writes notifications in the sender's unit of work and shows them once it commits."""

    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def notify(
        self,
        uow: UnitOfWork,
        *,
        account_id: int,
        user_id: int,
        subject_type: str,
        subject_id: int,
        title: str,
        body: str,
    ) -> None:
        self.notify_many(uow, [Note(account_id, user_id, subject_type, subject_id, title, body)])

    def notify_many(self, uow: UnitOfWork, notes: Sequence[Note]) -> None:
        """Write many notifications with one insert (a simulator batch); each is shown on the
        desktop once the unit of work commits, as :meth:`notify` does.
        """
        if not notes:
            return
        bulk.insert_rows(
            uow.session,
            "notification",
            ("account_id", "user_id", "subject_type", "subject_id", "title", "body", "created_at"),
            [
                (
                    note.account_id,
                    note.user_id,
                    note.subject_type,
                    note.subject_id,
                    note.title,
                    note.body,
                    bulk.stored_datetime(note.at or uow.now),
                )
                for note in notes
            ],
        )
        for note in notes:
            uow.changes.add(NOTIFICATIONS, account_id=note.account_id)
        desktop = self._context.desktop
        if desktop is not None:
            for note in notes:
                uow.after_commit(partial(_show, desktop, note))

    def list(self, actor: Actor, *, limit: int = 100) -> list[NotificationRow]:
        """The actor's notifications, newest first."""
        with self._context.read(actor) as session:
            rows = session.scalars(
                select(Notification)
                .where(
                    Notification.user_id == actor.user_id,
                    Notification.account_id == actor.account_id,
                )
                .order_by(Notification.created_at.desc(), Notification.id.desc())
                .limit(limit)
            )
            return [
                NotificationRow(
                    id=n.id,
                    subject_type=n.subject_type,
                    subject_id=n.subject_id,
                    title=n.title,
                    body=n.body,
                    created_at=n.created_at,
                    read=n.read_at is not None,
                )
                for n in rows
            ]

    # Built once, the admin bound at each read: the toolbar's count is read again whenever a
    # simulator batch notifies (P2), and building the statement cost as much as running it.
    _unread = select(func.count(Notification.id)).where(
        Notification.user_id == bindparam("user_id"),
        Notification.account_id == bindparam("account_id"),
        Notification.read_at.is_(None),
    )

    def unread_count(self, actor: Actor) -> int:
        with self._context.read(actor) as session:
            admin = {"user_id": actor.user_id, "account_id": actor.account_id}
            return session.scalar(self._unread, admin) or 0

    def mark_read(self, actor: Actor, notification_id: int) -> NotificationRow:
        with self._context.unit_of_work(actor, Change.READ_NOTIFICATIONS) as uow:
            notification = uow.session.get(
                Notification, checked_id(notification_id, "notification", field="notification")
            )
            if notification is None or notification.user_id != actor.user_id:
                raise NotFound("That notification does not exist.", field="notification")
            if notification.read_at is None:
                notification.read_at = uow.now
                uow.changes.add(NOTIFICATIONS, account_id=actor.account_id)
            return NotificationRow(
                id=notification.id,
                subject_type=notification.subject_type,
                subject_id=notification.subject_id,
                title=notification.title,
                body=notification.body,
                created_at=notification.created_at,
                read=True,
            )

    def mark_all_read(self, actor: Actor) -> None:
        with self._context.unit_of_work(actor, Change.READ_NOTIFICATIONS) as uow:
            uow.session.execute(
                update(Notification)
                .where(
                    Notification.user_id == actor.user_id,
                    Notification.account_id == actor.account_id,
                    Notification.read_at.is_(None),
                )
                .values(read_at=uow.now)
            )
            uow.changes.add(NOTIFICATIONS, account_id=actor.account_id)
