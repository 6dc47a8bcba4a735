from datetime import datetime

import pytest

from reader.errors import ReaderError
from reader.quote import QuoteBook, format_quote


def test_format_quote_plain():
    assert (
        format_quote("  Opus is   really\nan incredible model ", "Claude 4 with Sholto", 754.2)
        == '"Opus is really an incredible model" — Claude 4 with Sholto [00:12:34]'
    )


def test_format_quote_with_link_is_markdown_link():
    assert (
        format_quote("It works.", "Ep", 3723, "https://youtu.be/ID?t=3723")
        == '"It works." — Ep [01:02:03](https://youtu.be/ID?t=3723)'
    )


def test_quote_book_appends_every_quote(tmp_path):
    book = QuoteBook(tmp_path / "deep" / "quotes.md")
    when = datetime(2026, 11, 21, 23, 40)
    q1 = format_quote("first", "Ep", 1)
    book.append(q1, "Ep", 1, when=when)
    book.append(format_quote("second [bold]x[/]", "Ep", 62), "Ep", 62, when=when)
    assert book.entries() == [
        '- 2026-11-21 23:40 · "first" — Ep [00:00:01]',
        '- 2026-11-21 23:40 · "second [bold]x[/]" — Ep [00:01:02]',
    ]
    text = book.path.read_text(encoding="utf-8")
    assert text.startswith("# Quotes")


def test_quote_book_formats_bare_text(tmp_path):
    book = QuoteBook(tmp_path / "q.md")
    entry = book.append("bare text", "Ep", 5, when=datetime(2026, 1, 2, 3, 4))
    assert entry == '- 2026-01-02 03:04 · "bare text" — Ep [00:00:05]'


def test_default_path_is_in_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path))
    assert QuoteBook().path == tmp_path / "quotes.md"


def test_unwritable_dir_gives_one_line_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    book = QuoteBook(blocker / "quotes.md")
    with pytest.raises(ReaderError) as info:
        book.append('"x" — Ep [00:00:01]')
    message = str(info.value)
    assert "\n" not in message
    assert str(blocker / "quotes.md") in message and "cannot save the quote" in message


# --- sentence-true quotes ---------------------------------------------------------------

from reader.model import Alignment, TranscriptUnit  # noqa: E402
from reader.quote import deliver, format_claim, passage, snap  # noqa: E402
from reader.readable import Readable  # noqa: E402


def _doc(texts, speakers=None, timed=False):
    lines = [
        TranscriptUnit(
            t,
            i + 1,
            start=(10.0 * i if timed else None),
            speaker=(speakers[i] if speakers else None),
        )
        for i, t in enumerate(texts)
    ]
    secs = [10.0 * i for i in range(len(lines))]
    return lines, Readable(lines, timed=timed), Alignment(secs, not timed, 10.0 * len(lines), [])


def test_estimated_time_and_speaker_in_quote():
    assert (
        format_quote(
            "We will see.", "Lex Fridman #333", 750, estimated=True, speaker="Andrej Karpathy"
        )
        == '"We will see." — Andrej Karpathy, Lex Fridman #333 [~00:12:30]'
    )
    assert format_quote("x", "Ep", 5, "https://youtu.be/ID?t=5", estimated=True).endswith("[~00:00:05](https://youtu.be/ID?t=5)")


def test_claim_is_copied_as_a_summary_never_as_a_quote():
    text = format_claim(
        "Training on a massive dataset works.", "000_abc.txt", "Lex Fridman #333", 142
    )
    assert (
        text
        == 'Summary (AI, 000_abc.txt): "Training on a massive dataset works." '
        "— at [00:02:22] in Lex Fridman #333"
    )
    linked = format_claim("x", "s.md", "Ep", 142, "https://youtu.be/ID?t=142")
    assert "at [00:02:22](https://youtu.be/ID?t=142) in Ep" in linked


