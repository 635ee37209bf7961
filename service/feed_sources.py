"""The feeds file: the sources `depeche feeds` and `depeche serve` (`DEPECHE_FEEDS`) poll.

```toml
[feeds.ouest]
url = "https://www.ouest-example.fr/rss/une.xml"
interval = 300          # seconds between polls

[feeds.sud]
url = "https://sud-example.fr/atom"
interval = 600
```

A name is letters, digits, `-` and `_` (it names the English feed's file and URL); `digest`
is the combined feed's. Anything else in the file is refused, with the file and the table
named.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import ConfigurationError

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
RESERVED = ("digest",)
FIELDS = ("url", "interval")


@dataclass(frozen=True)
class FeedSource:
    """A feed to poll: its name, URL, and the seconds between polls."""

    name: str
    url: str
    interval: float


def load(path: Path) -> list[FeedSource]:
    """The feeds of the file `path`, in its order; `ConfigurationError` naming the file and
    what is wrong in it."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigurationError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise ConfigurationError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"{path}: not TOML: {exc}") from None
    return parse(data, str(path))


def parse(data: dict[str, Any], where: str) -> list[FeedSource]:
    """The feeds of a feeds file read as `data` (`where` starts each message)."""
    unknown = sorted(set(data) - {"feeds"})
    if unknown:
        raise ConfigurationError(
            f"{where}: unknown key {unknown[0]!r}; feeds are [feeds.NAME] tables"
        )
    feeds = data.get("feeds")
    if not isinstance(feeds, dict) or not feeds:
        raise ConfigurationError(
            f"{where}: no feeds; add a [feeds.NAME] table with url and interval"
        )
    return [_source(name, table, f"{where}: [feeds.{name}]") for name, table in feeds.items()]


def _source(name: str, table: Any, where: str) -> FeedSource:
    if not NAME.fullmatch(name) or name in RESERVED:
        raise ConfigurationError(
            f"{where}: a name is letters, digits, - and _ (at most 64), and not "
            f"{', '.join(RESERVED)}"
        )
    if not isinstance(table, dict):
        raise ConfigurationError(f"{where}: a table with url and interval")
    unknown = sorted(set(table) - set(FIELDS))
    if unknown:
        raise ConfigurationError(f"{where}: unknown key {unknown[0]!r} (a feed has url, interval)")
    url = table.get("url")
    parts = urlsplit(url) if isinstance(url, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigurationError(f"{where}: url must be an http:// or https:// URL")
    interval = table.get("interval")
    if (
        isinstance(interval, bool)
        or not isinstance(interval, int | float)
        or not 0 < interval < math.inf
    ):
        raise ConfigurationError(f"{where}: interval must be a number of seconds above 0")
    return FeedSource(name, str(url), float(interval))
