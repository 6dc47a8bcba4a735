"""The app under hostile names and titles, broken state and random keys: no escape
reaches the terminal (checked on the exact bytes Textual would write for the screen),
markup in titles stays text in the command palette, and nothing crashes."""

from __future__ import annotations

import json
import random

from textual import events
from textual.command import CommandList
from textual.geometry import Region

import hostile
from reader.ui.app import ReaderApp
from reader.ui.screens.picker import PickerScreen
from test_app import Notes, main_of, settle


def terminal_bytes(app) -> str:
    """What the terminal is sent for the current screen, widget by widget: each line every
    shown widget draws, as the terminal's bytes (Textual's own CSI styling included). The
    headless driver writes nothing, so the lines are rendered here."""
    screen = app.screen
    lines = []
    for widget in (screen, *screen.query("*")):
        width, height = widget.outer_size
        if widget.display and width and height:
            for strip in widget.render_lines(Region(0, 0, width, height)):
                lines.append(strip.render(app.console))
    return "\n".join(lines)


def hostile_single(tmp_path):
    """One loadable episode with hostile names everywhere, and broken neighbours whose
    hostile names are notified."""
    folder = hostile.write_episode(
        tmp_path,
        f"ep{hostile.OSC52}{hostile.RLO}",
        hostile.meta(
            f"Title{hostile.OSC52}{hostile.CLEAR}",
            summaries=[f"s{hostile.OSC52}.md", f"missing{hostile.OSC52}.md"],
        ),
        {"t.txt": hostile.GOOD_TRANSCRIPT, f"s{hostile.OSC52}.md": hostile.GOOD_SUMMARY},
    )
    hostile.write_episode(
        tmp_path, f"broken{hostile.OSC52}", hostile.meta("x", transcript=f"no{hostile.OSC52}.txt")
    )
    return folder


async def test_no_escape_reaches_the_terminal_from_names(tmp_path, clipboard):
    hostile_single(tmp_path)
    app = ReaderApp(tmp_path)
    notes = Notes()
    async with app.run_test(message_hook=notes, size=(120, 40)) as pilot:
        await settle(app, pilot)
        main = main_of(app)
        assert main.episode is not None
        status = main.status.render().plain
        assert "Summary 1/1: s<ESC>]52;c;UFdORUQ=<ESC>\\.md" in status
        shown = " ".join(notes.messages)
        assert "broken<ESC>]52" in shown and "missing<ESC>]52" in shown
        frame = terminal_bytes(app)
        assert "UFdORUQ" in frame  # the name is shown ...
        assert hostile.styled_terminal_unsafe(frame) == []  # ... but never as an escape
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, PickerScreen)
        assert hostile.styled_terminal_unsafe(terminal_bytes(app)) == []


