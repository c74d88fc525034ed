"""Alembic migrations of the store, shipped inside the package.

``HEAD_REVISION`` lets start-up see that a store is current without importing Alembic; a unit test
holds it equal to the scripts' head, and ``KNOWN_REVISIONS`` to every script's revision.
"""

HEAD_REVISION = "0004"
KNOWN_REVISIONS = frozenset({"0001", "0002", "0003", "0004"})
