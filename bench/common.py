"""What the benchmark scripts share: the data, the full-size models, one process per path."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
BENCH_MODELS = ROOT / ".cache" / "bench-models"


def peak_rss_mb() -> float:
    """This process's peak resident memory."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def lines(name: str) -> list[str]:
    """The lines of a file of ../shared/data, read at run time."""
    return (DATA / name).read_text(encoding="utf-8").splitlines()


def _converted(model: Path) -> Path:
    from depeche.engines.ctranslate2 import convert
    from depeche.models import resolve

    convert(resolve(str(model), BENCH_MODELS, {}), BENCH_MODELS, "int8")
    return model


def opus_model() -> Path:
    """Random weights with opus-mt-fr-en's architecture (75M), converted to CTranslate2."""
    from tests.factories import opus_mt_fr_en_architecture

    corpus = lines("newstest2013.fr") + lines("newstest2013.en")
    return _converted(opus_mt_fr_en_architecture(corpus))


def distilbart_model() -> Path:
    """Random weights with distilbart-cnn-12-6's architecture (306M), converted."""
    from tests.factories import distilbart_cnn_architecture

    return _converted(distilbart_cnn_architecture(lines("newstest2013.en")))


def run_workers(
    script: str, names: Sequence[str], arguments: Sequence[str]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Run `script --worker NAME ARGUMENTS...` for each name, one process each (so that peak
    RSS is the path's own), and yield the JSON each prints last."""
    for name in names:
        command = [sys.executable, script, "--worker", name, *arguments]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        yield name, json.loads(done.stdout.strip().splitlines()[-1])


def depeche_translator(
    model: Path, cap_ratio: float = 1.0, cap_extra: int = 5, cache_url: str = "none"
) -> Any:
    """depeche's Translator as every benchmark runs it: CTranslate2 int8, beam 4, the output
    cap the other paths get, loaded before any timing."""
    from depeche.config import Settings
    from depeche.translator import Translator

    loaded = Translator(
        Settings(
            translation_model=str(model),
            models_dir=BENCH_MODELS,
            compute_type="int8",
            beam_size=4,
            max_output_ratio=cap_ratio,
            max_output_extra=cap_extra,
            cache_url=cache_url,
        )
    )
    loaded.load()
    return loaded


def start_depeche(
    env: dict[str, str], poll: float = 0.05
) -> tuple[subprocess.Popen[bytes], str, float]:
    """`depeche serve` in its own process on a free port: (process, URL, seconds until its
    `/readyz` answered 200), `/readyz` polled every `poll` seconds (at most 5 minutes)."""
    import time

    import httpx

    from tests.redis_server import free_port

    port = free_port()
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "depeche", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    while time.monotonic() - started < 300 and process.poll() is None:
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return process, url, time.monotonic() - started
        except httpx.TransportError:
            pass
        time.sleep(poll)
    process.kill()
    raise RuntimeError("the server did not become ready")
