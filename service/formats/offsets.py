"""Where the characters of a decoded value are in the document it was read from."""

from __future__ import annotations

import bisect
from collections.abc import Sequence


class Offsets:
    """Value index -> document index, for a value read from `document[start:...]`.

    A value is its source less escapes (`\\n` in a JSON string, `&amp;` in XML text): each
    `(index, place)` break says that the value's character `index` is written at `place`, and
    the characters after it follow one for one until the next break.
    """

    def __init__(self, start: int, breaks: Sequence[tuple[int, int]] = ()) -> None:
        self._indices = [0, *(index for index, _ in breaks)]
        self._places = [start, *(place for _, place in breaks)]

    def __call__(self, index: int) -> int:
        """Where the value's character `index` starts (its length: where the value ends)."""
        k = bisect.bisect_right(self._indices, index) - 1
        return self._places[k] + index - self._indices[k]
