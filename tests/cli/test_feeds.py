"""`depeche feeds FEEDS.toml -o OUT --once`, as cron runs it: each feed polled once, the
English feeds and the digest written, a feed that fails said on stderr (exit 1), the next run
finding what the store remembers."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from depeche.cli import main
from depeche.config import get_settings
from depeche.translator import Translator

from tests import wire_items
from tests.feed_server import FeedSite, rss
from tests.http_server import Server


@pytest.fixture
def cron(env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The CLI's settings with a store of this test's, and no summaries; the SIGTERM handler
    the command installs is put back afterwards."""
    monkeypatch.setenv("DEPECHE_SUMMARIZATION_MODEL", "none")
    monkeypatch.setenv("DEPECHE_STORE_URL", f"sqlite:///{tmp_path}/store.sqlite3")
    get_settings.cache_clear()
    handler = signal.getsignal(signal.SIGTERM)
    yield
    signal.signal(signal.SIGTERM, handler)
    get_settings.cache_clear()


def test_feeds_once_polls_each_feed_and_writes_them_in_english(
    cron: None, translator: Translator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = FeedSite()
    site.feeds = {"/ouest": rss(1, 0), "/sud": wire_items.ATOM}
    site.failing = {"/down": (500, {})}
    listing, out = tmp_path / "FEEDS.toml", tmp_path / "english"
    with Server(site) as server:
        listing.write_text(
            "".join(
                f'[feeds.{name}]\nurl = "{server.url}/{name}"\ninterval = 600\n'
                for name in ("ouest", "sud", "down")
            ),
            encoding="utf-8",
        )
        assert main(["feeds", str(listing), "-o", str(out), "--once"]) == 1
        said = capsys.readouterr().err.splitlines()
        assert said[:2] == ["ouest: 2 new", "sud: 2 new"]
        assert said[2].startswith(f"depeche: down: {server.url}/down: 500 Internal Server Error")
        assert (out / "ouest.rss").read_text() == translator.translate_article(
            rss(1, 0), "rss"
        ).text
        assert (out / "sud.atom").read_text() == translator.translate_article(
            wire_items.ATOM, "atom"
        ).text
        assert (out / "digest.atom").read_text().count("<entry>") == 4

        del site.failing["/down"]
        site.feeds["/down"] = rss(2)
        site.feeds["/ouest"] = rss(3, 1, 0)
        assert main(["feeds", str(listing), "-o", str(out), "--once", "--quiet"]) == 0
        assert capsys.readouterr().err == ""
        assert main(["feeds", str(listing), "-o", str(out), "--once"]) == 0
        assert capsys.readouterr().err.splitlines() == [
            "ouest: nothing new",
            "sud: nothing new",
            "down: nothing new",
        ]
    assert (out / "ouest.rss").read_text() == translator.translate_article(rss(3, 1, 0), "rss").text
    assert (out / "down.rss").is_file()
    assert (out / "digest.atom").read_text().count("<entry>") == 6


def test_a_bad_feeds_file_is_one_line_and_exit_2(
    cron: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listing = tmp_path / "FEEDS.toml"
    listing.write_text("[feeds.ouest]\nurl = 'gopher://x/'\ninterval = 60\n", encoding="utf-8")
    assert main(["feeds", str(listing), "-o", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == (
        f"depeche: error: {listing}: [feeds.ouest]: url must be an http:// or https:// URL\n"
    )
