"""TranscriptView driven like a user: keys, clicks, and what the rows show."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult

from reader.model import Alignment, Transcript, TranscriptUnit
from reader.readable import Readable
from reader.ui.messages import CursorMoved, QuoteRequested
from reader.ui.screens.main import MainScreen
from reader.ui.widgets.transcript_view import GUTTER, TranscriptView

SENTENCES = [
    "Alpha agents plan the work.",
    "Bravo models write the code.",
    "Charlie tests run every night.",
    "Delta reviews catch the bugs.",
    "Echo users read the summaries.",
]


def make_doc(texts, seconds_per_word=0.3, estimated=True):
    lines = [TranscriptUnit(t, i + 1) for i, t in enumerate(texts)]
    secs, s = [], 0.0
    for line in lines:
        secs.append(s)
        s += seconds_per_word * max(1, len(line.text.split()))
    return Transcript(Path("t.txt"), lines, False, len(lines)), Alignment(secs, estimated, s, [])


def captions(n):
    """n caption lines; every 14th ends a sentence, so paragraphs form."""
    out = []
    for i in range(n):
        end = "." if i % 14 == 13 else ""
        out.append(f"line {i} says something about models and code{end}")
    return out


class ViewApp(App):
    # n / N are the main screen's (its one binding of them calls the view's step_hit)
    BINDINGS = [b for b in MainScreen.BINDINGS if getattr(b, "action", "").startswith("hit(")]

    def action_hit(self, direction: int) -> None:
        self.query_one(TranscriptView).step_hit(direction)

    def __init__(self, texts, **kw):
        super().__init__()
        self.doc = make_doc(texts, **kw)
        self.quotes: list[QuoteRequested] = []
        self.moves: list[CursorMoved] = []
        self.notes: list[str] = []  # the notifications shown

    def notify(self, message, *args, **kwargs) -> None:
        self.notes.append(str(message))
        super().notify(message, *args, **kwargs)

    def compose(self) -> ComposeResult:
        yield TranscriptView()

    def on_mount(self) -> None:
        view = self.query_one(TranscriptView)
        view.set_document(*self.doc)
        view.focus()

    def on_quote_requested(self, message: QuoteRequested) -> None:
        self.quotes.append(message)

    def on_cursor_moved(self, message: CursorMoved) -> None:
        self.moves.append(message)


def row_text(view: TranscriptView, y: int) -> str:
    return view.render_line(y).text


def body(view: TranscriptView, y: int) -> str:
    return row_text(view, y)[GUTTER:].rstrip()


def units_text(app: ViewApp, view: TranscriptView, first_row: int, last_row: int) -> str:
    """The whole caption units (of the transcript shown) on rows ``first_row..last_row``."""
    units = [u for row in range(first_row, last_row + 1) for u in view.row_layout[row].units]
    lines = app.doc[0].units
    return " ".join(lines[u].text for u in range(min(units), max(units) + 1))


def styles_at(view: TranscriptView, y: int, col: int):
    """The rich Style of the cell at column ``col`` of screen row ``y``."""
    x = 0
    for seg in view.render_line(y):
        if x <= col < x + len(seg.text):
            return seg.style
        x += len(seg.text)
    raise AssertionError("column outside the row")


def component(view: TranscriptView, name: str):
    return view.get_component_rich_style(f"transcript-view--{name}")


async def test_rows_show_joined_text_and_time_gutter():
    app = ViewApp(SENTENCES * 20)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.query_one(TranscriptView)
        first = row_text(view, 0)
        assert first.startswith("  ~00:00 Alpha agents plan the work. Bravo models")
        assert body(view, 1).startswith("tests run every night.")
        assert row_text(view, 1)[:GUTTER].strip() == ""  # same minute: no time
        screen_text = "\n".join(row_text(view, y) for y in range(20))
        assert "~00:" in screen_text
        # paragraphs: a blank row after ~70 words at a sentence end
        assert any(body(view, y) == "" for y in range(20))


async def test_real_times_have_no_tilde():
    app = ViewApp(SENTENCES, estimated=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.query_one(TranscriptView)
        assert row_text(view, 0).startswith("   00:00 Alpha")


async def test_keys_move_cursor_and_post_cursor_moved():
    app = ViewApp(captions(200))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.query_one(TranscriptView)
        assert view.cursor_row == 0
        await pilot.press("j", "j")
        assert view.cursor_row == 2
        assert view.cursor_unit == view.row_layout.unit_of_row(2)
        assert app.moves[-1].unit == view.cursor_unit
        assert app.moves[-1].seconds == view.cursor_seconds
        units = [m.unit for m in app.moves]
        assert len(units) == len(set(units))  # never the same unit twice in a row
        await pilot.press("k")
        assert view.cursor_row == 1
        await pilot.press("G")
        assert view.cursor_row == len(view.row_layout) - 1
        assert view.scroll_y == view.max_scroll_y
        await pilot.press("g")
        assert view.cursor_row == 0 and view.scroll_y == 0
        await pilot.press("pagedown")
        assert view.cursor_row >= 20 and view.scroll_y > 0


async def test_cursor_skips_blank_rows():
    app = ViewApp(captions(60))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.query_one(TranscriptView)
        lay = view.row_layout
        blank = next(r for r in range(len(lay)) if lay.is_blank(r))
        view.cursor_row = blank - 1
        await pilot.press("j")
        assert view.cursor_row == blank + 1


async def test_cursor_row_is_styled():
    app = ViewApp(captions(50))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.query_one(TranscriptView)
        await pilot.press("j")
        cursor = component(view, "cursor")
        assert styles_at(view, 1, GUTTER + 2).bgcolor == cursor.bgcolor
        assert styles_at(view, 0, GUTTER + 2).bgcolor != cursor.bgcolor


async def test_selection_and_quote():
    app = ViewApp(captions(50))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.query_one(TranscriptView)
        await pilot.press("j", "j", "v", "j")
        await pilot.pause()
        assert view.selection_rows == (2, 3)
        selection = component(view, "selection")
        assert styles_at(view, 2, GUTTER + 1).bgcolor == selection.bgcolor
        await pilot.press("y")
        await pilot.pause()
        assert view.selection_rows is None  # copied: the selection is cleared
        quote = app.quotes[-1]
        # unpunctuated captions: whole caption units, not screen rows
        expected = units_text(app, view, 2, 3)
        assert quote.text == expected
        assert " ".join(body(view, y) for y in (2, 3)) in expected
        assert not quote.with_link
        first_unit = view.row_layout.unit_of_row(2)
        assert quote.seconds == app.doc[1].unit_seconds[first_unit]
        assert quote.estimated
        await pilot.press("k", "v", "j", "Y")
        await pilot.pause()
        assert app.quotes[-1].with_link and app.quotes[-1].text == expected
        assert view.selection_rows is None
        await pilot.press("v", "j", "escape")
        assert view.selection_rows is None


async def test_quote_without_selection_is_the_cursor_row():
    app = ViewApp(captions(50))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.query_one(TranscriptView)
        await pilot.press("j", "y")
        await pilot.pause()
        assert app.quotes[-1].text == units_text(app, view, 1, 1)
        assert body(view, 1) in app.quotes[-1].text


async def test_show_range_highlights_and_scrolls():
    app = ViewApp(captions(400))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.query_one(TranscriptView)
        view.show_range(300, 302)
        await pilot.pause()
        lay = view.row_layout
        first, last = lay.rows_of_range(300, 302)
        height = view.scrollable_content_region.height
        assert view.scroll_y == first - height // 3
        assert view.cursor_row == first
        assert view.cursor_unit == 300
        y = first - round(view.scroll_y)
        claim = component(view, "claim-range")
        # the range starts mid-row: columns before it are not tinted, after it are
        start_col, end_col = lay.range_columns(first, 300, 302)
        view.cursor_row = first + 1 if last > first + 1 else first - 1
        await pilot.pause()
        assert styles_at(view, y, GUTTER + start_col).bgcolor == claim.bgcolor
        if start_col > 0:
            assert styles_at(view, y, GUTTER + start_col - 1).bgcolor != claim.bgcolor
        assert "line 300 says" in body(view, y)
        # every row of the range is marked beside the gutter (the cursor row too)
        view.cursor_row = first
        await pilot.pause()
        for row in range(first, last + 1):
            assert styles_at(view, row - round(view.scroll_y), GUTTER - 1).bgcolor == claim.bgcolor
        assert styles_at(view, last + 2 - round(view.scroll_y), GUTTER - 1).bgcolor != claim.bgcolor


async def test_show_range_taller_than_view_starts_at_top():
    app = ViewApp(captions(400))
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        view = app.query_one(TranscriptView)
        view.show_range(100, 200)
        await pilot.pause()
        assert view.scroll_y == view.row_layout.row_of_unit(100)


async def test_go_to_time_and_unit():
    app = ViewApp(captions(400))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.query_one(TranscriptView)
        secs = app.doc[1].unit_seconds
        view.go_to_time(secs[250] + 0.1)
        await pilot.pause()
        assert view.cursor_unit == 250
        assert abs(view.cursor_seconds - secs[view.cursor_unit]) < 1e-9
        top = round(view.scroll_y)
        assert top <= view.cursor_row < top + view.scrollable_content_region.height
        view.go_to_unit(0)
        await pilot.pause()
        assert view.cursor_row == 0 and view.scroll_y == 0


async def test_search_hits_next_prev_and_wrap():
    texts = captions(300)
    texts[40] = "here the Agents arrive."
    texts[200] = "an agent leaves."
    app = ViewApp(texts)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.query_one(TranscriptView)
        lay = view.row_layout
        view.set_search_terms(["agent"])
        r40, r200 = lay.row_of_unit(40), lay.row_of_unit(200)
        await pilot.press("n")
        assert view.cursor_row == r40
        y = r40 - round(view.scroll_y)
        col = body(view, y).index("Agents")
        hit = component(view, "search-hit")
        assert styles_at(view, y, GUTTER + col + 5).bgcolor == hit.bgcolor  # whole word
        await pilot.press("n")
        assert view.cursor_row == r200
        await pilot.press("n")
        assert view.cursor_row == r40  # wrapped
        await pilot.press("N")
        assert view.cursor_row == r200
        view.set_search_terms(["nowhere"])
        assert view.next_hit() is False and view.prev_hit() is False
        view.set_search_terms(["agents"])  # stem-ish: also finds "agent"
        assert view.next_hit() and view.cursor_row in (r40, r200)


async def test_markup_is_shown_literally_and_links_are_inert():
    texts = ["[bold red]x[/] and [/] closing", "[@click=app.quit]q[/] click me", "\x1b[31mred"]
    app = ViewApp(texts)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.query_one(TranscriptView)
        text = body(view, 0)
        # the escape sequence goes whole
        assert text == "[bold red]x[/] and [/] closing [@click=app.quit]q[/] click me red"
        for seg in view.render_line(0):
            assert "\x1b" not in seg.text
            assert seg.style is None or not any("click" in k for k in seg.style.meta)
        col = GUTTER + text.index("[@click")
        await pilot.click(TranscriptView, offset=(col + 1, 0))
        await pilot.click(TranscriptView, offset=(col + 10, 0))
        await pilot.pause()
        assert app.is_running
        assert view.cursor_row == 0


async def test_click_sets_cursor_row():
    app = ViewApp(captions(100))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.query_one(TranscriptView)
        await pilot.click(TranscriptView, offset=(GUTTER + 3, 4))
        assert view.cursor_row == 4


async def test_scrolled_away_cursor_comes_back_on_next_key():
    app = ViewApp(captions(400))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.query_one(TranscriptView)
        view.scroll_to(y=100, animate=False, immediate=True)
        await pilot.pause()
        assert view.cursor_row == 0
        await pilot.press("j")
        assert 100 <= view.cursor_row <= 101
        assert view.scroll_y == 100


async def test_resize_keeps_cursor_unit():
    app = ViewApp(captions(400))
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        view = app.query_one(TranscriptView)
        view.go_to_unit(250)
        await pilot.pause()
        before = view.cursor_unit
        await pilot.resize_terminal(50, 24)
        await pilot.pause()
        assert view.row_layout.width == 50 - 2 - GUTTER  # scrollbar is 2 cells
        assert view.cursor_unit == before
        top = round(view.scroll_y)
        assert top <= view.cursor_row < top + view.scrollable_content_region.height


async def test_hundred_thousand_char_line_renders():
    app = ViewApp(["y" * 100_000, "after"])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.query_one(TranscriptView)
        assert body(view, 0) == "y" * (80 - 2 - GUTTER)
        await pilot.press("G")
        await pilot.pause()
        assert "after" in body(view, view.cursor_row - round(view.scroll_y))


async def test_long_transcript_finishes_in_background_and_pending_jump_lands():
    texts = captions(TranscriptView.SYNC_UNITS * 3)
    app = ViewApp(texts)
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(TranscriptView)
        view.show_range(len(texts) - 10, len(texts) - 8)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert view.is_complete
        assert view.readable.unit_count == len(texts)
        assert view.cursor_unit == len(texts) - 10
        top = round(view.scroll_y)
        assert top <= view.cursor_row < top + view.scrollable_content_region.height


async def test_empty_transcript_keys_do_nothing():
    app = ViewApp([])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "k", "G", "g", "pagedown", "v", "y", "n", "escape")
        await pilot.pause()
        view = app.query_one(TranscriptView)
        assert view.cursor_row == 0 and app.quotes == []
        assert row_text(view, 0).strip() == ""


async def test_speaker_labels_and_focus_strength():
    lines = [
        TranscriptUnit("Hello there.", 1, speaker="Alice"),
        TranscriptUnit("Hi [b]Alice[/b].", 2, speaker="Bob"),
    ]
    transcript = Transcript(Path("t.txt"), lines, False, 2)
    app = ViewApp(["x"])
    app.doc = (transcript, Alignment([0.0, 65.0], False, 70.0, []))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.query_one(TranscriptView)
        assert row_text(view, 0).startswith("   00:00 Alice: Hello there.")
        assert row_text(view, 2).startswith("   01:05 Bob: Hi [b]Alice[/b].")
        focused = styles_at(view, 0, GUTTER + 1).bgcolor
        view.blur()
        await pilot.pause()
        assert styles_at(view, 0, GUTTER + 1).bgcolor != focused


async def test_plain_rows_carry_the_themes_background_dark_and_light():
    app = ViewApp(SENTENCES * 20)
    async with app.run_test(size=(80, 24)) as pilot:
        for theme in ("textual-dark", "textual-light"):
            app.theme = theme
            await pilot.pause()
            view = app.query_one(TranscriptView)
            view.blur()
            await pilot.pause()
            background = view.rich_style.bgcolor
            assert background is not None
            for y in (1, 2):  # rows without the cursor: text, then the padding after it
                colours = {seg.style.bgcolor for seg in view.render_line(y) if seg.text}
                assert colours == {background}, (theme, y, colours)
                segments = [seg for seg in view.render_line(y) if seg.text.strip()]
                assert all(seg.style.color is not None for seg in segments)


async def test_less_keys_page_and_half_page():
    app = ViewApp(captions(400))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.query_one(TranscriptView)
        height = view.scrollable_content_region.height
        await pilot.press("space")
        assert view.scroll_y == height
        await pilot.press("ctrl+f")
        assert view.scroll_y == 2 * height
        await pilot.press("b")
        assert view.scroll_y == height
        await pilot.press("ctrl+b")
        assert view.scroll_y == 0
        await pilot.press("ctrl+d")
        assert view.scroll_y == height // 2 and view.cursor_row >= height // 2
        await pilot.press("ctrl+u")
        assert view.scroll_y == 0


async def test_n_counts_hits_and_says_when_it_wrapped():
    app = ViewApp(captions(120))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.query_one(TranscriptView)
        view.set_search_terms(["line 3"])  # rows with "line" (every row) and "3"
        view.set_search_terms(["says"])
        total = len(view.hit_seconds())  # one per row with a hit
        assert total > 10
        await pilot.press("n")
        assert view.hit_message() == f"Hit 2 of {total}"  # the cursor row is hit 1
        await pilot.press("N", "N")
        assert view.hit_message() == f"Hit {total} of {total} (wrapped to the last)"
        await pilot.press("n")
        assert view.hit_message() == f"Hit 1 of {total} (wrapped to the first)"
        assert any(f"Hit 1 of {total}" in note for note in app.notes)


async def test_a_beginning_shown_early_is_taken_over_by_its_whole_with_the_place_kept():
    texts = captions(300)
    app = ViewApp(texts)
    transcript, alignment = app.doc
    head = Transcript(Path("t.txt"), transcript.units[:120], False, 120)
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(TranscriptView)
        view.show_beginning(head)
        await pilot.pause()
        assert view.readable.unit_count == 120 and not view.is_complete
        assert row_text(view, 0)[:GUTTER].strip() == ""  # no times yet
        await pilot.press("j", "j", "j", "j")
        row, unit = view.cursor_row, view.cursor_unit
        view.go_to_unit(250)  # not there yet: waits for the whole
        view.go_to_unit(unit)
        view.set_document(transcript, alignment)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert view.is_complete and view.readable.unit_count == 300
        assert (view.cursor_row, view.cursor_unit) == (row, unit)
        assert row_text(view, 0).startswith("  ~00:00 line 0 says")  # the times arrived
        # a whole that does not begin with the beginning shown replaces it
        view.show_beginning(Transcript(Path("t.txt"), [TranscriptUnit("other", 1)], False, 1))
        await pilot.pause()
        await pilot.press("j")
        view.set_document(transcript, alignment)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert view.cursor_row == 0 and view.readable.unit_count == 300


class LandingApp(ViewApp):
    """The episode opening at start: the document set and a place to land on before the
    pane has a size; what the first frame showed is noted just after it."""

    def __init__(self, texts, landing):
        super().__init__(texts)
        self.landing = landing
        self.first_frame: dict | None = None

    def on_mount(self) -> None:
        # (Textual runs ViewApp.on_mount after this one: the landing waits for it)
        view = self.query_one(TranscriptView)
        self.call_next(lambda: view.go_to_unit(self.landing))
        self.call_after_refresh(self._note_first_frame)

    def _note_first_frame(self) -> None:
        view = self.query_one(TranscriptView)
        height = view.scrollable_content_region.height
        self.first_frame = {
            "complete": view.is_complete,
            "units": view.readable.unit_count,
            "place": (view.cursor_row, view.cursor_unit, view.scroll_y),
            "rows": [row_text(view, y) for y in range(height)],
        }


async def test_a_place_deep_in_a_transcript_opens_on_its_words_before_the_whole_is_laid_out():
    texts = captions(3000)
    app = LandingApp(texts, 1800)
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(TranscriptView)
        for _ in range(200):  # the whole is laid out just after the first frame
            if view.is_complete:
                break
            await pilot.pause()
        first = app.first_frame
        assert first is not None
        # the first frame laid out the units up to the place and a few screens on
        assert not first["complete"] and 1800 < first["units"] < 3000
        row, unit, scroll_y = first["place"]
        assert unit == 1800 and f"line {unit} says" in first["rows"][row - scroll_y]
        # the whole took over: the same place, the same rows on screen
        assert view.is_complete and view.readable.unit_count == 3000
        assert (view.cursor_row, view.cursor_unit, view.scroll_y) == first["place"]
        height = view.scrollable_content_region.height
        assert [row_text(view, y) for y in range(height)] == first["rows"]
        # scrolling on from there shows the rows of the whole: past the head's end and back
        whole = Readable(app.doc[0].units).layout(view.row_layout.width)  # laid out at once
        for key in ("pagedown",) * 8 + ("pageup",) * 12:
            await pilot.press(key)
            top = round(view.scroll_y)
            assert body(view, 0) == whole.row_text(top).rstrip()
        await pilot.press("G")
        assert f"line {len(texts) - 1} says" in units_text(
            app, view, view.cursor_row, view.cursor_row
        )


async def test_the_end_key_before_the_whole_is_laid_out_goes_to_the_true_end():
    class Slow(LandingApp):
        def compose(self) -> ComposeResult:
            view = TranscriptView()
            view.HEAD_DELAY = 60.0  # the whole would come much later: G brings it now
            yield view

    texts = captions(3000)
    app = Slow(texts, 10)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.query_one(TranscriptView)
        assert not view.is_complete and view.cursor_unit == 10
        await pilot.press("G")
        assert view.is_complete and view.cursor_row == len(view.row_layout) - 1
        last = units_text(app, view, view.cursor_row, view.cursor_row)
        assert f"line {len(texts) - 1} says" in last
