"""Pilot tests of quotes, highlights, notes, export and "open at source" on the bundled
interview (untimed captions: every time is an estimate)."""

from __future__ import annotations

import dataclasses
import os
import re
import stat
from pathlib import Path

from reader.export import episode_note
from reader.notes import HighlightStore
from reader.state import state_path
from reader.ui.app import ReaderApp
from reader.ui.screens.goto import GotoScreen
from reader.ui.screens.notes import HighlightsScreen, NoteScreen
from reader.ui.widgets.transcript_view import GUTTER
from test_app import INTERVIEW, Notes, main_of, open_interview, settle

SENTENCE_END = ".!?…\"'”’)"


async def go_to(app, pilot, clock: str) -> None:
    await pilot.press("t")
    await settle(app, pilot)
    assert isinstance(app.screen, GotoScreen)
    await pilot.press(*clock, "enter")
    await settle(app, pilot)


async def copy_between(size, bundled_library, clipboard, keys=("y",)) -> tuple[str, object]:
    """Select from 12:30 to 12:45 with `t` jumps and copy: the quote and the passage."""
    state_path().unlink(missing_ok=True)  # start at the picker, not at the last place
    app = ReaderApp(bundled_library, copy_text=clipboard)
    async with app.run_test(size=size) as pilot:
        main = await open_interview(app, pilot)
        main.focus_pane("transcript")
        await go_to(app, pilot, "12:30")
        await pilot.press("v")
        await go_to(app, pilot, "12:45")
        view = main.transcript_view
        passage = view.quote_passage()
        doc = view.readable
        await pilot.press(*keys)
        await settle(app, pilot)
        assert view.selection_rows is None
        return clipboard.copied[-1], (passage, doc)


def assert_whole_sentences(passage, doc) -> None:
    before = doc.text[: passage.start].rstrip()
    assert before == "" or before[-1] in SENTENCE_END or doc.text[passage.start - 1] == "\n", (
        before[-30:]
    )
    assert passage.text[-1] in SENTENCE_END, passage.text[-30:]
    assert passage.text[0].isupper() or passage.text[0].isdigit() or passage.text[0] in "\"'“"


async def test_same_selection_same_quote_at_80_and_120_columns(bundled_library, clipboard):
    wide, (p_wide, doc) = await copy_between((120, 40), bundled_library, clipboard)
    narrow, (p_narrow, _doc) = await copy_between((80, 24), bundled_library, clipboard)
    assert wide == narrow
    assert p_wide.text == p_narrow.text
    assert_whole_sentences(p_wide, doc)
    # the time is the time of the first words, an estimate on untimed captions
    m = re.search(r"\[~(\d\d):(\d\d):(\d\d)\]$", wide)
    assert m, wide
    seconds = int(m[1]) * 3600 + int(m[2]) * 60 + int(m[3])
    assert 12 * 60 + 15 <= seconds <= 12 * 60 + 31
    assert wide.startswith(f'"{p_wide.text}" — Anthropic\'s Douglas on Claude 4 [~00:')


async def test_estimated_times_carry_tilde_in_quote_and_quotes_file(
    bundled_library, clipboard, isolated_dirs
):
    quote, _ = await copy_between((120, 40), bundled_library, clipboard, keys=("Y",))
    assert re.search(r"\[~00:1[12]:\d\d\]\(https://youtu\.be/W1aGV4K3A8Y\?t=\d+\)$", quote), quote
    log = (isolated_dirs["data"] / "quotes.md").read_text(encoding="utf-8")
    assert quote in log and "[~00:1" in log


