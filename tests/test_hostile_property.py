"""Property: whatever names and metadata an episode has, loading never raises, the
episode either loads or is one problem line, and nothing shown (``reader list``, its
JSON, the app's display helpers) carries an escape, a control or a bidi character."""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from pathlib import Path

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hostile
from reader.cli import main as reader_main
from reader.length import episode_length
from reader.library import Library
from reader.model import format_clock, format_timestamp
from reader.text import display_name
from reader.ui.widgets.status_line import safe_text

FRAGMENTS = [
    hostile.OSC52,
    hostile.CLEAR,
    hostile.RLO,
    hostile.ZWSP,
    "[/]",
    "[@click=app.quit]",
    "\x9b",
    "\x07",
    "\x1b",
    "\n",
    "\r",
    "\t",
    "a",
    "é",
    "💥",
    "..",
    "\u2028",
    "\ufeff",
]

hostile_text = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=30),
    st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=6).map("".join),
)
names = hostile_text.map(lambda s: s.replace("/", "").replace("\x00", "")).filter(
    lambda s: s not in ("", ".", "..") and not s.startswith(".") and len(s.encode()) < 200
)
scalar = st.one_of(
    hostile_text,
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
)
value = st.one_of(
    scalar, st.lists(scalar, max_size=3), st.dictionaries(st.text(max_size=5), scalar, max_size=3)
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    folder=names,
    transcript=names,
    summary=names,
    meta=st.fixed_dictionaries(
        {},
        optional={key: value for key in ("title", "show", "date", "url", "video_id", "duration")},
    ),
    transcript_text=hostile_text,
)
def test_hostile_metadata_and_names_load_and_display_safely(
    folder, transcript, summary, meta, transcript_text
):
    with tempfile.TemporaryDirectory() as base:
        root = Path(base)
        episode_dir = root / folder
        episode_dir.mkdir()
        (episode_dir / transcript).write_text(
            transcript_text + "\nA plain line.\n", encoding="utf-8"
        )
        if summary != transcript:
            (episode_dir / summary).write_text("Said first [00:00:01].\n", encoding="utf-8")
        meta = {**meta, "transcript": transcript, "summaries": [summary]}
        (episode_dir / "episode.toml").write_text(tomli_w.dumps(meta), encoding="utf-8")

        library = Library.load(root)
        assert len(library.episodes) + len(library.problems) == 1
        for problem in library.problems:
            assert hostile.terminal_unsafe(problem) == [] and "\n" not in problem
        for ep in library.episodes:
            d = episode_length(ep)[0]
            assert d is None or 0 <= d <= 7 * 24 * 3600
            for shown in (
                safe_text(ep.title, 80),
                safe_text(ep.meta.show, 80),
                display_name(ep.id),
                format_clock(d),
                format_timestamp(d),
                *(display_name(p.name) for p in ep.summary_paths),
                *ep.problems,
            ):
                assert hostile.terminal_unsafe(shown) == [], repr(shown)

        for args in (["list", "--library", base], ["list", "--json", "--library", base]):
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                assert reader_main(args) == 0
            assert hostile.terminal_unsafe(out.getvalue()) == [], out.getvalue()
            assert hostile.terminal_unsafe(err.getvalue()) == [], err.getvalue()
            assert "unexpected" not in err.getvalue()
            if "--json" in args:
                assert len(json.loads(out.getvalue())) == len(library.episodes)
