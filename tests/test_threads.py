"""One Translator shared by many threads: no errors, the same outputs as one thread."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from depeche.config import Settings
from depeche.translator import Translator

from tests.corpus import french_sentences


def test_sixteen_threads_give_what_one_thread_gives(settings: Settings) -> None:
    sentences = french_sentences()[:64]
    texts = [" ".join(sentences[i : i + 3]) for i in range(0, 60, 3)]
    shared = Translator(settings)  # no cache: every call goes through tokenizer and engine
    expected = [Translator(settings).translate([t])[0] for t in texts]

    def work(worker: int) -> list[str]:
        return [shared.translate([texts[(worker + k) % len(texts)]])[0] for k in range(40)]

    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(work, range(16)))
    for worker, outputs in enumerate(results):
        assert outputs == [expected[(worker + k) % len(texts)] for k in range(40)]
