"""A process killed with SIGKILL while writing the SQLite cache leaves it sound."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

WRITER = """
import json, sys
from pathlib import Path
from depeche.cache.sqlite import SQLiteCache
cache = SQLiteCache(Path(sys.argv[1]), max_bytes=1 << 16)  # small: eviction runs too
i = 0
while True:
    cache.set_many({f"k{i}-{j}": json.dumps({"n": i, "j": j, "pad": "x" * 200}).encode()
                    for j in range(20)}, ttl=600)
    i += 1
    print(i, flush=True)
"""


def test_sigkill_during_writes_leaves_a_sound_cache(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    for run in range(5):
        process = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True
        )
        assert process.stdout is not None
        for _ in range(20 + 15 * run):  # let it write a while, then kill it mid-stream
            process.stdout.readline()
        process.send_signal(signal.SIGKILL)
        process.wait()
        connection = sqlite3.connect(path)
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("SELECT count(*) FROM entries").fetchone()[0] > 0
        for key, value in connection.execute("SELECT key, value FROM entries"):
            data = json.loads(value)  # every stored answer is whole
            n, j = key[1:].split("-")
            assert (data["n"], data["j"]) == (int(n), int(j))
        connection.close()
