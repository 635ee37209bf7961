"""Benchmark: start-up time and memory, with both full-size models (random weights with the
architectures of opus-mt-fr-en and distilbart-cnn-12-6), CTranslate2 int8 on CPU.

    python bench/start.py

Prints one table:
  - `depeche serve` with both models: seconds until /readyz answers 200, polled every 50 ms;
    its RSS when ready, after one article with its summary, and its peak (VmHWM) while
    loading;
  - `depeche translate -` of one sentence, the whole process (median of 11), against a
    15-line CTranslate2 script on the same converted model;
  - `Translator().load()` and `Summarizer().load()` in fresh processes, then one summary;
  - whether torch was imported by the serving path.
Each measure runs in its own process so that no cache of a previous one helps it; depeche's
modules are compiled to bytecode first, as installing them does.
"""

from __future__ import annotations

import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # bench/http.py would shadow the standard library's http module

from bench.common import (  # noqa: E402
    BENCH_MODELS,
    distilbart_model,
    lines,
    opus_model,
    start_depeche,
)

RUNS = 11
SENTENCE = "Le maire de Lyon a présenté mardi un budget de 25 000 euros pour les écoles."
RAW_SCRIPT = (
    """
import sys, ctranslate2, sentencepiece
model, source_spm, target_spm = sys.argv[1:4]
source = sentencepiece.SentencePieceProcessor(model_file=source_spm)
target = sentencepiece.SentencePieceProcessor(model_file=target_spm)
translator = ctranslate2.Translator(model, device="cpu", compute_type="int8")
for line in sys.stdin:
    tokens = source.encode(line.strip(), out_type=str) + ["</s>"]
    result = translator.translate_batch(
        [tokens], beam_size=4, max_decoding_length=len(tokens) + 5
    )
    print(target.decode(result[0].hypotheses[0]))
"""
    + """
for line in open("/proc/self/status"):
    if line.startswith("VmHWM"):
        print(line.split()[1], file=sys.stderr)
"""
)
# `depeche translate -`, its own peak (VmHWM) said at exit: a child's rusage would count the
# memory of this process it was forked from.
DEPECHE_SCRIPT = """
import atexit, runpy, sys

def peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM"):
            print(line.split()[1], file=sys.stderr)

atexit.register(peak)
sys.argv = ["depeche", "translate", "-"]
runpy.run_module("depeche", run_name="__main__")
"""


def environment(opus: Path, bart: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DEPECHE_TRANSLATION_MODEL": str(opus),
        "DEPECHE_SUMMARIZATION_MODEL": str(bart),
        "DEPECHE_MODELS_DIR": str(BENCH_MODELS),
        "DEPECHE_COMPUTE_TYPE": "int8",
        "DEPECHE_MAX_OUTPUT_RATIO": "1.0",
        "DEPECHE_MAX_OUTPUT_EXTRA": "5",
        "DEPECHE_CACHE_URL": "none",
    }


