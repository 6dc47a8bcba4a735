"""Highlights and notes: the store in the data folder and finding the words again."""

from __future__ import annotations

import json

import pytest

from reader.errors import ReaderError
from reader.model import Alignment, TranscriptUnit
from reader.notes import HighlightStore, locate, new_highlight, relocate
from reader.readable import Readable

TEXT = [
    "We started with small models.",
    "Then the agents got better at code.",
    "Nobody expected that part.",
    "Later we tried medicine and law.",
    "Then the agents got better at code.",  # the same words again, later
    "That was the second surprise.",
]


def doc_and_alignment(texts, step=10.0, shift=0.0):
    lines = [TranscriptUnit(t, i + 1) for i, t in enumerate(texts)]
    doc = Readable(lines, timed=False, min_words=1000)
    secs = [shift + step * i for i in range(len(lines))]
    return doc, Alignment(secs, True, shift + step * len(lines), [])


def span_of(doc, words):
    start = doc.text.index(words)
    return start, start + len(words)


def test_store_round_trip_lives_in_data_dir(isolated_dirs):
    doc, al = doc_and_alignment(TEXT)
    a, b = span_of(doc, "Nobody expected that part.")
    store = HighlightStore.load("ep-1")
    assert store.path.parent == isolated_dirs["data"] / "highlights"
    h = store.add(new_highlight(doc, a, b, doc.text[a:b], 20.0, estimated=True, note="key moment"))
    again = HighlightStore.load("ep-1")
    assert [(x.id, x.text, x.note, x.estimated) for x in again] == [
        (h.id, "Nobody expected that part.", "key moment", True)
    ]
    again.update(h.id, note="changed")
    assert HighlightStore.load("ep-1").get(h.id).note == "changed"
    assert again.search("EXPECTED changed") and not again.search("robots")
    assert again.remove(h.id) and len(HighlightStore.load("ep-1")) == 0


def test_highlight_survives_realignment_and_picks_the_nearest_repeat():
    doc, al = doc_and_alignment(TEXT)
    words = "Then the agents got better at code."
    later = doc.text.index(words, doc.text.index(words) + 1)
    h = new_highlight(doc, later, later + len(words), words, al.unit_seconds[4], estimated=True)
    # re-aligned: every time moves by 7 s; the words are found where they were
    doc2, al2 = doc_and_alignment(TEXT, shift=7.0)
    where = locate(h, doc2, al2)
    assert where.how == "exact" and (where.start, where.end) == (later, later + len(words))
    store = HighlightStore("x")
    store.highlights = [h]
    [(moved, _)] = relocate(store, doc2, al2)
    assert moved.seconds == pytest.approx(47.0)


def test_highlight_found_in_a_changed_transcript():
    doc, al = doc_and_alignment(TEXT)
    a, b = span_of(doc, "Later we tried medicine and law.")
    h = new_highlight(doc, a, b, doc.text[a:b], al.unit_seconds[3])
    edited = list(TEXT)
    edited.insert(0, "A new introduction was added at the start.")
    edited[4] = "Later on we tried medicine and also law."
    doc2, al2 = doc_and_alignment(edited)
    where = locate(h, doc2, al2)
    assert where.how == "near"
    assert "medicine" in doc2.text[where.start : where.end]
    # words gone entirely: the sentence at the saved time
    gone = new_highlight(doc, a, b, "completely different words here now", al.unit_seconds[3])
    assert locate(gone, doc, al).how == "time"


def test_corrupt_file_is_kept_aside_and_reported(isolated_dirs):
    folder = isolated_dirs["data"] / "highlights"
    folder.mkdir()
    (folder / "ep.json").write_text("{not json", encoding="utf-8")
    store = HighlightStore.load("ep")
    assert len(store) == 0 and "unreadable highlights file" in store.problem
    assert (folder / "ep.json.bad").read_text(encoding="utf-8") == "{not json"


def test_unwritable_data_dir_keeps_highlights_and_says_so(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    store = HighlightStore("ep", folder=blocker / "highlights")
    doc, _ = doc_and_alignment(TEXT)
    with pytest.raises(ReaderError) as info:
        store.add(new_highlight(doc, 0, 5, "We started", 0.0))
    assert "\n" not in str(info.value) and "cannot save highlights" in str(info.value)
    assert len(store) == 1 and store.unsaved


def test_file_is_plain_json_with_a_version(isolated_dirs):
    store = HighlightStore.load("ep")
    doc, _ = doc_and_alignment(TEXT)
    store.add(new_highlight(doc, 0, 5, "We started", 0.0, note="n"))
    data = json.loads(store.path.read_text(encoding="utf-8"))
    assert data["version"] == 1 and data["episode"] == "ep" and data["highlights"][0]["note"] == "n"
