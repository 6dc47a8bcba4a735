"""Snapshots of what a user sees. Workers (index, alignment) finish before each shot and
every cache folder is a fresh tmp dir, so the pictures are stable."""

from __future__ import annotations

from pathlib import Path

from reader.ui.app import ReaderApp
from reader.ui.screens.main import MainScreen

REPO = Path(__file__).resolve().parents[1]
LIBRARY = REPO / "library"
INTERVIEW = "redpoint-douglas-claude-4"


async def _settle(pilot) -> None:
    app = pilot.app
    for _ in range(300):
        for _ in range(3):
            await pilot.pause()
            await app.workers.wait_for_complete()
        await pilot.pause()
        main = app.main_screen
        busy = main is not None and main.index_building
        busy = busy or any(getattr(screen, "counting", False) for screen in app.screen_stack)
        if not busy:
            return
        await pilot.pause(0.02)


async def _open_interview(pilot) -> MainScreen:
    app = pilot.app
    await _settle(pilot)
    table = app.screen.query_one("DataTable")
    table.move_cursor(row=table.get_row_index(INTERVIEW))
    await pilot.press("enter")
    await _settle(pilot)
    return app.main_screen


async def _choose_lego_claim(pilot) -> None:
    main = await _open_interview(pilot)
    summary = main.summary_view
    index = next(c.index for c in summary.summary.claims if "Lego" in c.text)
    summary.focus()
    summary.select_claim(index)
    await pilot.press("enter")
    await _settle(pilot)
    app = pilot.app
    app.clear_notifications()
    await pilot.pause()


async def _picker(pilot) -> None:
    await _settle(pilot)
    pilot.app.clear_notifications()
    await pilot.pause()


async def _help(pilot) -> None:
    await _open_interview(pilot)
    await pilot.press("question_mark")
    await _settle(pilot)


async def _search_open(pilot) -> None:
    await _open_interview(pilot)
    await pilot.press("slash", *'"escape velocity"', "enter")
    await _settle(pilot)
    pilot.app.clear_notifications()
    await pilot.pause()


async def _light(pilot) -> None:
    pilot.app.theme = "textual-light"
    await _choose_lego_claim(pilot)


TURNS = [
    "so that is the problem we have to solve.",
    "- The following is a conversation with Douglas.",
    "It was recorded on the day the models came out.",
    "- Many knobs. - Many knobs.",
    ">> And which one do you turn first?",
    "- The one that makes the model think longer.",
]


def _turns_library(tmp_path: Path) -> Path:
    folder = tmp_path / "turns"
    folder.mkdir()
    (folder / "captions.txt").write_text("\n".join(TURNS) + "\n", encoding="utf-8")
    (folder / "episode.toml").write_text(
        'title = "Speaker turns"\ntranscript = "captions.txt"\nduration = 60\n', encoding="utf-8"
    )
    return tmp_path


async def _turns(pilot) -> None:
    await _settle(pilot)
    pilot.app.clear_notifications()
    await pilot.pause()


def test_main_screen_120x40(snap_compare):
    assert snap_compare(ReaderApp(LIBRARY), terminal_size=(120, 40), run_before=_choose_lego_claim)


def test_main_screen_80x24(snap_compare):
    assert snap_compare(ReaderApp(LIBRARY), terminal_size=(80, 24), run_before=_choose_lego_claim)


def test_picker(snap_compare):
    assert snap_compare(ReaderApp(LIBRARY), terminal_size=(120, 40), run_before=_picker)


def test_help(snap_compare):
    assert snap_compare(ReaderApp(LIBRARY), terminal_size=(120, 40), run_before=_help)


def test_search_open_120x40(snap_compare):
    assert snap_compare(ReaderApp(LIBRARY), terminal_size=(120, 40), run_before=_search_open)


def test_light_theme_120x40(snap_compare):
    assert snap_compare(ReaderApp(LIBRARY), terminal_size=(120, 40), run_before=_light)


def test_speaker_turns_80x24(snap_compare, tmp_path):
    assert snap_compare(
        ReaderApp(_turns_library(tmp_path)), terminal_size=(80, 24), run_before=_turns
    )