async def test_palette_titles_are_text_not_markup(tmp_path, clipboard):
    for name, title in (
        ("a", "[@click=app.quit]quit[/]"),
        ("b", "[/]"),
        ("c", "Plain [b]bold"),
        ("d", "Last one"),
    ):
        hostile.write_episode(
            tmp_path,
            name,
            hostile.meta(title, extra='show = "[/] [@click=app.quit]x"\n'),
            {"t.txt": hostile.GOOD_TRANSCRIPT},
        )
    app = ReaderApp(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.press(*"open")
        await settle(app, pilot)
        options = app.screen.query_one(CommandList).options
        prompts = [option.prompt.plain for option in options]
        opened = [p for p in prompts if p.startswith("Open episode: ")]
        assert len(opened) == 4  # a "[/]" title hides nothing
        assert any(p.startswith("Open episode: [@click=app.quit]quit[/]") for p in opened)
        assert any("[/] [@click=app.quit]x" in p for p in opened)  # the help line, as text
        for option in options:
            for span in option.prompt.spans:
                assert "@click" not in str(span.style)  # no live link
        assert hostile.styled_terminal_unsafe(terminal_bytes(app)) == []
        assert app.is_running


async def test_palette_survives_page_keys_pressed_at_once(bundled_library, clipboard):
    """ctrl+p, "[", PageDown in one burst: Textual's OptionList paged before its list
    had any lines (KeyError in _move_page) and the app died."""
    for trial in range(3):
        app = ReaderApp(bundled_library)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause(0.05 * trial)
            for key, char in (
                ("ctrl+p", None),
                ("left_square_bracket", "["),
                ("pagedown", None),
                ("pagedown", None),
                ("pageup", None),
            ):
                app.post_message(events.Key(key, char))
            await pilot.pause(0.3)
            for key, char in (
                ("pagedown", None),
                ("backspace", None),
                ("pagedown", None),
                ("o", "o"),
                ("pagedown", None),
            ):
                app.post_message(events.Key(key, char))
            await pilot.pause(0.3)
            assert app.is_running
        assert app.return_code in (None, 0)


async def test_save_while_the_panes_are_gone_keeps_the_last_place(
    tmp_path, clipboard, isolated_dirs
):
    from reader.state import load_place

    hostile.write_episode(tmp_path, "ep", hostile.meta("T"), {"t.txt": hostile.GOOD_TRANSCRIPT})
    app = ReaderApp(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        main = main_of(app)
        main.transcript_view.focus()
        await pilot.press("j", "j", "j")
        await settle(app, pilot)
        unit = (
            main.transcript_view.cursor_unit
        )  # (which unit three rows down is depends on the width)
        assert unit >= 3
        await main.query_one("#panes").remove()  # as while the panes are (re)built
        main.save_now()  # NoMatches('#transcript') before
        await pilot.press("q")
    assert load_place(tmp_path).unit == unit


async def test_state_file_bomb_does_not_stop_the_app(tmp_path, clipboard, isolated_dirs):
    from reader.state import state_path

    hostile.write_episode(tmp_path, "ep", hostile.meta("T"), {"t.txt": hostile.GOOD_TRANSCRIPT})
    state_path().write_text('{"libraries": ' + "[" * 100_000, encoding="utf-8")
    app = ReaderApp(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert main_of(app).episode is not None
        await pilot.press("j")
        await pilot.press("q")
    assert json.loads(state_path().read_text(encoding="utf-8"))["libraries"]


async def test_random_keys_on_a_hostile_library(tmp_path, clipboard):
    root = hostile.build(tmp_path)
    rng = random.Random(15)
    keys = list("jkgGnNtey[]/?") + [
        "tab",
        "shift+tab",
        "enter",
        "escape",
        "pagedown",
        "pageup",
        "ctrl+p",
        "down",
        "up",
        "backspace",
    ]
    app = ReaderApp(root)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        for _ in range(6):
            for key in rng.choices(keys, k=40):
                app.post_message(events.Key(key, key if len(key) == 1 else None))
            await pilot.pause(0.1)
            assert app.is_running
            assert hostile.styled_terminal_unsafe(terminal_bytes(app)) == []
        await settle(app, pilot)
    assert app.return_code in (None, 0)


async def test_palette_fuzzy_match_is_linear_on_a_hostile_title(tmp_path, clipboard):
    """Textual's matcher tries every combination of letter positions: a title of 40
    "e "s and the query "eeeeeeeeeeee" is C(40, 12) ≈ 5·10⁹ of them (the palette hung)."""
    hostile.write_episode(
        tmp_path, "a", hostile.meta("e " * 40), {"t.txt": hostile.GOOD_TRANSCRIPT}
    )
    hostile.write_episode(tmp_path, "b", hostile.meta("Other"), {"t.txt": hostile.GOOD_TRANSCRIPT})
    app = ReaderApp(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("escape", "ctrl+p", *"eeeeeeeeeeee")
        await settle(app, pilot)
        prompts = [option.prompt.plain for option in app.screen.query_one(CommandList).options]
        assert any(p.startswith("Open episode: e e e") for p in prompts)
