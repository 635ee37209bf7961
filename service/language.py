"""Language identification: is a passage already English? (py3langid, model in the package)

The model ships LZMA-compressed: unpacking it is most of a second. `preload` starts that in
the background as soon as a translator loads (so it overlaps the engine's own loading), and
keeps the unpacked model in the models folder, where the next process reads it at once.
"""

from __future__ import annotations

import copy
import lzma
import shutil
import threading
from array import array
from pathlib import Path
from typing import Any

MIN_WORDS = 4  # shorter passages (names, captions) are too ambiguous to call
MIN_CONFIDENCE = 0.95

_lock = threading.Lock()  # one load, and one classification at a time (the model keeps state)
_loaded: dict[str, Any] = {}
_started = threading.Event()


def preload(folder: Path | None = None) -> None:
    """Load the identifier in a background thread (once per process), keeping its unpacked
    model in `folder`."""
    if _started.is_set():
        return
    _started.set()
    threading.Thread(target=_load, args=(folder,), name="depeche-langid", daemon=True).start()


def _load(folder: Path | None = None) -> dict[str, Any]:
    # Built once per process: a detector per request is a known leak of translation servers.
    with _lock:
        if not _loaded:
            from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

            packed = Path(MODEL_DIR) / MODEL_FILE
            every = _from_unpacked(_unpacked(packed, folder), LanguageIdentifier)
            french_or_english = copy.copy(every)
            french_or_english.set_languages(["fr", "en"])
            _loaded.update(every=every, fr_en=french_or_english)
    return _loaded


def _unpacked(packed: Path, folder: Path | None) -> Path:
    """The model's npz, unpacked once into `folder` (or a temporary file without one); its
    name follows the packed file, so that another py3langid's model is unpacked again."""
    stat = packed.stat()
    name = f"langid-{stat.st_size}-{stat.st_mtime_ns}.npz"
    target = folder / name if folder is not None else None
    if target is not None and target.is_file():
        return target
    import tempfile

    where = target.parent if target is not None else Path(tempfile.gettempdir())
    try:
        where.mkdir(parents=True, exist_ok=True)
        handle, written = tempfile.mkstemp(suffix=".npz", dir=where)
        with open(handle, "wb") as out, lzma.open(packed) as source:
            shutil.copyfileobj(source, out, length=1 << 20)
        if target is None:
            return Path(written)
        Path(written).replace(target)
        return target
    except OSError:  # a read-only models folder: unpack where the system keeps temporary files
        if folder is None:
            raise
        return _unpacked(packed, None)


def _from_unpacked(path: Path, identifier: Any) -> Any:
    """The identifier of an unpacked model, as py3langid's own loader builds it."""
    import numpy as np

    def table(values: Any) -> array[int]:
        typecode = {2: "H", 4: "I", 8: "L"}[values.dtype.itemsize]
        found: array[int] = array(typecode)
        found.frombytes(np.ascontiguousarray(values).tobytes())
        return found

    with np.load(path, allow_pickle=False) as data:
        return identifier(
            np.asarray(data["ptc"]),
            np.asarray(data["pc"]),
            data["classes"].tolist(),
            table(data["nextmove"]),
            data["out_feat"].tolist(),
            norm_probs=True,
            tk_row=table(data["nextmove_row"]),
        )


def is_english(text: str) -> bool:
    """Whether `text` is confidently English rather than French."""
    if len(text.split()) < MIN_WORDS:
        return False
    identifier = _load()["fr_en"]
    with _lock:
        language, confidence = identifier.classify(text)
    return bool(language == "en" and confidence >= MIN_CONFIDENCE)


def identify(text: str) -> list[tuple[str, float]]:
    """The languages the identifier knows, most likely first, with their probabilities
    (those under 0.1% left out)."""
    identifier = _load()["every"]
    with _lock:
        ranked = identifier.rank(text)
    return [(code, float(p)) for code, p in ranked if p >= 0.001]
