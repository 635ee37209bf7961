"""The store's interface: a database reached through transactions, with one object per table
(`store.approvals`, `store.glossaries`...) holding its SQL, written once for every dialect.

A backend gives connections and transactions (`read`, `transaction`) and its dialect's few
differences; the tables' SQL uses `?` placeholders, which a backend translates to its own."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Iterable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit, urlunsplit

from .records import Approval, DocumentRecord, GlossaryRecord, Record, Suggestion, Usage
from .sql import Cursor

log = logging.getLogger(__name__)


class Store(ABC):
    """Where what users keep lives. Safe to share between threads.

    Every fault of the database (away, locked past its timeout, full) is raised as
    `StoreUnavailableError`.
    """

    dialect: ClassVar[str]
    # Added to the row a claim selects, so that replicas claiming at once skip each other's.
    skip_locked: ClassVar[str] = ""

    def __init__(self, where: str) -> None:
        from .feeds import FeedEntries, Feeds
        from .jobs import Jobs
        from .tables import Approvals, Documents, Glossaries, Meta, Suggestions, UsageCounts

        self.where = where  # for messages: never a password
        self.meta = Meta(self)
        self.approvals = Approvals(self)
        self.suggestions = Suggestions(self)
        self.glossaries = Glossaries(self)
        self.documents = Documents(self)
        self.usage = UsageCounts(self)
        self.jobs = Jobs(self)
        self.feeds = Feeds(self)
        self.feed_entries = FeedEntries(self)

    @classmethod
    @abstractmethod
    def from_url(cls, url: str, root: Path | None = None) -> Store:
        """The store of `url` (a relative file is relative to `root`)."""

    @abstractmethod
    def read(self) -> AbstractContextManager[Cursor]:
        """A cursor for reads, each statement seeing the latest committed state."""

    @abstractmethod
    def transaction(self) -> AbstractContextManager[Cursor]:
        """A cursor inside a transaction: committed when the block ends, rolled back if it
        raises."""

    @abstractmethod
    def has_table(self, cursor: Cursor, name: str) -> bool:
        """Whether the table `name` exists."""

    def lock_schema(self, cursor: Cursor) -> None:  # noqa: B027 - SQLite's writes are serial
        """Hold, until the transaction ends, the lock that one migration at a time takes."""

    def migrate(self) -> int:
        """Bring the schema to the newest version this code knows; that version."""
        from .schema import migrate

        return migrate(self)

    @property
    def version(self) -> int:
        """The schema version of the store."""
        with self.read() as cursor:
            if not self.has_table(cursor, "schema_version"):
                return 0
            row = cursor.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0] or 0)

    def write(self, cursor: Cursor, records: Iterable[Record], add_usage: bool = False) -> int:
        """Write records of any kind within the caller's transaction (replacing those of the
        same id; usage counts set, or added to with `add_usage`); how many."""
        count = 0
        approvals = []
        for record in records:
            count += 1
            if isinstance(record, Approval):
                approvals.append(record)
            elif isinstance(record, Suggestion):
                self.suggestions.write(cursor, record)
            elif isinstance(record, GlossaryRecord):
                self.glossaries.write(cursor, record)
            elif isinstance(record, DocumentRecord):
                self.documents.write(cursor, record)
            elif isinstance(record, Usage):
                self.usage.write(cursor, record, add=add_usage)
        if approvals:
            self.approvals.write(cursor, approvals)
        return count

    @abstractmethod
    def close(self) -> None:
        """Close the connections."""


def shown(url: str) -> str:
    """`url` without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))
