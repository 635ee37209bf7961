"""Language identification: is a passage already English? (py3langid, model in the package)

The model ships LZMA-compressed: unpacking it is most of a second. `preload` starts that in
the background as soon as a translator loads (so it overlaps the engine's own loading), and
keeps the unpacked model in the models folder, where the next process reads it at once.
"""

from __future__ import annotations

import copy
import lzma
import mmap
import shutil
import threading
from pathlib import Path
from typing import Any, Literal, cast

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


def loaded() -> bool:
    """Whether the identifier is loaded in this process."""
    return bool(_loaded)


def unpack(folder: Path) -> Path:
    """Unpack the identifier's model into `folder` now (`depeche models pull` does, so that an
    image's read-only models folder has it)."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    return _unpacked(Path(MODEL_DIR) / MODEL_FILE, folder)


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
    """The model's arrays, unpacked once into a folder of their own inside `folder` (or a
    temporary one without it), each in a file read whole at once or mapped; the folder's name
    follows the packed file, so that another py3langid's model is unpacked again."""
    import tempfile

    stat = packed.stat()
    name = f"langid-{stat.st_size}-{stat.st_mtime_ns}"
    if folder is not None and (folder / name / "done").is_file():
        return folder / name
    parent = folder if folder is not None else Path(tempfile.gettempdir())
    try:
        parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=parent))
        _write_arrays(packed, work)
        if folder is None:
            return work
        try:
            work.rename(folder / name)
        except OSError:  # another process unpacked it first
            shutil.rmtree(work, ignore_errors=True)
        return folder / name
    except OSError:  # a read-only models folder: unpack where the system keeps temporary files
        if folder is None:
            raise
        return _unpacked(packed, None)


def _write_arrays(packed: Path, work: Path) -> None:
    import io

    import numpy as np

    with lzma.open(packed) as source, np.load(io.BytesIO(source.read())) as data:
        np.save(work / "ptc.npy", data["ptc"])
        np.save(work / "pc.npy", data["pc"])
        (work / "classes.txt").write_text("\n".join(data["classes"].tolist()), encoding="utf-8")
        for key in ("nextmove", "nextmove_row", "out_feat"):
            values = data[key]
            typecode = _TYPECODES[values.dtype.kind, values.dtype.itemsize]
            (work / f"{key}.{typecode}").write_bytes(values.tobytes())
    (work / "done").touch()


# Integer tables as raw machine integers, for `_from_unpacked` to map.
IntCode = Literal["H", "I", "L", "h", "i", "l"]
_TYPECODES: dict[tuple[str, int], IntCode] = {
    ("u", 2): "H",
    ("u", 4): "I",
    ("u", 8): "L",
    ("i", 2): "h",
    ("i", 4): "i",
    ("i", 8): "l",
}


def _from_unpacked(path: Path, identifier: Any) -> Any:
    """The identifier of an unpacked model, as py3langid's own loader builds it."""
    import numpy as np

    def table(key: str) -> memoryview:
        # Mapped, not read: the automaton touches a few pages of its 40 MB per sentence, and
        # indexing a mapped view is as fast as indexing an array read whole.
        [file] = path.glob(f"{key}.*")
        with file.open("rb") as stream:
            mapped = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
        return memoryview(mapped).cast(cast(IntCode, file.suffix[1:]))

    return identifier(
        np.load(path / "ptc.npy", mmap_mode="r"),  # rows are read as features are seen
        np.load(path / "pc.npy"),
        (path / "classes.txt").read_text(encoding="utf-8").split("\n"),
        table("nextmove"),
        table("out_feat"),
        norm_probs=True,
        tk_row=table("nextmove_row"),
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
