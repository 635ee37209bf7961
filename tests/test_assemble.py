from __future__ import annotations

from depeche.assemble import reassemble
from depeche.results import Segment


def test_replaces_spans_and_keeps_the_rest() -> None:
    source = "  Un. Deux.\r\n\r\nTrois."
    segments = [
        Segment("Deux.", "Two.", 0, 6, 11),
        Segment("Un.", "One.", 0, 2, 5),
        Segment("Trois.", "Three.", 1, 15, 21),
    ]
    assert reassemble(source, segments) == "  One. Two.\r\n\r\nThree."


def test_untranslated_segments_give_the_source_back() -> None:
    source = "A. B.\nC."
    segments = [Segment(source[a:b], source[a:b], 0, a, b) for a, b in [(0, 2), (3, 5), (6, 8)]]
    assert reassemble(source, segments) == source
