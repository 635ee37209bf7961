"""A server polling the feeds of DEPECHE_FEEDS: the English feeds and the digest served from
the store with validators (304 to a reader that has them), a source that fails reported in
the listing and /metrics while the others are served."""

from __future__ import annotations

from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from pathlib import Path

import httpx
import pytest
from depeche.config import Settings
from depeche.translator import Translator

from tests import wire_items
from tests.api.live import LiveServer
from tests.feed_server import FeedSite, rss
from tests.http_server import Server
from tests.sync import wait_for


@pytest.fixture
def site() -> Iterator[tuple[FeedSite, str]]:
    feeds = FeedSite()
    with Server(feeds) as server:
        yield feeds, server.url


def test_a_server_polls_its_feeds_and_serves_them_in_english(
    api_settings: Settings, reference: Translator, site: tuple[FeedSite, str], tmp_path: Path
) -> None:
    feeds, url = site
    feeds.feeds = {"/ouest": rss(1, 0), "/sud": wire_items.ATOM}
    feeds.failing = {"/down": (500, {})}
    listing = tmp_path / "FEEDS.toml"
    listing.write_text(
        "".join(
            f'[feeds.{name}]\nurl = "{url}/{name}"\ninterval = 3600\n\n'
            for name in ("ouest", "sud", "down")
        ),
        encoding="utf-8",
    )
    settings = api_settings.model_copy(
        update={
            "summarization_model": "none",
            "store_url": f"sqlite:///{tmp_path}/store.sqlite3",
            "feeds": listing,
        }
    )
    with LiveServer(settings) as server:
        wait_for(lambda: httpx.get(f"{server}/v1/feeds/sud").status_code == 200)
        wait_for(lambda: all(f["polled"] for f in httpx.get(f"{server}/v1/feeds").json()["feeds"]))
        ouest = httpx.get(f"{server}/v1/feeds/ouest")
        assert ouest.status_code == 200
        assert ouest.headers["content-type"] == "application/rss+xml; charset=utf-8"
        assert ouest.text == reference.translate_article(rss(1, 0), "rss").text
        sud = httpx.get(f"{server}/v1/feeds/sud")
        assert sud.headers["content-type"] == "application/atom+xml; charset=utf-8"
        assert sud.text == reference.translate_article(wire_items.ATOM, "atom").text

        etag, modified = ouest.headers["etag"], ouest.headers["last-modified"]
        parsedate_to_datetime(modified)  # an HTTP date
        again = httpx.get(f"{server}/v1/feeds/ouest", headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
        since = httpx.get(f"{server}/v1/feeds/ouest", headers={"If-Modified-Since": modified})
        assert since.status_code == 304
        stale = httpx.get(f"{server}/v1/feeds/ouest", headers={"If-None-Match": '"other"'})
        assert stale.status_code == 200

        listed = {f["name"]: f for f in httpx.get(f"{server}/v1/feeds").json()["feeds"]}
        assert (listed["ouest"]["entries"], listed["ouest"]["failures"]) == (2, 0)
        assert listed["down"]["failures"] == 1 and "500" in listed["down"]["last_error"]
        assert httpx.get(f"{server}/v1/feeds/down").status_code == 404

        digest = httpx.get(f"{server}/v1/feeds/digest")
        assert digest.headers["content-type"] == "application/atom+xml; charset=utf-8"
        assert digest.text.count("<entry>") == 4
        cached = httpx.get(
            f"{server}/v1/feeds/digest", headers={"If-None-Match": digest.headers["etag"]}
        )
        assert cached.status_code == 304

        metrics = httpx.get(f"{server}/metrics").text
    assert 'depeche_feed_polls_total{feed="ouest",outcome="new"} 1.0' in metrics
    assert 'depeche_feed_polls_total{feed="down",outcome="failed"} 1.0' in metrics
    assert 'depeche_feed_new_items_total{feed="sud"} 2.0' in metrics


def test_a_bad_feeds_file_stops_the_server_from_starting(
    api_settings: Settings, tmp_path: Path
) -> None:
    from depeche.api import create_app
    from depeche.errors import ConfigurationError

    listing = tmp_path / "FEEDS.toml"
    listing.write_text("[feeds.ouest]\nurl = 'https://x/'\n", encoding="utf-8")
    settings = api_settings.model_copy(update={"feeds": listing})
    with pytest.raises(ConfigurationError, match=r"FEEDS\.toml: \[feeds\.ouest\]: interval"):
        create_app(settings)
