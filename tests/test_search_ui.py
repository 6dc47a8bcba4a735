"""The words a query matched come from the search core (one TermMatcher carried with the
results) and drive the transcript's highlights and n/N: pilot tests on the bundled
library."""

from __future__ import annotations

import re

from reader.search.highlight import TermMatcher
from reader.ui.app import ReaderApp
from reader.ui.screens.main import MainScreen
from reader.ui.screens.picker import PickerScreen

INTERVIEW = "redpoint-douglas-claude-4"
ARTICLE = "interconnects-claude-4-bet-on-code"


async def settle(app, pilot) -> None:
    for _ in range(300):
        for _ in range(3):
            await pilot.pause()
            await app.workers.wait_for_complete()
        await pilot.pause()
        main = app.main_screen
        if not (main is not None and main.index_building) and not any(
            getattr(s, "counting", False) for s in app.screen_stack
        ):
            return
        await pilot.pause(0.02)


async def open_episode(app, pilot, episode: str) -> MainScreen:
    await settle(app, pilot)
    if not isinstance(app.screen, PickerScreen):
        await pilot.press("e")
        await settle(app, pilot)
    table = app.screen.query_one("DataTable")
    table.move_cursor(row=table.get_row_index(episode))
    await pilot.press("enter")
    await settle(app, pilot)
    main = app.main_screen
    assert isinstance(main, MainScreen) and main.episode is not None and main.episode.id == episode
    return main


async def search(app, pilot, main: MainScreen, query: str) -> None:
    await pilot.press("slash")
    main.search_pane.input.value = ""
    await pilot.press(*query, "enter")
    await settle(app, pilot)


def highlighted_words(main: MainScreen) -> set[str]:
    view = main.transcript_view
    lay = view.row_layout
    out: set[str] = set()
    for row in range(len(lay)):
        text = lay.row_text(row)
        for a, b in view.hits_on_row(row):
            out.add(text[a:b].lower())
    return out


def rows_with(main: MainScreen, word: str) -> list[int]:
    lay = main.transcript_view.row_layout
    return [r for r in range(len(lay)) if re.search(rf"\b{word}\b", lay.row_text(r), re.I)]


async def test_fuzzy_query_highlights_the_word_it_matched_and_n_finds_it(
    bundled_library, clipboard
):
    app = ReaderApp(bundled_library)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await open_episode(app, pilot, INTERVIEW)
        await search(app, pilot, main, "velocty~")
        assert isinstance(main.search_terms, TermMatcher) and main.search_terms.matches("velocity")
        assert "velocity" in highlighted_words(main)
        view = main.transcript_view
        view.focus()
        view.go_to_unit(0)
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert re.search(r"\bvelocity\b", view.row_layout.row_text(view.cursor_row), re.I)


async def test_negated_word_and_field_filter_are_not_highlighted(bundled_library, clipboard):
    app = ReaderApp(bundled_library)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await open_episode(app, pilot, INTERVIEW)
        await search(app, pilot, main, "agents NOT code")
        assert main.search_pane.hits
        await pilot.press("escape")
        main = await open_episode(app, pilot, ARTICLE)  # an episode that says "code"
        assert rows_with(main, "code")
        words = highlighted_words(main)
        assert "agents" in words and "code" not in words

        await search(app, pilot, main, "kind:summary lego")
        assert main.search_pane.hits and all(h.kind == "summary" for h in main.search_pane.hits)
        assert not main.search_terms.matches("summary") and main.search_terms.matches("lego")


async def test_running_highlights_its_stem_not_a_prefix(bundled_library, clipboard):
    app = ReaderApp(bundled_library)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await open_episode(app, pilot, INTERVIEW)
        await search(app, pilot, main, "running")
        words = highlighted_words(main)
        assert "running" in words
        matcher = main.search_terms
        assert not matcher.matches("runner") and not matcher.matches("runny")
        assert all(matcher.matches(w) for w in words)


async def test_escape_cancels_a_running_search(bundled_library, clipboard):
    import threading

    from reader.search import SearchResults

    app = ReaderApp(bundled_library)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await open_episode(app, pilot, INTERVIEW)
        pane = main.search_pane
        real = pane.index
        started = threading.Event()
        seen: list[bool] = []

        class Slow:
            def search(self, query, limit=20, cancel=None, **kw):
                started.set()
                seen.append(bool(cancel and cancel.wait(10)))  # a search that runs until stopped
                return SearchResults(
                    query=query, notes=["search cancelled: showing what it had found"]
                )

        pane.index = Slow()
        await pilot.press("slash", *"claude", "enter")
        for _ in range(100):
            if started.is_set():
                break
            await pilot.pause(0.02)
        assert started.is_set()
        await pilot.press("escape")
        await settle(app, pilot)
        assert seen == [True]  # the running search was told to stop
        note = str(pane.query_one("#search-note").render())
        assert "cancelled" in note
        pane.index = real


async def test_results_name_who_speaks_and_speaker_filter_keeps_to_them(tmp_path, clipboard):
    """A speaker-labelled transcript (Lenny's Podcast, real file): `speaker:lenny` finds
    only Lenny's passages, and each result names him before its snippet."""
    from material import bench
    from reader.cli import main as cli_main

    lib = tmp_path / "lib"
    source = bench("formats/transcripts/lenny_ada-chen-rekhi_transcript.md")
    assert cli_main(["add", str(source), "--title", "Ada Chen Rekhi", "--library", str(lib)]) == 0
    app = ReaderApp(lib)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        if isinstance(app.screen, PickerScreen):
            await pilot.press("enter")
            await settle(app, pilot)
        main = app.main_screen
        assert isinstance(main, MainScreen)
        await search(app, pilot, main, "speaker:lenny podcast")
        results = main.search_pane.results_list
        heads = [
            str(results.get_option_at_index(n).prompt).split("\n")
            for n in range(results.option_count)
        ]
        hits = main.search_pane.hits
        assert hits and all((h.speaker or "").lower() == "lenny" for h in hits)
        assert heads and all(len(h) > 1 and h[1].startswith("Lenny: ") for h in heads[: len(hits)])