async def test_y_on_a_claim_copies_it_as_a_summary_not_a_quote(bundled_library, clipboard):
    app = ReaderApp(bundled_library, copy_text=clipboard)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await open_interview(app, pilot)
        summary = main.summary_view
        summary.focus()
        claim = next(c for c in summary.summary.claims if "Lego" in c.text)
        summary.select_claim(claim.index)
        await pilot.press("y")
        await settle(app, pilot)
        copied = clipboard.copied[-1]
        stamp = claim.timestamp if claim.timestamp.count(":") == 2 else None
        assert copied.startswith(f'Summary (AI, {summary.summary.path.name}): "')
        assert "Lego sharks" in copied
        assert re.search(
            r"\" — at \[\d\d:\d\d:\d\d\] in Anthropic's Douglas on Claude 4$", copied
        ), copied
        if stamp:
            assert f"[{stamp}]" in copied
        assert not copied.startswith('"')  # never in the form of a speaker's words
        await pilot.press("Y")
        await settle(app, pilot)
        t = int(claim.seconds)
        assert f"](https://youtu.be/W1aGV4K3A8Y?t={t}) in " in clipboard.copied[-1]


def shifted_align(delta: float):
    """The sync engine, then every time moved by ``delta`` seconds (a re-alignment)."""
    from reader.sync import align_cached

    def align(transcript, summaries, duration_s):
        al = align_cached(transcript, summaries, duration_s)
        return dataclasses.replace(al, unit_seconds=[t + delta for t in al.unit_seconds])

    return align


def gutter_marks(view) -> dict[int, str]:
    """Row -> the mark beside the time gutter, for the rows on screen."""
    out = {}
    for y in range(view.scrollable_content_region.height):
        ch = view.render_line(y).text[GUTTER - 1 : GUTTER]
        if ch.strip():
            out[round(view.scroll_y) + y] = ch
    return out


async def test_highlight_with_note_survives_restart_and_realignment(
    bundled_library, clipboard, isolated_dirs
):
    app = ReaderApp(bundled_library, copy_text=clipboard)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await open_interview(app, pilot)
        main.focus_pane("transcript")
        await go_to(app, pilot, "20:30")
        view = main.transcript_view
        passage = view.quote_passage()
        await pilot.press("m")
        await settle(app, pilot)
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"white collar", "enter")
        await settle(app, pilot)
        [saved] = HighlightStore.load(INTERVIEW).highlights
        assert saved.text == passage.text and saved.note == "white collar" and saved.estimated
        row = view.row_of_offset(passage.start)
        assert gutter_marks(view).get(row) == "✎"
        first_seconds = saved.seconds
        await pilot.press("q")

    # re-opened (the place is restored) with every time 20 s later
    app = ReaderApp(bundled_library, copy_text=clipboard, align=shifted_align(20.0))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        main = main_of(app)
        assert main.episode is not None and main.episode.id == INTERVIEW
        view = main.transcript_view
        [(h, where)] = main.notes.located
        assert where.how == "exact" and view.readable.text[where.start : where.end] == passage.text
        assert abs(h.seconds - (first_seconds + 20.0)) < 1.0
        # listed, jumped to from the list (filtered by the note's words)
        await pilot.press("g")
        await pilot.press("apostrophe")
        await settle(app, pilot)
        assert isinstance(app.screen, HighlightsScreen)
        await pilot.press(*"collar", "enter")
        await settle(app, pilot)
        assert view.row_of_offset(where.start) == view.cursor_row
        assert gutter_marks(view).get(view.cursor_row) == "✎"
        # exported from the app, into the data folder
        main.action_export()
        await settle(app, pilot)
        exported = isolated_dirs["data"] / "exports" / f"{INTERVIEW}.md"
        assert exported.exists()
    note = exported.read_text(encoding="utf-8")
    assert note.startswith('---\ntitle: "Anthropic\'s Douglas on Claude 4"\n')
    assert "white collar" in note and passage.text[:40] in note
    assert re.search(r"> — \[~00:2\d:\d\d\]\(https://youtu\.be/W1aGV4K3A8Y\?t=\d+\)", note)
    # the command line's export has them too
    episode = app.library.get(INTERVIEW)
    assert "white collar" in episode_note(episode)


def recording_browser(tmp_path: Path) -> tuple[Path, Path]:
    log = tmp_path / "opened.txt"
    script = tmp_path / "browser.sh"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> "{log}"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script, log


