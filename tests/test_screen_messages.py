"""The main screen's message flow, asserted through Textual's public seam
(``run_test(message_hook=...)``): what a user's action makes the screen do, in order."""

from __future__ import annotations

from pathlib import Path

from reader.opening import fallback_alignment
from reader.timeline_marks import rough_stretches, segment_starts
from reader.ui.app import ReaderApp
from reader.ui.messages import ClaimChosen, EpisodeHeadParsed, EpisodeOpened, IndexOpened

LIBRARY = Path(__file__).resolve().parents[1] / "library"
INTERVIEW = "redpoint-douglas-claude-4"


def _align(transcript, summaries, duration_s):
    return fallback_alignment(transcript, summaries, duration_s)


async def test_opening_an_episode_and_choosing_a_claim_post_their_messages_in_order(clipboard):
    seen: list[object] = []
    app = ReaderApp(LIBRARY, align=_align)
    async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
        await pilot.pause()
        for _ in range(200):  # the picker (two episodes), once its list is there
            await app.workers.wait_for_complete()
            await pilot.pause()
            if app.screen.query("DataTable"):
                break
        table = app.screen.query_one("DataTable")
        table.move_cursor(row=table.get_row_index(INTERVIEW))
        await pilot.press("enter")
        for _ in range(200):
            await app.workers.wait_for_complete()
            await pilot.pause()
            if any(isinstance(m, EpisodeOpened) for m in seen) and any(
                isinstance(m, IndexOpened) for m in seen
            ):
                break
        opened = list(
            {id(m): m for m in seen if isinstance(m, EpisodeOpened)}.values()
        )  # once, as it bubbles
        assert len(opened) == 1 and opened[0].opened.episode.id == INTERVIEW
        assert opened[0].opened.error is None and opened[0].opened.transcript is not None
        assert not any(isinstance(m, EpisodeHeadParsed) for m in seen)  # 67 KB: no early head
        await pilot.press("enter")  # the first claim of the summary
        await pilot.pause()
        chosen = [m for m in seen if isinstance(m, ClaimChosen)]
        assert chosen and chosen[-1].claim_index == 0
        assert seen.index(opened[0]) < seen.index(chosen[-1])
        assert app.main_screen.transcript_view.cursor_unit == chosen[-1].unit_start


def test_timeline_segments_are_the_sections_and_an_untimed_clock_has_rough_stretches():
    from reader.library import load_episode

    episode = load_episode(LIBRARY / INTERVIEW)
    alignment = fallback_alignment(episode.transcript, episode.summaries, None)
    rows = alignment.summaries[0]
    starts = segment_starts(rows)
    assert 2 <= len(starts) < len(rows)  # the sections, not every claim
    assert starts[0] == rows[0].seconds
    length = alignment.duration_s
    rough = rough_stretches(alignment, length)
    assert all(0 <= a < b <= length for a, b in rough)
