"""The feeds file: read into sources, or refused with the file and the table named."""

from __future__ import annotations

from pathlib import Path

import pytest
from depeche.errors import ConfigurationError
from depeche.feed_sources import FeedSource, load

GOOD = """
[feeds.ouest]
url = "https://ouest.example/rss"
interval = 300

[feeds.sud-2]
url = "http://sud.example/atom"
interval = 0.5
"""


def test_a_feeds_file_gives_its_sources_in_order(tmp_path: Path) -> None:
    path = tmp_path / "FEEDS.toml"
    path.write_text(GOOD, encoding="utf-8")
    assert load(path) == [
        FeedSource("ouest", "https://ouest.example/rss", 300.0),
        FeedSource("sud-2", "http://sud.example/atom", 0.5),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no feeds; add a [feeds.NAME] table"),
        ("[feeds]\n", "no feeds"),
        ("feeds = 3\n", "no feeds"),
        ("[feed.ouest]\nurl = 'https://x/'\ninterval = 1\n", "unknown key 'feed'"),
        ("[feeds.ouest\n", "not TOML"),
        ("[feeds.ouest]\nurl = 'https://x/'\n", "[feeds.ouest]: interval must be a number"),
        ("[feeds.ouest]\nurl = 'https://x/'\ninterval = 0\n", "interval must be a number"),
        ("[feeds.ouest]\nurl = 'https://x/'\ninterval = nan\n", "interval must be a number"),
        ("[feeds.ouest]\nurl = 'https://x/'\ninterval = inf\n", "interval must be a number"),
        ("[feeds.ouest]\nurl = 'https://x/'\ninterval = true\n", "interval must be a number"),
        ("[feeds.ouest]\nurl = 'https://x/'\ninterval = '60'\n", "interval must be a number"),
        ("[feeds.ouest]\ninterval = 60\n", "[feeds.ouest]: url must be an http"),
        ("[feeds.ouest]\nurl = 'ftp://x/'\ninterval = 60\n", "url must be an http"),
        ("[feeds.ouest]\nurl = 'https://'\ninterval = 60\n", "url must be an http"),
        ("[feeds.ouest]\nurl = 'x'\ninterval = 60\nlang = 'fr'\n", "unknown key 'lang'"),
        ("[feeds.digest]\nurl = 'https://x/'\ninterval = 60\n", "[feeds.digest]: a name is"),
        ("[feeds.'a b']\nurl = 'https://x/'\ninterval = 60\n", "[feeds.a b]: a name is"),
        ("[feeds]\nouest = 'https://x/'\n", "[feeds.ouest]: a table with url and interval"),
    ],
)
def test_a_bad_feeds_file_is_refused_with_what_is_wrong(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "FEEDS.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigurationError) as raised:
        load(path)
    assert str(raised.value).startswith(f"{path}: ")
    assert message in str(raised.value)


def test_a_feeds_file_that_cannot_be_read_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"absent\.toml: cannot be read"):
        load(tmp_path / "absent.toml")
    (tmp_path / "latin.toml").write_bytes(b"# \xe9t\xe9\n")
    with pytest.raises(ConfigurationError, match=r"latin\.toml: not UTF-8 text \(byte 2\)"):
        load(tmp_path / "latin.toml")
