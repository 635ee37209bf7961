"""Events from the OS about a watched folder (inotify here)."""

from __future__ import annotations

import threading
from pathlib import Path

from depeche.file_events import OsEvents, Polling

from tests.sync import wait_for


def test_os_events_name_the_files_that_changed(tmp_path: Path) -> None:
    stop = threading.Event()
    events = OsEvents(tmp_path, stop)
    assert events.ready.is_set()  # the folder is watched before the constructor returns
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.md").write_text("Texte.\n")
    seen: set[Path] = set()

    def saw_it() -> bool:
        # The file, or its new folder: one made before the OS watches the folder is named
        # by the folder alone (a watcher looks at everything under it).
        seen.update(events.wait(0.1))
        return bool(seen & {tmp_path / "sub" / "a.md", tmp_path / "sub"})

    wait_for(saw_it)
    events.close()
    assert not events.thread.is_alive()


def test_a_stop_wakes_a_waiting_loop(tmp_path: Path) -> None:
    stop = threading.Event()
    events = OsEvents(tmp_path, stop)
    threading.Thread(target=stop.set).start()
    assert events.wait(600) == set()  # returns once stopped, not after 600 s
    events.close()


def test_polling_waits_until_stopped(tmp_path: Path) -> None:
    stop = threading.Event()
    stop.set()
    assert Polling(stop).wait(600) == set()
