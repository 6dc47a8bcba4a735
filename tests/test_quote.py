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