async def test_o_opens_the_video_at_the_cursor_time(
    bundled_library, clipboard, tmp_path, monkeypatch
):
    script, log = recording_browser(tmp_path)
    monkeypatch.setenv("BROWSER", str(script))
    app = ReaderApp(bundled_library, copy_text=clipboard)
    notes = Notes()
    async with app.run_test(message_hook=notes, size=(120, 40)) as pilot:
        main = await open_interview(app, pilot)
        main.focus_pane("transcript")
        await go_to(app, pilot, "33:20")
        cursor = main.transcript_view.cursor_seconds
        await pilot.press("o")
        await settle(app, pilot)
        assert main.last_opened is not None and main.last_opened.ok, main.last_opened
        [url] = log.read_text(encoding="utf-8").split()
        m = re.fullmatch(r"https://youtu\.be/W1aGV4K3A8Y\?t=(\d+)", url)
        assert m, url
        assert abs(int(m[1]) - cursor) <= 3
        assert abs(int(m[1]) - 2000) <= 30
        shown = list(notes.messages)
        assert any("Opened the video at ~33:" in n for n in shown), shown


async def test_o_without_a_browser_says_so(bundled_library, clipboard, tmp_path, monkeypatch):
    monkeypatch.setenv("BROWSER", str(tmp_path / "no-such-browser"))
    app = ReaderApp(bundled_library, copy_text=clipboard)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await open_interview(app, pilot)
        main.focus_pane("transcript")
        await pilot.press("o")
        await settle(app, pilot)
        assert main.last_opened is not None and not main.last_opened.ok
        assert "No browser to open https://youtu.be/W1aGV4K3A8Y?t=" in main.last_opened.message


async def test_read_only_data_dir_still_copies_and_says_why(
    bundled_library, clipboard, tmp_path, monkeypatch
):
    blocked = tmp_path / "data"
    blocked.write_text("a file where the data folder should be", encoding="utf-8")
    monkeypatch.setenv("READER_DATA_DIR", str(blocked))
    app = ReaderApp(bundled_library, copy_text=clipboard)
    notes = Notes()
    async with app.run_test(message_hook=notes, size=(120, 40)) as pilot:
        main = await open_interview(app, pilot)
        main.focus_pane("transcript")
        await pilot.press("y")
        await settle(app, pilot)
        assert clipboard.copied  # the quote still reaches the clipboard
        shown = list(notes.messages)
        assert any("cannot save the quote" in n and "quotes.md" in n for n in shown), shown
        await pilot.press("m")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        shown = list(notes.messages)
        assert any("cannot save highlights" in n for n in shown), shown
        assert len(main.notes.store) == 1  # kept while reader runs
    assert os.path.isfile(blocked)


async def test_highlight_past_the_first_part_of_a_long_transcript_is_marked(tmp_path, clipboard):
    from reader.notes import Highlight
    from test_app import write_episode

    line = "This is sentence number {} of a very long talk."
    write_episode(tmp_path, "long", "\n".join(line.format(i) for i in range(6000)) + "\n", {})
    store = HighlightStore.load("long")
    store.add(
        Highlight("This is sentence number 5500 of a very long talk.", 99999.0, True, note="late")
    )
    app = ReaderApp(tmp_path, copy_text=clipboard)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        main = main_of(app)
        view = main.transcript_view
        assert view.is_complete and view.readable.unit_count == 6000
        [(h, where)] = main.notes.located
        assert where.how == "exact" and view.readable.text[where.start : where.end] == h.text
        main.jump_to_highlight(h.id)
        await settle(app, pilot)
        assert gutter_marks(view).get(view.cursor_row) == "✎"
        # m on it edits its note; the palette's "remove" forgets it
        await pilot.press("m")
        await settle(app, pilot)
        assert isinstance(app.screen, NoteScreen) and app.screen.editing
        await pilot.press("ctrl+u", *"edited", "enter")
        await settle(app, pilot)
        assert [x.note for x in HighlightStore.load("long")] == ["edited"]
        main.remove_highlight_at_cursor()
        await settle(app, pilot)
        assert len(HighlightStore.load("long")) == 0 and gutter_marks(view) == {}
