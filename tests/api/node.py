"""The JavaScript clients of tests/node (deepl-node, libretranslate from npm), run by Node
against a live server: `make test` installs them (`npm ci` in tests/node)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

CLIENTS = Path(__file__).resolve().parent.parent / "node"


def node_calls(
    client: str, url: str, calls: list[dict[str, Any]], key: str = "any-key"
) -> list[dict[str, Any]]:
    """Run `calls` ({"method", "args"}) of `client` ("deepl": a `DeepLClient`;
    "libretranslate": the npm package's functions) in order: each answers {"ok": result} or
    {"error": {"name", "message"}} (see tests/node/call.js)."""
    node = shutil.which("node")
    if node is None or not (CLIENTS / "node_modules").is_dir():
        raise RuntimeError("the JavaScript clients are not installed: npm ci --prefix tests/node")
    program = {"client": client, "url": url, "key": key, "calls": calls}
    done = subprocess.run(
        [node, str(CLIENTS / "call.js"), json.dumps(program)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    found: list[dict[str, Any]] = json.loads(done.stdout)
    return found