def memory_mb(pid: int) -> tuple[float, float]:
    """(RSS, peak RSS) of a process, in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        fields[name] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def serve(env: dict[str, str], article: str) -> dict[str, float | bool]:
    import httpx

    process, url, ready = start_depeche(env)
    try:
        rss_ready, peak_loading = memory_mb(process.pid)
        answer = httpx.post(
            f"{url}/v1/articles", json={"text": article, "summarize": True}, timeout=300
        )
        answer.raise_for_status()
        rss_after, _ = memory_mb(process.pid)
    finally:
        process.terminate()
        process.wait()
    return {
        "ready_s": ready,
        "rss_ready_mb": rss_ready,
        "rss_after_article_mb": rss_after,
        "peak_loading_mb": peak_loading,
    }


def timed(command: list[str], env: dict[str, str], stdin: str) -> tuple[float, float]:
    """(seconds, peak RSS MB) of one process run to its end; the process says its peak in KB
    on the last line of its stderr."""
    started = time.monotonic()
    done = subprocess.run(command, env=env, input=stdin, capture_output=True, text=True)
    elapsed = time.monotonic() - started
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    return elapsed, int(done.stderr.strip().splitlines()[-1]) / 1024


def one_sentence(env: dict[str, str], opus: Path, converted: Path) -> dict[str, float]:
    raw_script = Path(tempfile.mkdtemp()) / "raw.py"
    raw_script.write_text(RAW_SCRIPT, encoding="utf-8")
    raw = [
        sys.executable,
        str(raw_script),
        str(converted),
        str(opus / "source.spm"),
        str(opus / "target.spm"),
    ]
    ours = [sys.executable, "-c", DEPECHE_SCRIPT]
    times: dict[str, list[float]] = {"raw": [], "depeche": []}
    peaks: dict[str, list[float]] = {"raw": [], "depeche": []}
    # Runs alternate between the two, and this machine's timings vary by a tenth of a second
    # from run to run: many of each keep the median steady.
    for _ in range(RUNS):
        for name, command in (("raw", raw), ("depeche", ours)):
            elapsed, peak = timed(command, env, SENTENCE + "\n")
            times[name].append(elapsed)
            peaks[name].append(peak)
    return {
        "raw_s": statistics.median(times["raw"]),
        "depeche_s": statistics.median(times["depeche"]),
        "raw_mb": max(peaks["raw"]),
        "depeche_mb": max(peaks["depeche"]),
    }


PROBE = """
import json, sys, time
started = time.monotonic()
from depeche import {cls}
pipeline = {cls}()
pipeline.load()
loaded = time.monotonic() - started
extra = {{}}
if "{cls}" == "Summarizer":
    text = sys.stdin.read()
    started = time.monotonic()
    pipeline.summarize(text)
    extra["summary_s"] = time.monotonic() - started
else:
    pipeline.translate([sys.stdin.read()])
print(json.dumps({{"load_s": loaded, "torch": "torch" in sys.modules, **extra}}))
"""


def probe(cls: str, env: dict[str, str], stdin: str) -> dict[str, float | bool]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(cls=cls)],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float | bool] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    # An installed depeche starts from compiled bytecode (pip compiles a wheel; an editable
    # install writes it on first import). Where PYTHONDONTWRITEBYTECODE is set, as on this
    # project's machines, every start would compile depeche's modules again: do it once here.
    compileall.compile_dir(ROOT / "service", quiet=1)
    opus, bart = opus_model(), distilbart_model()
    env = environment(opus, bart)
    from depeche.engines.ctranslate2 import converted_path
    from depeche.models import resolve

    converted = converted_path(resolve(str(opus), BENCH_MODELS, {}), BENCH_MODELS, "int8")
    english = lines("newstest2013.en")
    article = "\n\n".join(" ".join(lines("newstest2013.fr")[i : i + 4]) for i in range(0, 24, 4))
    summary_text = " ".join(english[:30])
    served = serve(env, article)
    sentence = one_sentence(env, opus, converted)
    translator = probe("Translator", env, SENTENCE)
    summarizer = probe("Summarizer", env, summary_text)
    rows = [
        ("`depeche serve` with both models, until `/readyz` is 200", f"{served['ready_s']:.1f} s"),
        (
            "server RSS when ready / after one article with summary / peak while loading",
            f"{served['rss_ready_mb']:,.0f} MB / {served['rss_after_article_mb']:,.0f} MB / "
            f"{served['peak_loading_mb']:,.0f} MB",
        ),
        (
            f"`depeche translate -` of one sentence, whole process (median of {RUNS})",
            f"{sentence['depeche_s']:.2f} s, {sentence['depeche_mb']:,.0f} MB; raw CTranslate2 "
            f"script {sentence['raw_s']:.2f} s, {sentence['raw_mb']:,.0f} MB "
            f"({sentence['depeche_s'] / sentence['raw_s']:.2f}×)",
        ),
        (
            "`Translator().load()` (fresh process); torch imported",
            f"{translator['load_s']:.2f} s; {translator['torch']}",
        ),
        (
            "`Summarizer().load()`, then one summary; torch imported",
            f"{summarizer['load_s']:.2f} s, {summarizer['summary_s']:.2f} s; {summarizer['torch']}",
        ),
    ]
    print("| measure | value |")
    print("|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