def test_snap_widens_to_sentences_across_caption_lines():
    lines, doc, al = _doc(
        [
            "So the first point is",
            "that agents plan. Then the second",
            "point is that they act. Done.",
        ]
    )
    start = doc.text.index("agents")
    end = doc.text.index("second") + 3
    s, e = snap(doc, start, end)
    assert (
        doc.text[s:e]
        == "So the first point is that agents plan. Then the second point is that they act."
    )
    p = passage(doc, lines, al, start, end)
    assert p.text == doc.text[s:e] and p.seconds == 0.0 and p.estimated
    # the quote of the second sentence starts mid-unit: its time is interpolated in it
    q = passage(doc, lines, al, doc.text.index("Then"), doc.text.index("Then") + 1)
    assert q.text == "Then the second point is that they act." and 10.0 < q.seconds < 20.0


def test_unpunctuated_captions_snap_to_caption_units():
    lines, doc, al = _doc(
        ["so the first point is", "that agents plan then the second", "point is that they act"]
    )
    start = doc.text.index("agents")
    s, e = snap(doc, start, start + 3)
    assert doc.text[s:e] == "that agents plan then the second"
    assert passage(doc, lines, al, start, start + 3).seconds == 10.0


def test_one_speaker_is_named_and_the_label_left_out():
    lines, doc, al = _doc(
        ["Hello there.", "It works. Really."],
        speakers=["Andrej Karpathy", "Andrej Karpathy"],
        timed=True,
    )
    start = doc.text.index("It works")
    p = passage(doc, lines, al, start, start + 2)
    assert (p.text, p.speaker, p.seconds, p.estimated) == (
        "It works.",
        "Andrej Karpathy",
        10.0,
        False,
    )
    whole = passage(doc, lines, al, 0, len(doc.text))
    assert whole.text == "Hello there. It works. Really." and "Andrej Karpathy:" not in whole.text


def test_several_speakers_keep_their_labels():
    lines, doc, al = _doc(["What now?", "We ship."], speakers=["Lex", "Andrej"], timed=True)
    p = passage(doc, lines, al, 0, len(doc.text))
    assert p.speaker is None and p.text == "Lex: What now? Andrej: We ship."


class _Result:
    ok = True

    def message(self):
        return "Copied"


def test_deliver_copies_even_when_the_quotes_file_cannot_be_written(tmp_path):
    copied = []
    blocker = tmp_path / "file"
    blocker.write_text("x")
    done = deliver(
        '"q" — Ep [00:00:01]',
        lambda text, osc52: copied.append(text) or _Result(),
        None,
        QuoteBook(blocker / "q.md"),
    )
    assert copied == ['"q" — Ep [00:00:01]'] and done.ok
    assert "cannot save the quote" in done.book_error and "copied" in done.book_error


def test_append_is_whole_or_nothing_on_a_full_disk(tmp_path, monkeypatch):
    import os as _os

    import reader.atomic as atomic_module

    book = QuoteBook(tmp_path / "q.md")
    book.append('"first" — Ep [00:00:01]', when=datetime(2026, 1, 1))
    before = book.path.read_bytes()
    real_write = _os.write

    def full_disk(fd, data):
        real_write(fd, bytes(data[:7]))  # part of it lands, then the disk is full
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic_module.os, "write", full_disk)
    with pytest.raises(ReaderError) as info:
        book.append('"second" — Ep [00:00:02]')
    monkeypatch.undo()
    assert "No space left on device" in str(info.value)
    assert book.path.read_bytes() == before


def test_a_contraction_ends_a_sentence():
    """'doesn't.' is not an initial: the quote ends there, not at the caption line's edge
    (seed 003: "...every time. Every time we get a new set of models, we have to like")."""
    lines, doc, al = _doc(
        [
            "blows me away every time. Every time we",
            "get a new set of models, we have to like",
            "reccharacterize a mental model of like",
            "what works, what doesn't. like how has",
        ]
    )
    start = doc.text.index("Every time we")
    s, e = snap(doc, start, doc.text.index("models"))
    assert doc.text[s:e].endswith("what works, what doesn't.")
    assert doc.text[s:e].startswith("Every time we get")
