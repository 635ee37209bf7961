"""Serving needs neither torch nor transformers: `depeche serve`, `translate` and `summarize`
on CTranslate2 never import them, and work where they are not installed at all. The commands
do not import numpy either (a fifth of a one-sentence run's start)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from depeche import language
from depeche.config import Settings
from depeche.summarizer import Summarizer
from depeche.translator import Translator

from tests.redis_server import free_port

# Makes `import torch` and `import transformers` fail, as on a machine without them.
ABSENT = """
import importlib.abc, sys
class Absent(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("torch", "transformers"):
            raise ModuleNotFoundError(f"No module named {name!r}")
sys.meta_path.insert(0, Absent())
"""
RUN = """
import json, sys
from depeche.cli import main
code = main(sys.argv[1:])
heavy = sorted(m for m in ("torch", "transformers", "numpy") if m in sys.modules)
print(json.dumps({"code": code, "heavy": heavy}), file=sys.stderr)
"""
ARTICLE = "Le maire de Lyon a présenté un budget.\n\nLa ministre refuse la grève.\n"


@pytest.fixture
def env(
    settings: Settings, tiny_bart: Path, translator: Translator, summarizer: Summarizer
) -> dict[str, str]:
    translator.load()  # converted already: converting is what needs torch
    summarizer.load()
    language.unpack(settings.models_dir)  # unpacked already: unpacking is what needs numpy
    return {
        **os.environ,
        "DEPECHE_TRANSLATION_MODEL": settings.translation_model,
        "DEPECHE_SUMMARIZATION_MODEL": str(tiny_bart),
        "DEPECHE_MODELS_DIR": str(settings.models_dir),
        "DEPECHE_COMPUTE_TYPE": "float32",
        "DEPECHE_CACHE_URL": "none",
    }


@pytest.mark.parametrize("installed", [True, False])
@pytest.mark.parametrize(
    "command",
    [["translate", "-"], ["translate", "-", "--summarize"], ["summarize", "-"]],
)
def test_the_cli_never_imports_torch_or_numpy(
    env: dict[str, str], command: list[str], installed: bool
) -> None:
    prelude = "" if installed else ABSENT
    done = subprocess.run(
        [sys.executable, "-c", prelude + RUN, *command],
        input=ARTICLE,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    report = json.loads(done.stderr.strip().splitlines()[-1])
    assert report == {"code": 0, "heavy": []}, done.stderr
    assert done.stdout.strip()


@pytest.mark.parametrize("installed", [True, False])
def test_the_server_never_imports_torch(env: dict[str, str], installed: bool) -> None:
    port = free_port()
    prelude = "" if installed else ABSENT
    start = prelude + "import runpy, sys\nsys.argv = ['depeche', 'serve', '--port', sys.argv[1]]\n"
    start += "runpy.run_module('depeche', run_name='__main__')\n"
    server = subprocess.Popen(
        [sys.executable, "-c", start, str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                assert server.poll() is None, "the server exited"
            time.sleep(0.1)
        answer = httpx.post(f"{url}/v1/articles", json={"text": ARTICLE}, timeout=60)
        assert answer.status_code == 200 and answer.json()["summary"]
        maps = Path(f"/proc/{server.pid}/maps").read_text()
        assert "libtorch" not in maps
        loaded = {line.split()[-1] for line in maps.splitlines() if line.endswith(".so")}
        assert any("ctranslate2" in name for name in loaded)  # the check sees libraries
    finally:
        server.terminate()
        server.wait(timeout=30)
