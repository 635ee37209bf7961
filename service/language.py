"""Language identification: is a passage already English? (py3langid's model, in its package)

The model ships LZMA-compressed: unpacking it takes most of a second. It is unpacked once into
the models folder (by `depeche models pull`, or by the first process that needs it), where
later processes map its tables at once; `preload` does that in the background as soon as a
translator loads.

Every sentence is asked whether it is English: that decision is computed from the model's
French and English columns in plain Python, as py3langid computes it, so that a command that
translates one article never imports numpy (a fifth of its start). Naming any language
(`identify`, behind LibreTranslate's `/detect`) uses py3langid itself, loaded on first use.
"""

from __future__ import annotations

import importlib.util
import lzma
import math
import mmap
import shutil
import threading
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any, Literal, cast

MIN_WORDS = 4  # shorter passages (names, captions) are too ambiguous to call
MIN_CONFIDENCE = 0.95
# Of the unpacked folder: a new value unpacks again, when what `_write_arrays` writes changes.
UNPACKED_FORMAT = 2

_lock = threading.Lock()  # one load of each identifier, and one py3langid call at a time
_loaded: dict[str, Any] = {}
_started = threading.Event()


def preload(folder: Path | None = None) -> None:
    """Load the French-or-English identifier in a background thread (once per process),
    unpacking the model into `folder` if it is not there yet."""
    if _started.is_set():
        return
    _started.set()
    threading.Thread(
        target=_french_or_english, args=(folder,), name="depeche-langid", daemon=True
    ).start()


def loaded() -> bool:
    """Whether the identifier `is_english` uses is loaded in this process."""
    return "fr_en" in _loaded


def unpack(folder: Path) -> Path:
    """Unpack the identifier's model into `folder` now (`depeche models pull` does, so that an
    image's read-only models folder has it)."""
    return _unpacked(_packed(), folder)


def is_english(text: str) -> bool:
    """Whether `text` is confidently English rather than French."""
    if len(text.split()) < MIN_WORDS:
        return False
    return _french_or_english().english(text) >= MIN_CONFIDENCE


def identify(text: str) -> list[tuple[str, float]]:
    """The languages the identifier knows, most likely first, with their probabilities
    (those under 0.1% left out)."""
    identifier = _every()
    with _lock:
        ranked = identifier.rank(text)
    return [(code, float(p)) for code, p in ranked if p >= 0.001]


class FrenchOrEnglish:
    """py3langid's naive Bayes decision between French and English alone, read from the
    unpacked model: the same automaton over the text's UTF-8 bytes, the same features and
    scores, in Python floats where py3langid uses numpy's float32 (the probabilities agree
    to a millionth)."""

    def __init__(self, path: Path) -> None:
        self.nextmove = _table(path, "nextmove")
        self.rowbase = _table(path, "rowbase")
        self.output = _table(path, "out_feat")
        self.weights = _table(path, "fr_en")  # per feature: its French, then English weight
        self.prior: tuple[float, float] = tuple(_table(path, "fr_en_prior"))

    def english(self, text: str) -> float:
        """The probability that `text` is English rather than French."""
        if text.isupper():
            text = text.lower()
        data = unicodedata.normalize("NFC", text).encode("utf-8", "surrogatepass")
        nextmove, rowbase, output = self.nextmove, self.rowbase, self.output
        state, seen = 0, []
        for byte in data:
            state = nextmove[rowbase[state] + byte]
            if (feature := output[state]) >= 0:
                seen.append(feature)
        if not seen:
            return 0.5
        french, english = self.prior
        for feature, count in Counter(seen).items():
            weight = math.log1p(count)
            french += weight * self.weights[2 * feature]
            english += weight * self.weights[2 * feature + 1]
        # py3langid's softmax, its scores tempered by the square root of the text's length.
        margin = (french - english) / math.sqrt(len(data))
        return 1 / (1 + math.exp(margin)) if margin < 700 else 0.0


def _french_or_english(folder: Path | None = None) -> FrenchOrEnglish:
    # Built once per process: a detector per request is a known leak of translation servers.
    with _lock:
        if "fr_en" not in _loaded:
            _loaded["path"] = path = _unpacked(_packed(), folder)
            _loaded["fr_en"] = FrenchOrEnglish(path)
    found: FrenchOrEnglish = _loaded["fr_en"]
    return found


def _every() -> Any:
    """py3langid's identifier of every language it knows, on the same unpacked model."""
    _french_or_english()  # unpacks the model once
    with _lock:
        if "every" not in _loaded:
            from py3langid.langid import LanguageIdentifier

            _loaded["every"] = _from_unpacked(_loaded["path"], LanguageIdentifier)
    return _loaded["every"]


def _packed() -> Path:
    """py3langid's model file, found without importing py3langid (which imports numpy)."""
    spec = importlib.util.find_spec("py3langid")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("py3langid is not installed")
    return Path(spec.origin).parent / "data" / "model.npz.xz"


def _unpacked(packed: Path, folder: Path | None) -> Path:
    """The model's arrays, unpacked once into a folder of their own inside `folder` (or a
    temporary one without it), each in a file read whole at once or mapped; the folder's name
    follows the packed file, so that another py3langid's model is unpacked again."""
    import tempfile

    stat = packed.stat()
    name = f"langid-v{UNPACKED_FORMAT}-{stat.st_size}-{stat.st_mtime_ns}"
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
        classes = data["classes"].tolist()
        (work / "classes.txt").write_text("\n".join(classes), encoding="utf-8")
        columns = [classes.index("fr"), classes.index("en")]
        tables = {
            "nextmove": data["nextmove"],
            "nextmove_row": data["nextmove_row"],
            "out_feat": data["out_feat"],
            # What `FrenchOrEnglish` reads: row offsets shifted as py3langid shifts them,
            # and the French and English columns of the weights and of the priors.
            "rowbase": data["nextmove_row"].astype(np.int64) << 8,
            "fr_en": data["ptc"][:, columns].astype(np.float32),
            "fr_en_prior": data["pc"][columns].astype(np.float32),
        }
        for key, values in tables.items():
            typecode = _TYPECODES[values.dtype.kind, values.dtype.itemsize]
            (work / f"{key}.{typecode}").write_bytes(np.ascontiguousarray(values).tobytes())
    (work / "done").touch()


# Tables as raw machine numbers, for `_table` to map; the suffix of a file is its type.
Code = Literal["H", "I", "L", "h", "i", "l", "f"]
_TYPECODES: dict[tuple[str, int], Code] = {
    ("u", 2): "H",
    ("u", 4): "I",
    ("u", 8): "L",
    ("i", 2): "h",
    ("i", 4): "i",
    ("i", 8): "l",
    ("f", 4): "f",
}


def _table(path: Path, key: str) -> memoryview[Any]:
    """A table of the unpacked model, mapped: the automaton touches a few pages of its 40 MB
    per sentence, and indexing a mapped view is as fast as indexing an array read whole."""
    [file] = path.glob(f"{key}.*")
    with file.open("rb") as stream:
        mapped = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
    return memoryview(mapped).cast(cast(Code, file.suffix[1:]))


def _from_unpacked(path: Path, identifier: Any) -> Any:
    """The identifier of an unpacked model, as py3langid's own loader builds it."""
    import numpy as np

    return identifier(
        np.load(path / "ptc.npy", mmap_mode="r"),  # rows are read as features are seen
        np.load(path / "pc.npy"),
        (path / "classes.txt").read_text(encoding="utf-8").split("\n"),
        _table(path, "nextmove"),
        _table(path, "out_feat"),
        norm_probs=True,
        tk_row=_table(path, "nextmove_row"),
    )
