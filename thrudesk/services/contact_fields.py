"""The fields of a campaign's contacts (the extra columns of its imported files), by name.

Names that differ only in case are one field: a later file's "neighborhood" lands in the field
first imported as "Neighborhood", which keeps that spelling for display, and followup targeting
by either name reaches both. A store written before this rule may hold both spellings, each on
different conversations (a file never gives one row both: its header refuses that); they are read
as one field under the spelling imported first.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session


def field_key(name: str) -> str:
    """What makes two field names the same field: the name whatever its case."""
    return name.casefold()


def field_spellings(session: Session, campaign_id: int) -> dict[str, tuple[str, ...]]:
    """The campaign's fields: each by the spelling imported first, with every spelling stored
    for it (the first one first).
    """
    rows = session.execute(
        text(
            "SELECT field.key, min(conversation.id) FROM conversation, "
            "json_each(conversation.fields) AS field WHERE conversation.campaign_id = :campaign_id "
            "GROUP BY field.key"
        ),
        {"campaign_id": campaign_id},
    ).all()
    by_key: dict[str, list[str]] = {}
    for name, _first_id in sorted(rows, key=lambda row: (row[1], str(row[0]))):
        by_key.setdefault(field_key(str(name)), []).append(str(name))
    return {spellings[0]: tuple(spellings) for spellings in by_key.values()}


def spellings_of(session: Session, campaign_id: int, name: str) -> tuple[str, ...]:
    """Every spelling the campaign stores for the field ``name``; ``name`` itself if none."""
    wanted = field_key(name)
    for spellings in field_spellings(session, campaign_id).values():
        if field_key(spellings[0]) == wanted:
            return spellings
    return (name,)
