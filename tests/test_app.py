"""Pilot tests of the app: every interaction a user has, on the bundled library and on
tiny libraries made in tmp_path."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest
from textual.notifications import Notify

from reader.model import format_clock
from reader.ui.app import ReaderApp
from reader.ui.screens.goto import GotoScreen
from reader.ui.screens.help import HelpScreen
from reader.ui.screens.main import MainScreen
from reader.ui.screens.picker import PickerScreen
from reader.ui.widgets.transcript_view import GUTTER, TranscriptView

INTERVIEW = "redpoint-douglas-claude-4"


async def settle(app, pilot) -> None:
    """Let every worker finish and every posted message be handled (the index update and
    the picker's counts start a moment after the first frame: wait for those too)."""
    for _ in range(300):
        for _ in range(3):
            await pilot.pause()
            await app.workers.wait_for_complete()
        await pilot.pause()
        if not busy(app):
            return
        await pilot.pause(0.02)


def busy(app) -> bool:
    main = app.main_screen
    if main is not None and main.index_building:
        return True
    return any(getattr(screen, "counting", False) for screen in app.screen_stack)


class Notes:
    """The notifications the app showed, seen as the messages that show them: pass as
    ``run_test(message_hook=notes)``."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def __call__(self, message) -> None:
        if isinstance(message, Notify):
            self.messages.append(message.notification.message)


def main_of(app) -> MainScreen:
    screen = app.main_screen
    assert isinstance(screen, MainScreen)
    return screen


async def open_interview(app, pilot) -> MainScreen:
    await settle(app, pilot)
    assert isinstance(app.screen, PickerScreen)
    table = app.screen.query_one("DataTable")
    table.move_cursor(row=table.get_row_index(INTERVIEW))
    await pilot.press("enter")
    await settle(app, pilot)
    main = main_of(app)
    assert main.episode is not None and main.episode.id == INTERVIEW
    return main


def lego_claim(main: MainScreen) -> int:
    summary = main.summary_view.summary
    for claim in summary.claims:
        if "Lego" in claim.text:
            return claim.index
    raise AssertionError("no Lego claim")


def assert_range_visible(view, unit_start: int, unit_end: int | None = None) -> None:
    """The first row of the units ``unit_start``..``unit_end`` is on screen."""
    first, _last = view.row_layout.rows_of_range(
        unit_start, unit_start if unit_end is None else unit_end
    )
    height = view.scrollable_content_region.height
    assert view.scroll_y <= first < view.scroll_y + height


def landed_range(main: MainScreen, hit) -> tuple[int, int]:
    """The transcript units a search hit lands on: its own, or its claim's."""
    if hit.kind == "summary":
        ca = main.summary_view.claim_alignment(hit.claim_index, hit.summary_index)
        return ca.unit_start, ca.unit_end
    return hit.unit_start, hit.unit_end


def prompt_plain(prompt) -> str:
    """The text of an option prompt: Content, or a claim's time and text."""
    body = getattr(prompt, "body", None)
    if body is not None:
        return f"{prompt.when.plain}  {body.plain}"
    return str(getattr(prompt, "plain", prompt))


def write_episode(
    root: Path, name: str, transcript: str, summaries: dict[str, str], **meta
) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "transcript.txt").write_text(transcript, encoding="utf-8")
    for file_name, text in summaries.items():
        (folder / file_name).write_text(text, encoding="utf-8")
    lines = [f"title = {json.dumps(meta.get('title', name))}", 'transcript = "transcript.txt"']
    lines.append("summaries = [" + ", ".join(json.dumps(n) for n in summaries) + "]")
    if "duration" in meta:
        lines.append(f"duration = {meta['duration']}")
    (folder / "episode.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def small_transcript(n: int = 60) -> str:
    return (
        "\n".join(f"Line {i} talks about topic number {i} in some detail." for i in range(n)) + "\n"
    )


SMALL_SUMMARY = """## Part one
Topic number 5 is introduced here [00:00:10].
Topic number 30 is explained [00:05:00].
"""


# --- start --------------------------------------------------------------------------


async def test_picker_on_start_with_two_episodes(bundled_library, clipboard):
    app = ReaderApp(bundled_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, PickerScreen)
        table = app.screen.query_one("DataTable")
        assert table.row_count == 2
        claims = table.get_cell(INTERVIEW, "claims")
        assert str(claims).isdigit() and int(str(claims)) > 50


async def test_the_collector_paused_for_the_start_runs_again_once_the_app_has_started(
    bundled_library, clipboard
):
    # reader starts the app with garbage collection paused (reader.ui.start.import_app); left
    # off, a long reading session would never free its cycles
    import gc

    from reader.ui.start import import_app

    try:
        app = import_app().ReaderApp(bundled_library)
        assert not gc.isenabled()
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            for _ in range(100):
                if gc.isenabled():
                    break
                await pilot.pause(0.02)
            assert gc.isenabled()
    finally:
        gc.enable()


def test_the_collector_runs_again_when_the_app_does_not_start():
    import gc

    from reader.ui.start import import_app, resume_paused_collection

    try:
        import_app()
        assert not gc.isenabled()
        resume_paused_collection()  # what the command line does on the way out
        assert gc.isenabled()
    finally:
        gc.enable()


async def test_q_on_the_start_picker_quits(bundled_library, clipboard):
    app = ReaderApp(bundled_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running and app.return_code == 0


def picker_rows(app) -> list[str]:
    table = app.screen.query_one("DataTable")
    return [table.coordinate_to_cell_key((r, 0)).row_key.value for r in range(table.row_count)]


async def test_picker_list_keys_and_type_to_filter(tmp_path, clipboard):
    for name, title in [
        ("a", "Zebra talk"),
        ("b", "apple talk"),
        ("c", "Mango talk"),
        ("d", "Kiwi jam"),
    ]:
        write_episode(tmp_path, name, small_transcript(), {"s.md": SMALL_SUMMARY}, title=title)
    app = ReaderApp(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        table = picker.query_one("DataTable")
        await pilot.press("G")
        assert table.cursor_row == 3
        await pilot.press("g")
        assert table.cursor_row == 0
        await pilot.press("j", "j", "k")
        assert table.cursor_row == 1
        # a letter that is not a list key starts a filter; then every letter is typed
        await pilot.press(*"talk")
        assert picker.filter == "talk" and picker_rows(app) == ["b", "c", "a"]
        await pilot.press("space", *"ma")
        assert picker_rows(app) == ["c"]
        assert "Filter: talk ma" in str(picker.query_one("#picker-filter").render())
        await pilot.press("backspace", "backspace", "backspace")
        assert picker.filter == "talk" and len(picker_rows(app)) == 3
        await pilot.press("escape")  # clears the filter first ...
        assert picker.filter == "" and len(picker_rows(app)) == 4 and app.screen is picker
        await pilot.press(*"kiwi", "enter")
        await settle(app, pilot)
        assert main_of(app).episode.id == "d"


async def test_picker_columns_fit_the_window_and_same_titles_differ(tmp_path, clipboard):
    long_title = "A three hour conversation about everything that matters in machine learning today"
    show = "The Very Long Named Podcast"
    for name in ("first", "second"):
        folder = write_episode(
            tmp_path, name, small_transcript(), {"s.md": SMALL_SUMMARY}, title=long_title
        )
        with open(folder / "episode.toml", "a", encoding="utf-8") as fh:
            fh.write(f'show = "{show}"\n')
    write_episode(
        tmp_path, "other", small_transcript(), {}, title="Short", duration=3 * 3600 + 26 * 60 + 7
    )
    app = ReaderApp(tmp_path)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("DataTable")
        title_cell = str(table.get_cell("first", "title"))
        # the same title twice: each shows its folder name too
        assert title_cell == f"{long_title} (first)"
        assert str(table.get_cell("second", "title")).endswith("(second)")
        assert str(table.get_cell("first", "show")) == show
        assert str(table.get_cell("other", "duration")) == "3:26:07"
        await pilot.resize_terminal(100, 30)
        await settle(app, pilot)
        table = app.screen.query_one("DataTable")
        widths = sum(column.get_render_width(table) for column in table.columns.values())
        assert widths <= 100 - 2
        assert str(table.get_cell("first", "title")).endswith("…")


async def test_start_picker_is_drawn_before_the_panes_are_built(
    bundled_library, clipboard, monkeypatch
):
    """The picker's first frame comes before the panes under it are built: what each
    frame of the picker's table found on the main screen, recorded as the frame draws
    it (no wall clock), then the panes, built on their own a moment later."""
    from textual.widgets import DataTable

    seen: list[bool] = []  # per drawing of the picker's table: were the panes there?
    draw = DataTable.render_line

    def render_line(table, y):
        if isinstance(table.screen, PickerScreen):
            seen.append(bool(main_of(table.app).query("#transcript")))
        return draw(table, y)

    monkeypatch.setattr(DataTable, "render_line", render_line)
    app = ReaderApp(bundled_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, PickerScreen)
        main = main_of(app)
        assert seen and seen[0] is False  # the first frame: the picker, no panes yet
        assert main.panes_ready and main.query("#transcript")  # then built, unasked


async def test_a_quick_enter_on_the_start_picker_opens_before_the_panes_are_due(
    bundled_library, clipboard, monkeypatch
):
    """Enter before the panes' time: they are built at once and the episode opens (the
    panes' delay made endless, so the Enter is before it whatever the machine's load)."""
    from reader.ui.screens import main as main_module

    monkeypatch.setattr(main_module, "PANES_DELAY_S", 3600.0)
    app = ReaderApp(bundled_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        main = main_of(app)
        assert not main.panes_ready and not main.query("#transcript")
        table = app.screen.query_one("DataTable")
        table.move_cursor(row=table.get_row_index(INTERVIEW))
        await pilot.press("enter")
        await settle(app, pilot)
        assert main.panes_ready and app.screen is main
        assert main.episode is not None and main.episode.id == INTERVIEW
        rows = main.transcript_view.row_layout
        assert rows is not None and len(rows) > 100
        assert main.status.episode_title == main.episode.title


async def test_escape_from_start_picker_leaves_a_usable_screen(bundled_library, clipboard):
    app = ReaderApp(bundled_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await settle(app, pilot)
        main = main_of(app)
        assert app.screen is main and main.panes_ready
        assert main.search_pane.index is not None  # the index arrived before or after the panes
        await pilot.press("slash")
        assert main.current_pane() == "search"


async def move_then_release(app, pilot, main: MainScreen, release) -> tuple[int, int]:
    """Three rows down while the whole transcript is on its way (keys work meanwhile),
    then let it come: where the cursor was put."""
    view = main.transcript_view
    main.focus_pane("transcript")
    await pilot.press("j", "j", "j")
    row, unit = view.cursor_row, view.cursor_unit
    assert row == 3 and unit > 0
    release.set()
    await settle(app, pilot)
    return row, unit


async def last_rows(main: MainScreen, pilot) -> str:
    """``G`` in the transcript: the text of its last two rows."""
    view = main.transcript_view
    main.focus_pane("transcript")  # (landing the whole gives the focus to its pane)
    await pilot.press("G")
    y = view.cursor_row - round(view.scroll_y)
    return " ".join(view.render_line(y + dy).text[GUTTER:].strip() for dy in (-1, 0))


async def test_long_transcript_paints_its_beginning_before_the_rest(tmp_path, clipboard):
    """A transcript file over 128 KB: its beginning, parsed on its own, is shown (no times
    yet) and takes keys while the whole is parsed and aligned; the whole then takes over,
    times and all, with the cursor where the reader put it meanwhile."""
    import threading

    line = "This is sentence number {} of a very long talk about many things, said slowly."
    write_episode(tmp_path, "long", "\n".join(line.format(i) for i in range(4000)) + "\n", {})
    release = threading.Event()

    def slow_align(transcript, summaries, duration):
        from reader.sync import align

        release.wait(10)
        return align(transcript, summaries, duration)

    app = ReaderApp(tmp_path, align=slow_align)
    async with app.run_test(size=(120, 40)) as pilot:
        main = main_of(app)  # one episode: opened at start
        for _ in range(200):
            await pilot.pause(0.01)
            if main.transcript_view.row_layout is not None:
                break
        view = main.transcript_view
        # the head is shown (no times yet) while the whole transcript is still aligning
        assert main.transcript is None and view.readable is not None
        assert 0 < view.readable.unit_count < 4000 and not view.is_complete
        assert view.render_line(0).text[GUTTER:].startswith("This is sentence number 0 ")
        assert view.render_line(0).text[:GUTTER].strip() == "" and view.cursor_seconds == 0.0
        row, unit = await move_then_release(app, pilot, main, release)
        assert main.transcript is not None and len(main.transcript.units) == 4000
        assert main.episode.id == "long" and view.is_complete
        assert view.readable.unit_count == 4000
        assert (view.cursor_row, view.cursor_unit) == (row, unit)  # the place is kept
        assert view.render_line(0).text[:GUTTER].strip() != ""  # times in the gutter
        assert "number 3999 of a very long talk" in await last_rows(main, pilot)


async def test_many_units_show_the_first_ones_while_the_rest_is_laid_out(
    tmp_path, clipboard, monkeypatch
):
    """More units than the pane lays out at once (a short file of many cues): the first
    rows, times and all, take keys while the whole is laid out in a thread; the whole then
    takes over with the cursor where the reader put it meanwhile."""
    import threading

    import reader.ui.widgets.transcript_view as transcript_view
    from reader.ui.widgets.transcript_view import TranscriptView

    total = TranscriptView.SYNC_UNITS * 2
    text = "\n".join(f"Cue {i}." for i in range(total)) + "\n"
    assert len(text.encode()) < 128 * 1024  # no beginning parsed on its own
    write_episode(tmp_path, "many", text, {})
    release = threading.Event()

    class HeldReadable(transcript_view.Readable):  # the whole waits until the test says
        def __init__(self, units, **kw):
            if len(units) > TranscriptView.SYNC_UNITS:
                release.wait(10)
            super().__init__(units, **kw)

    monkeypatch.setattr(transcript_view, "Readable", HeldReadable)
    seen = []
    app = ReaderApp(tmp_path)
    async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
        main = main_of(app)  # one episode: opened at start
        view = main.transcript_view
        for _ in range(300):
            await pilot.pause(0.01)
            if main.transcript is not None and view.row_layout is not None:
                break
        assert len(main.transcript.units) == total and not view.is_complete
        assert view.readable.unit_count == TranscriptView.SYNC_UNITS
        assert view.render_line(0).text[GUTTER:].startswith("Cue 0. Cue 1. Cue 2.")
        assert view.render_line(0).text[:GUTTER].strip() != ""  # times in the gutter
        row, unit = await move_then_release(app, pilot, main, release)
        assert view.is_complete and view.readable.unit_count == total
        assert any(isinstance(m, TranscriptView.DocumentReady) for m in seen)
        assert (view.cursor_row, view.cursor_unit) == (row, unit)  # the place is kept
        assert f"Cue {total - 1}." in await last_rows(main, pilot)


async def test_single_episode_opens_directly_and_place_is_restored(tmp_path, clipboard):
    write_episode(tmp_path, "one", small_transcript(), {"s.md": SMALL_SUMMARY}, duration=600)
    app = ReaderApp(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        main = main_of(app)
        assert app.screen is main and main.episode.id == "one"
        main.transcript_view.go_to_unit(40)
        await settle(app, pilot)
        unit = main.transcript_view.cursor_unit
        assert unit >= 35
        await pilot.press("q")
    app2 = ReaderApp(tmp_path)
    async with app2.run_test(size=(120, 40)) as pilot:
        await settle(app2, pilot)
        # the place is kept as a unit: the restored cursor is on the same unit
        assert main_of(app2).transcript_view.cursor_unit == unit


async def test_corrupt_state_file_is_ignored(tmp_path, isolated_dirs, clipboard):
    (isolated_dirs["state"] / "state.json").write_text("{not json", encoding="utf-8")
    write_episode(tmp_path, "one", small_transcript(), {"s.md": SMALL_SUMMARY}, duration=600)
    app = ReaderApp(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert main_of(app).episode.id == "one"


# --- summary -> transcript ----------------------------------------------------------


async def test_claim_enter_shows_range_and_cursor_marks_claim(bundled_library, clipboard):
    app = ReaderApp(bundled_library)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await open_interview(app, pilot)
        summary = main.summary_view
        assert summary.summary.path.name.startswith("000")
        index = lego_claim(main)
        assert summary.summary.claims[index].timestamp.endswith("51:56")
        summary.focus()
        summary.select_claim(index)
        await pilot.press("enter")
        await settle(app, pilot)
        ca = summary.claim_alignment(index)
        view = main.transcript_view
        assert_range_visible(view, ca.unit_start, ca.unit_end)
        assert (
            "lego"
            in " ".join(
                u.text for u in main.transcript.units[ca.unit_start : ca.unit_end + 1]
            ).lower()
        )
        assert summary.current_claim == index
        # the summary's own cursor stays where the user put it
        assert summary.highlighted_claim == index
        # moving the transcript cursor marks the claim covering it
        main.focus_pane("transcript")
        target = main.alignment.summaries[0][2]
        view.go_to_unit(target.unit_start)
        await settle(app, pilot)
        assert summary.current_claim == summary.claim_for_unit(view.cursor_unit)
        assert summary.current_claim is not None and summary.current_claim != index
        assert "~" in main.status.position


async def test_switch_summaries(bundled_library, clipboard):
    app = ReaderApp(bundled_library)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await open_interview(app, pilot)
        # named by the title in their front matter, else by file name
        assert (
            main.summary_view.label
            == "Summary 1/3: Impact and future of Anthropics Claude 4 models"
        )
        await pilot.press("right_square_bracket")
        assert main.summary_view.label.startswith("Summary 2/3: 001")
        assert "Summary 2/3" in main.status.summary
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert (
            main.summary_view.label
            == "Summary 3/3: AI advancements in coding and software engineering"
        )


# --- search ---------------------------------------------------------------------------


async def test_search_lego_lands_in_transcript(bundled_library, clipboard):
    app = ReaderApp(bundled_library)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await open_interview(app, pilot)
        await pilot.press("slash")
        assert app.focused is main.search_pane.input
        await pilot.press(*"lego", "enter")
        await settle(app, pilot)
        results = main.search_pane.results_list
        assert app.focused is results
        assert main.search_pane.hits
        await pilot.press("enter")
        await settle(app, pilot)
        hit = main.search_pane.hits[0]
        view = main.transcript_view
        start, end = landed_range(main, hit)
        assert_range_visible(view, start, end)
        text = " ".join(u.text for u in main.transcript.units[start : end + 1]).lower()
        assert "lego" in text, (hit, text)
        assert tuple(main.search_terms) == ("lego",)
        assert app.focused is view
        # the cursor lands on the words searched for, not on the passage start
        assert "lego" in view.row_layout.row_text(view.cursor_row).lower()
        assert view.next_hit() or view.prev_hit()


async def test_new_search_terms_repaint_the_visible_rows(bundled_library, clipboard):
    """A new query repaints only the rows whose highlights change (their cached strips are
    keyed by their matches): the old words lose their highlight, the new ones get it, on
    screen and on rows scrolled to later."""
    app = ReaderApp(bundled_library)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await open_interview(app, pilot)
        view = main.transcript_view
        hit_bg = view.get_component_rich_style("transcript-view--search-hit").bgcolor

        def highlighted(word: str) -> list[int]:
            rows = []
            top = round(view.scroll_y)
            for y in range(view.scrollable_content_region.height):
                row = top + y
                if row >= len(view.row_layout):
                    break
                found = re.search(rf"\b{word}", view.row_layout.row_text(row).lower())
                if found is None:
                    continue
                x = 0
                for seg in view.render_line(y):
                    if x <= GUTTER + found.start() < x + len(seg.text):
                        if seg.style is not None and seg.style.bgcolor == hit_bg:
                            rows.append(row)
                        break
                    x += len(seg.text)
            return rows

        def visible_with(word: str) -> list[int]:
            top = round(view.scroll_y)
            bottom = top + view.scrollable_content_region.height
            rows = range(top, min(len(view.row_layout), bottom))
            return [r for r in rows if re.search(rf"\b{word}", view.row_layout.row_text(r).lower())]

        assert visible_with("the")
        main.set_search_terms(("the",))
        await pilot.pause()
        assert highlighted("the") == visible_with("the")
        main.set_search_terms(("zzzzqq",))
        await pilot.pause()
        assert highlighted("the") == []
        main.set_search_terms(("the",))
        view.go_to_unit(len(main.transcript.units) // 2)  # rows never painted before
        await pilot.pause()
        assert highlighted("the") == visible_with("the") != []


async def test_letters_in_search_input_do_not_fire_actions(bundled_library, clipboard):
    app = ReaderApp(bundled_library)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await open_interview(app, pilot)
        await pilot.press("slash")
        await pilot.press(*"qetn?[]", "question_mark", "slash")
        await pilot.pause()
        assert app.is_running
        assert app.screen is main
        assert main.search_pane.input.value == "qetn?[]?/"
        assert main.summary_view.label.startswith("Summary 1/3")
        await pilot.press("escape")
        assert app.focused is main.transcript_view


async def test_search_before_index_ready_waits(bundled_library, clipboard):
    app = ReaderApp(bundled_library)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await open_interview(app, pilot)
        pane = main.search_pane
        real = pane.index
        pane.index = None
        pane.run_query("lego")
        assert pane.pending == "lego"
        pane.set_index(real)
        await settle(app, pilot)
        assert pane.hits


async def test_spelling_suggestion_and_query_error(bundled_library, clipboard):
    app = ReaderApp(bundled_library)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await open_interview(app, pilot)
        pane = main.search_pane
        pane.run_query("legoo sharkk")
        await settle(app, pilot)
        if pane.suggestion:
            assert pane.results_list.get_option_at_index(0).id == "suggestion"
            suggestion = pane.suggestion
            pane.results_list.highlighted = 0
            pane.results_list.focus()
            await pilot.press("enter")
            await settle(app, pilot)
            assert pane.input.value == suggestion
        pane.run_query('"unclosed AND')
        await settle(app, pilot)
        assert app.is_running


# --- quotes ---------------------------------------------------------------------------


async def test_select_three_lines_and_copy_quote(bundled_library, clipboard, isolated_dirs):
    app = ReaderApp(bundled_library, copy_text=clipboard)
    notes = Notes()
    async with app.run_test(message_hook=notes, size=(120, 40)) as pilot:
        main = await open_interview(app, pilot)
        summary = main.summary_view
        summary.focus()
        summary.select_claim(lego_claim(main))
        await pilot.press("enter")
        await settle(app, pilot)
        main.focus_pane("transcript")
        await pilot.press("v", "j", "j", "y")
        await settle(app, pilot)
        assert len(clipboard.copied) == 1
        quote = clipboard.copied[0]
        assert main.last_quote == quote
        assert main.transcript_view.selection_rows is None  # copied: the selection is cleared
        assert "[~00:5" in quote  # untimed captions: the time is an estimate
        assert len(quote.split()) > 10
        shown = list(notes.messages)
        assert any("Copied quote" in n for n in shown)
        files = [p for p in isolated_dirs["data"].rglob("*") if p.is_file()]
        try:
            import reader.quote  # noqa: F401
        except ImportError:
            pytest.skip("reader.quote not available: quotes file not written")
        assert files and any(
            quote.splitlines()[0][:20] in p.read_text(encoding="utf-8") for p in files
        )


async def test_y_on_claim_quotes_claim(bundled_library, clipboard):
    app = ReaderApp(bundled_library, copy_text=clipboard)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await open_interview(app, pilot)
        summary = main.summary_view
        summary.focus()
        summary.select_claim(lego_claim(main))
        await pilot.press("y")
        await settle(app, pilot)
        assert clipboard.copied and "Lego sharks" in clipboard.copied[0]


# --- time, picker, help ---------------------------------------------------------------


async def test_go_to_time(bundled_library, clipboard):
    app = ReaderApp(bundled_library)
    notes = Notes()
    async with app.run_test(message_hook=notes, size=(120, 40)) as pilot:
        main = await open_interview(app, pilot)
        await pilot.press("t")
        assert isinstance(app.screen, GotoScreen)
        await pilot.press(*"nonsense", "enter")
        assert isinstance(app.screen, GotoScreen)
        assert any("Not a time" in n for n in notes.messages)
        await pilot.press(*(["backspace"] * 8), *"30:00", "enter")
        await settle(app, pilot)
        assert app.screen is main
        assert abs(main.transcript_view.cursor_seconds - 1800) <= 60
        assert app.focused is main.transcript_view


async def test_e_opens_picker_and_help(bundled_library, clipboard):
    app = ReaderApp(bundled_library)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await open_interview(app, pilot)
        await pilot.press("e")
        assert isinstance(app.screen, PickerScreen)
        await pilot.press("escape")
        assert app.screen is main
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        # the help is generated from the real bindings: every pane's described keys
        shown = str(app.screen.query_one("#help-text").render())
        from reader.ui.widgets.transcript_view import TranscriptView

        for binding in TranscriptView.BINDINGS + MainScreen.BINDINGS + ReaderApp.BINDINGS:
            assert binding.description in shown, binding
        await pilot.press("escape")
        assert app.screen is main
        # switching episodes through the picker
        await pilot.press("e")
        table = app.screen.query_one("DataTable")
        table.move_cursor(row=table.get_row_index("interconnects-claude-4-bet-on-code"))
        await pilot.press("enter")
        await settle(app, pilot)
        assert main.episode.id == "interconnects-claude-4-bet-on-code"
        assert main.summary_view.summaries == []


# --- narrow ---------------------------------------------------------------------------


async def test_narrow_80x24_is_usable(bundled_library, clipboard):
    app = ReaderApp(bundled_library)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await open_interview(app, pilot)
        assert not main.has_class("-narrow")
        await pilot.resize_terminal(80, 24)
        await settle(app, pilot)
        assert main.has_class("-narrow")
        assert main.summary_view.display and main.transcript_view.region.width > 30
        assert summary_text_width(main) >= 18
        # words wrap whole: the first claim's rows, put together, are its words
        view = main.summary_view
        first = view.summary.claims[0]
        column = claim_column(view)
        rows = [
            view.render_line(y).text[column:].strip()
            for y in range(view.scrollable_content_region.height)
        ]
        words, claim_words = " ".join(rows).split(), first.text.split()
        n = min(len(words), len(claim_words))
        assert n > 30 and words[:n] == claim_words[:n]
        assert not main.search_pane.region.width
        main.focus_pane("summary")
        await pilot.press("tab")
        assert app.focused is main.transcript_view
        await pilot.press("tab")  # the search pane is closed: Tab goes between the two
        assert app.focused is main.summary_view
        await pilot.press("slash")
        await pilot.pause()
        assert app.focused is main.search_pane.input
        assert main.search_pane.region.width > 20 and not main.summary_view.region.width
        await pilot.press(*"lego", "enter")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        # done searching: the search pane gave the summary its slot back
        assert app.focused is main.transcript_view
        assert not main.search_pane.region.width and main.summary_view.region.width > 20
        assert_range_visible(main.transcript_view, *landed_range(main, main.search_pane.hits[0]))
        await pilot.press("shift+tab")
        await pilot.pause()
        assert app.focused is main.summary_view and main.summary_view.region.width > 20
        assert not main.search_pane.region.width


def claim_column(view) -> int:
    """Where a claim's text starts on its rows: "▶ " + the widest time + a space."""
    return max(len(format_clock(c.seconds)) for c in view.summary.claims) + 3


def summary_text_width(main: MainScreen) -> int:
    """The widest run of claim text on screen in the summary pane (after the times)."""
    view = main.summary_view
    widest = 0
    column = claim_column(view)
    for y in range(view.scrollable_content_region.height):
        text = view.render_line(y).text.rstrip()
        widest = max(widest, len(text[column:]))
    return widest


async def test_summary_gets_the_room_and_search_opens_only_when_wanted(bundled_library, clipboard):
    app = ReaderApp(bundled_library)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await open_interview(app, pilot)
        # search closed: summary and transcript share the width, >= 36 columns of claim text
        assert not main.search_pane.display or not main.search_pane.region.width
        assert summary_text_width(main) >= 36
        assert main.transcript_view.region.width >= 60
        before = main.summary_view.region.width
        await pilot.press("slash")
        await pilot.pause()
        assert app.focused is main.search_pane.input and main.search_pane.region.width >= 30
        # while searching the summary gives some room, the transcript keeps enough
        assert main.summary_view.region.width >= 36 and main.transcript_view.region.width >= 36
        await pilot.press("escape")
        await pilot.pause()
        assert not main.search_pane.region.width and app.focused is main.transcript_view
        assert main.summary_view.region.width == before


async def test_summary_width_is_the_users_and_remembered(bundled_library, clipboard):
    app = ReaderApp(bundled_library)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await open_interview(app, pilot)
        before = main.summary_view.region.width
        await pilot.press("greater_than_sign", "greater_than_sign")
        await pilot.pause()
        wider = main.summary_view.region.width
        assert wider >= before + 10
        await app.action_quit()
    app = ReaderApp(bundled_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert main_of(app).summary_view.region.width == wider
        await pilot.press("less_than_sign")
        await pilot.pause()
        assert main_of(app).summary_view.region.width < wider


# --- bad input ------------------------------------------------------------------------


async def test_broken_episodes_are_notified_and_others_open(tmp_path, clipboard):
    write_episode(tmp_path, "good", small_transcript(), {"s.md": SMALL_SUMMARY}, duration=600)
    (tmp_path / "no-meta").mkdir()
    bad = write_episode(tmp_path, "binary", "x", {}, title="Binary one")
    (bad / "transcript.txt").write_bytes(b"\x00\x01\x02" * 1000)
    app = ReaderApp(tmp_path)
    notes = Notes()
    async with app.run_test(message_hook=notes, size=(120, 40)) as pilot:
        await settle(app, pilot)
        shown = list(notes.messages)
        assert any("no-meta" in n for n in shown)
        assert isinstance(app.screen, PickerScreen)
        table = app.screen.query_one("DataTable")
        table.move_cursor(row=table.get_row_index("binary"))
        await pilot.press("enter")
        await settle(app, pilot)
        main = main_of(app)
        message = main.query_one("#transcript-message")
        assert message.display and not main.transcript_view.display
        await pilot.press("e")
        table = app.screen.query_one("DataTable")
        table.move_cursor(row=table.get_row_index("good"))
        await pilot.press("enter")
        await settle(app, pilot)
        assert main.transcript_view.display and main.episode.id == "good"


HOSTILE = "[bold red]x[/] [/] [@click=app.quit]q[/] \x1b[2J"


async def test_hostile_text_is_shown_literally(tmp_path, clipboard):
    long_line = "word " * 20000
    transcript = f"Intro line.\n{HOSTILE}\n{long_line}\nClosing line.\n"
    summary = f"## [bold]Section[/]\n{HOSTILE} claim one [00:00:10].\n{long_line} [00:00:20].\n"
    write_episode(
        tmp_path, "evil [red]x[-]", transcript, {"evil [b].md": summary}, title=HOSTILE, duration=60
    )
    app = ReaderApp(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        main = main_of(app)
        assert main.episode is not None
        assert "[bold red]x[/]" in main.status.render().plain
        first = prompt_plain(main.summary_view.get_option_at_index(1).prompt)
        assert "[@click=app.quit]q[/]" in first
        assert "\x1b" not in first
        for widget in (main.summary_view, main.transcript_view, main.status):
            await pilot.click(widget, offset=(3, 1))
            await pilot.pause()
        await pilot.press("j", "j", "enter", "G", "g")
        await settle(app, pilot)
        main.search_pane.run_query("word")
        await settle(app, pilot)
        await pilot.click(main.search_pane.results_list, offset=(3, 1))
        await settle(app, pilot)
        assert app.is_running


async def test_command_palette_lists_reader_commands(bundled_library, clipboard):
    app = ReaderApp(bundled_library)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await open_interview(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"go to time")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, GotoScreen)
        await pilot.press("escape")
        assert app.screen is main


async def test_picker_sorted_by_title_and_starts_on_last_read(tmp_path, clipboard):
    for name, title in [("a", "Zebra talk"), ("b", "apple talk"), ("c", "Mango talk")]:
        write_episode(tmp_path, name, small_transcript(), {"s.md": SMALL_SUMMARY}, title=title)
    from reader.state import Place, save_place

    save_place(tmp_path, Place("c", 3))
    app = ReaderApp(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        main = main_of(app)
        main.action_episodes() if not isinstance(app.screen, PickerScreen) else None
        await settle(app, pilot)
        table = app.screen.query_one("DataTable")
        keys = [table.coordinate_to_cell_key((r, 0)).row_key.value for r in range(table.row_count)]
        assert keys == ["b", "c", "a"]  # apple, Mango, Zebra
        assert keys[table.cursor_row] == "c"


async def test_search_results_refit_after_the_window_shrinks(bundled_library, clipboard):
    app = ReaderApp(bundled_library)
    async with app.run_test(size=(160, 40)) as pilot:
        main = await open_interview(app, pilot)
        await pilot.press("slash")
        await pilot.press(*"lego")
        await pilot.press("enter")
        await settle(app, pilot)
        pane = main.search_pane
        assert pane.hits
        wide = pane.results_list.scrollable_content_region.width
        await pilot.resize_terminal(120, 40)
        await settle(app, pilot)
        results = pane.results_list
        width = results.scrollable_content_region.width
        assert width < wide
        for n in range(len(pane.hits)):
            title_line = prompt_plain(results.get_option_at_index(n).prompt).split("\n")[0]
            assert len(title_line) <= width, title_line
            assert " · " in title_line
        # 80 columns: the pane is swapped in beside the transcript, too narrow for the kind
        await pilot.resize_terminal(80, 24)
        await pilot.press("slash")
        await settle(app, pilot)
        width = results.scrollable_content_region.width
        for n in range(len(pane.hits)):
            title_line = prompt_plain(results.get_option_at_index(n).prompt).split("\n")[0]
            assert len(title_line) <= width, title_line


# --- issue 11: reading a long interview ---------------------------------------------


async def test_each_episode_keeps_its_reading_place(bundled_library, clipboard):
    app = ReaderApp(bundled_library)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await open_interview(app, pilot)
        main.transcript_view.go_to_unit(900)
        await settle(app, pilot)
        interview_unit = main.transcript_view.cursor_unit
        assert interview_unit >= 890
        await pilot.press("e")
        table = app.screen.query_one("DataTable")
        table.move_cursor(row=table.get_row_index("interconnects-claude-4-bet-on-code"))
        await pilot.press("enter")
        await settle(app, pilot)
        main.transcript_view.go_to_unit(40)
        await settle(app, pilot)
        other_unit = main.transcript_view.cursor_unit
        await pilot.press("e")
        table = app.screen.query_one("DataTable")
        table.move_cursor(row=table.get_row_index(INTERVIEW))
        await pilot.press("enter")
        await settle(app, pilot)
        # back where the interview was left, not at 00:00
        assert main.episode.id == INTERVIEW and main.transcript_view.cursor_unit == interview_unit
        await pilot.press("q")
    app = ReaderApp(bundled_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        main = main_of(app)
        assert main.episode.id == INTERVIEW and main.transcript_view.cursor_unit == interview_unit
        await pilot.press("e")
        table = app.screen.query_one("DataTable")
        table.move_cursor(row=table.get_row_index("interconnects-claude-4-bet-on-code"))
        await pilot.press("enter")
        await settle(app, pilot)
        assert main.transcript_view.cursor_unit == other_unit


async def test_the_chosen_theme_is_kept(bundled_library, clipboard):
    app = ReaderApp(bundled_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.theme = "textual-light"
        await settle(app, pilot)
    app = ReaderApp(bundled_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert app.theme == "textual-light"


async def test_stepping_through_claims_with_j_enter_passes_an_unsupported_claim(
    bundled_library, clipboard
):
    # 000's claim at 01:18 is unsupported; its estimated place lies inside the 01:06
    # claim's passage: Enter on it must not throw the cursor back to 01:06
    app = ReaderApp(bundled_library)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await open_interview(app, pilot)
        summary = main.summary_view
        claims = summary.summary.claims
        unsupported = next(
            c.index
            for c in claims
            if summary.claim_alignment(c.index).status == "unsupported"
            and summary.claim_for_unit(summary.claim_alignment(c.index).unit_start) != c.index
        )
        main.focus_pane("summary")
        summary.select_claim(unsupported - 1)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("j", "enter")
        await settle(app, pilot)
        assert summary.highlighted_claim == unsupported
        assert summary.current_claim == unsupported
        row = next(y for y in range(summary.size.height) if "▶" in summary.render_line(y).text)
        assert claims[unsupported].timestamp[-5:] in summary.render_line(row).text
        await pilot.press("j")
        await settle(app, pilot)
        assert summary.highlighted_claim == unsupported + 1


async def test_one_cursor_in_the_summary(bundled_library, clipboard):
    app = ReaderApp(bundled_library)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await open_interview(app, pilot)
        summary, view = main.summary_view, main.transcript_view
        main.focus_pane("transcript")
        view.go_to_unit(main.alignment.summaries[0][30].unit_start)
        await settle(app, pilot)
        await pilot.press("right_square_bracket")  # another summary: ▶ and highlight together
        await settle(app, pilot)
        assert summary.current_claim is not None
        assert summary.highlighted_claim == summary.current_claim
        main.focus_pane("summary")
        await pilot.press("j", "j")
        await settle(app, pilot)
        assert summary.highlighted_claim == summary.current_claim  # the ▶ went with j
        row = next(y for y in range(summary.size.height) if "▶" in summary.render_line(y).text)
        assert summary.render_line(row).text.strip()  # drawn where the highlight is
        await pilot.press("enter")
        await settle(app, pilot)
        assert summary.current_claim == summary.highlighted_claim


async def test_braces_move_between_summary_sections(bundled_library, clipboard):
    app = ReaderApp(bundled_library)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await open_interview(app, pilot)
        summary = main.summary_view
        claims = summary.summary.claims
        starts = [
            c.index for i, c in enumerate(claims) if i == 0 or c.section != claims[i - 1].section
        ]
        await pilot.press("right_curly_bracket")
        await settle(app, pilot)
        assert summary.current_claim == starts[1] and summary.highlighted_claim == starts[1]
        ca = summary.claim_alignment(starts[1])
        assert_range_visible(main.transcript_view, ca.unit_start, ca.unit_end)
        await pilot.press("right_curly_bracket", "right_curly_bracket", "left_curly_bracket")
        await settle(app, pilot)
        assert summary.current_claim == starts[2]
        assert main.timeline.segments  # the sections are the timeline's segments
        assert len(main.timeline.segments) == len(starts) - 1


async def test_f1_opens_help(bundled_library, clipboard):
    app = ReaderApp(bundled_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_interview(app, pilot)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text").render())
        assert "Page down" in text and "Half a page down" in text and "Next section" in text
        await pilot.press("f1")
        assert not isinstance(app.screen, HelpScreen)


async def test_one_length_in_the_picker_and_the_status_bar(bundled_library, clipboard):
    app = ReaderApp(bundled_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("DataTable")
        interview = str(table.get_cell(INTERVIEW, "duration"))
        assert re.fullmatch(r"~5\d:\d\d", interview)  # estimated: no duration in its metadata
        assert str(table.get_cell("interconnects-claude-4-bet-on-code", "duration")) == "15:13"
        main = await open_interview(app, pilot)
        assert main.status.position.endswith(f"/ {interview}")


async def test_an_unchanged_episode_opens_from_the_cache(tmp_path, clipboard, monkeypatch):
    folder = write_episode(tmp_path, "one", small_transcript(), {"s.md": SMALL_SUMMARY})
    app = ReaderApp(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        first = [line.text for line in main_of(app).transcript.units]

    import reader.parse.transcript as parse_transcript

    def refuse(*args, **kwargs):
        raise AssertionError("parsed again")

    monkeypatch.setattr(parse_transcript, "parse_transcript", refuse)
    app = ReaderApp(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()  # the first frame already shows it
        main = main_of(app)
        assert main.transcript is not None and [u.text for u in main.transcript.units] == first
        assert main.summary_view.summary is not None and len(main.summary_view.summary.claims) == 2
    monkeypatch.undo()
    (folder / "transcript.txt").write_text(
        small_transcript(5), encoding="utf-8"
    )  # changed: parsed again
    app = ReaderApp(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert len(main_of(app).transcript.units) == 5


async def test_timeline_shows_position_hits_and_jumps(bundled_library, clipboard):
    app = ReaderApp(bundled_library)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await open_interview(app, pilot)
        timeline = main.timeline
        line = timeline.render().plain
        assert line[0] == "●" and len(line) == timeline.content_region.width
        main.transcript_view.go_to_time(main.alignment.duration_s / 2)
        await settle(app, pilot)
        assert abs(timeline.render().plain.index("●") - len(line) // 2) <= 2
        main.set_search_terms(("lego",))
        await settle(app, pilot)
        assert "╵" in timeline.render().plain
        # a click a quarter of the way along goes to a quarter of the episode
        await pilot.click("#timeline", offset=(1 + timeline.content_region.width // 4, 0))
        await settle(app, pilot)
        quarter = main.alignment.duration_s / 4
        assert abs(main.transcript_view.cursor_seconds - quarter) < main.alignment.duration_s / 40
        assert app.focused is main.transcript_view


async def test_search_results_say_summary_or_transcript_and_show_the_words(
    bundled_library, clipboard
):
    app = ReaderApp(bundled_library)
    async with app.run_test(size=(80, 24)) as pilot:
        main = await open_interview(app, pilot)
        await pilot.press("slash", *'"escape velocity"', "enter")
        await settle(app, pilot)
        results = main.search_pane.results_list
        prompts = [
            prompt_plain(results.get_option_at_index(n).prompt) for n in range(results.option_count)
        ]
        assert prompts and all(
            p.split("\n")[0].endswith(("· summary", "· transcript")) for p in prompts
        )
        # the matched words are in every snippet, however far into the claim they are
        assert all(
            "escape velocity" in p.split("\n", 1)[1].replace("\n", " ").lower() for p in prompts[:2]
        )


async def test_ctrl_t_limits_the_search_to_this_episode(bundled_library, clipboard):
    app = ReaderApp(bundled_library)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await open_interview(app, pilot)
        await pilot.press("slash", *"claude", "enter")
        await settle(app, pilot)
        episodes = {hit.episode for hit in main.search_pane.hits}
        assert len(episodes) == 2
        main.focus_pane("search")
        await pilot.press("ctrl+t")
        await settle(app, pilot)
        assert main.search_pane.border_title == "Search · this episode"
        assert {hit.episode for hit in main.search_pane.hits} == {INTERVIEW}


async def test_summary_times_follow_the_theme(bundled_library, clipboard):
    app = ReaderApp(bundled_library)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await open_interview(app, pilot)
        summary = main.summary_view

        def time_colour():
            row = next(
                y
                for y in range(summary.size.height)
                if re.search(r"^\s+\d\d:\d\d ", summary.render_line(y).text)
            )
            strip = summary.render_line(row)
            return next(
                seg.style.color for seg in strip if re.match(r"\d\d:\d\d", seg.text.strip())
            )

        dark = time_colour()
        app.theme = "textual-light"
        await settle(app, pilot)
        light = time_colour()
        assert (
            light != dark and light.triplet is not None and sum(light.triplet) < 3 * 160
        )  # dark text on light


async def test_search_results_mark_estimated_transcript_times(bundled_library, clipboard):
    """The interview is untimed: its transcript hits' times are estimates (~), its summary
    claims' stamps are the summary's own."""
    app = ReaderApp(bundled_library)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await open_interview(app, pilot)
        await pilot.press("slash", *'"escape velocity"', "enter")
        await settle(app, pilot)
        results = main.search_pane.results_list
        heads = [
            prompt_plain(results.get_option_at_index(n).prompt).split("\n")[0]
            for n in range(results.option_count)
        ]
        transcript = [h for h in heads if h.endswith("· transcript")]
        summary = [h for h in heads if h.endswith("· summary")]
        assert transcript and all(" · ~" in h for h in transcript)
        assert summary and not any(" · ~" in h for h in summary)


async def test_summary_keeps_the_current_claim_in_view_after_a_resize(bundled_library, clipboard):
    """Claims re-wrap at a new width: the ▶ claim stays on screen (seen in tmux: after
    120x40 -> 80x24 the summary showed claims half an hour away)."""
    app = ReaderApp(bundled_library)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await open_interview(app, pilot)
        summary, view = main.summary_view, main.transcript_view
        main.focus_pane("transcript")
        view.go_to_unit(main.alignment.summaries[0][70].unit_start)
        await settle(app, pilot)

        def marker_visible() -> bool:
            return any("▶" in summary.render_line(y).text for y in range(summary.size.height))

        assert marker_visible()
        await pilot.resize_terminal(80, 24)
        await settle(app, pilot)
        assert marker_visible()
        await pilot.resize_terminal(200, 50)
        await settle(app, pilot)
        assert marker_visible()


class FramesApp(ReaderApp):
    """Records every frame sent to the terminal, as text lines (``_display`` is where
    Textual hands a frame to the driver)."""

    CSS_PATH = str(Path(sys.modules[ReaderApp.__module__].__file__).with_name("app.tcss"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.frames: list[tuple[object, list[str]]] = []

    def _display(self, screen, renderable) -> None:
        strips = getattr(renderable, "strips", None)
        if strips is not None:
            lines = [list(line) for line in strips]
            renderable.strips = lines  # (the lines may be a one-pass iterable)
            text = ["".join(strip.text for strip in line) for line in lines]
            self.frames.append((getattr(renderable, "region", None), text))
        super()._display(screen, renderable)


@pytest.mark.parametrize("start", ["restored", "only episode"])
async def test_the_first_frame_at_start_is_whole_and_drawn_once(
    start, bundled_library, tmp_path, clipboard, monkeypatch
):
    from reader.state import Place, save_place

    if start == "restored":
        library = bundled_library
        save_place(library, Place(INTERVIEW, 900))
    else:
        library = tmp_path / "lib"
        shutil.copytree(bundled_library / INTERVIEW, library / INTERVIEW)
    app = ReaderApp(library)
    async with app.run_test(size=(120, 40)) as pilot:  # the episode cache written
        await settle(app, pilot)
        await pilot.press("q")
    if start == "restored":
        save_place(library, Place(INTERVIEW, 900))
    # the whole transcript would take over later: until then, nothing changes on screen
    monkeypatch.setattr(TranscriptView, "HEAD_DELAY", 60.0)
    app = FramesApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(5):
            await pilot.pause()
        view = main_of(app).transcript_view
        assert not view.is_complete
        # one frame, of the whole screen, already with everything: the cursor's words,
        # the summary, and the transcript's scrollbar thumb (it came one frame later)
        assert len(app.frames) == 1
        region, rows = app.frames[0]
        assert (region.width, region.height) == (120, 40)
        assert any("Lego" in row or "▶" in row for row in rows)
        assert "Quit" in rows[-1] and "Help" in rows[-1]  # the keys of the focused pane
        pane = view.region
        cursor_y = pane.y + view.cursor_row - round(view.scroll_y)
        words = view.render_line(view.cursor_row - round(view.scroll_y)).text[GUTTER:].strip()
        assert words and words in rows[cursor_y]
        bar = [row[pane.right - 2 : pane.right] for row in rows[pane.y : pane.bottom]]
        assert any(cells.strip() for cells in bar), "no scrollbar thumb in the first frame"


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_enter_on_a_claim_puts_the_cursor_where_its_passage_starts(
    size, bundled_library, clipboard
):
    from reader.ui.messages import ClaimChosen

    chosen: list[ClaimChosen] = []

    def hook(message) -> None:
        if isinstance(message, ClaimChosen):
            chosen.append(message)

    app = ReaderApp(bundled_library)
    async with app.run_test(size=size, message_hook=hook) as pilot:
        main = await open_interview(app, pilot)
        view = main.transcript_view
        for presses in (9, 4, 12):
            await pilot.press(*["j"] * presses, "enter")
            await settle(app, pilot)
            claim = chosen[-1]
            first, last = view.row_layout.rows_of_range(claim.unit_start, claim.unit_end)
            assert last > first  # a passage of several rows
            assert view.cursor_row == first and view.cursor_unit == claim.unit_start
            top = round(view.scroll_y)
            shown = [view.render_line(y).text for y in range(view.size.height)]
            # the cursor's row on screen shows the passage's first words
            words = view.row_layout.row_text(first).strip()
            assert words and words in shown[first - top]
