"""The search pane: a query box over every episode and a list of results.

Enter in the box runs the query in a thread worker (the index may take a moment) and
moves focus to the first result; Enter on a result posts SearchHitChosen; a spelling
suggestion is offered as "did you mean: …". Snippets are file text: they are styled with
spans on plain ``Content``, never parsed as markup.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Size
from textual.reactive import Reactive
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.visual import RenderOptions, RulesMap, Visual
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...model import format_clock
from ...text import mask_controls
from ..messages import SearchAnswered, SearchCloseRequested, SearchFinished, SearchHitChosen
from .list_keys import LIST_KEYS
from .status_line import safe_text

MAX_SNIPPET = 400
SNIPPET_LINES = 3
SLOW_SEARCH_S = 0.15


def snippet_content(
    snippet: str, spans: list[tuple[int, int]] | None, limit: int = MAX_SNIPPET
) -> Content:
    """``snippet`` as plain Content with each match span styled. Control and reordering
    characters become spaces (``reader.text.mask_controls``: span offsets still line up);
    long snippets are cut at ``limit`` (a word boundary, marked with an ellipsis) but
    always keep the first match in view."""
    text = mask_controls(snippet or "")
    spans = list(spans or [])
    first = min(
        (
            int(sp[0])
            for sp in spans
            if isinstance(sp, (tuple, list)) and sp and isinstance(sp[0], int)
        ),
        default=0,
    )
    if len(text) > limit and first > limit // 2:
        # the first match would be cut off: start a little before it, at a word
        start = text.rfind(" ", 0, max(0, first - limit // 4)) + 1
        text = "…" + text[start:]
        spans = [(int(a) - start + 1, int(b) - start + 1) for a, b, *_ in spans if int(a) >= start]
    if len(text) > limit:
        cut = text.rfind(" ", 0, limit - 1)
        cut = cut if cut > limit // 2 else limit - 1
        text = text[:cut] + "…"
    content = Content(text)
    for span in spans:
        try:
            start, end = int(span[0]), int(span[1])
        except (TypeError, ValueError, IndexError):
            continue
        start, end = max(0, start), min(len(text), end)
        if start < end:
            content = content.stylize("bold reverse $accent", start, end)
    return content


class FittedPrompt(Visual):
    """A prompt made for the width it is drawn at (the title line is cut to fit, the
    snippet's length follows the width): the list measures and draws it again after a
    resize, so a new width needs no new prompts."""

    def __init__(self, make: Callable[[int], Content]) -> None:
        self._make = make
        self._made: tuple[int, Content | None] = (-1, None)

    def _content(self, width: int) -> Content:
        made_width, content = self._made
        if content is None or made_width != width:
            content = self._make(width)
            self._made = (width, content)
        return content

    @property
    def plain(self) -> str:
        """The text as last drawn (at 80 columns if not drawn yet)."""
        _width, content = self._made
        return (content if content is not None else self._content(80)).plain

    def __str__(self) -> str:
        return self.plain

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return container_width

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self._content(width).get_height(rules, width)

    def render_strips(
        self, width: int, height: int | None, style: VisualStyle, options: RenderOptions
    ) -> list[Strip]:
        return self._content(width).render_strips(width, height, style, options)


class HitOption(Option):
    """A result row that carries its hit (as Frogmouth's history options carry theirs)."""

    def __init__(self, hit: Any, prompt: Visual) -> None:
        super().__init__(prompt)
        self.hit = hit


class SuggestionOption(Option):
    """The "did you mean" row: carries the suggested query."""

    def __init__(self, suggestion: str) -> None:
        super().__init__(
            Content.assemble(
                ("did you mean: ", "$text-muted"), (safe_text(suggestion, 200), "bold $accent")
            ),
            id="suggestion",
        )
        self.suggestion = suggestion


class ResultsList(OptionList):
    # A new set of results changes the list's virtual height. Textual's default
    # (``layout=True``) re-lays out the whole screen for that: every pane and every
    # scrollbar again, ~10 ms a search. The list's own box does not depend on its content
    # (``height: 1fr``, a stable scrollbar gutter), so a repaint is enough; a scrollbar
    # that appears or goes still asks for a layout (``show_vertical_scrollbar``).
    virtual_size = Reactive(Size(0, 0), layout=False)

    BINDINGS = [
        Binding("enter", "select", "Open the result at its place", show=False),
        *LIST_KEYS,
    ]


class SearchPane(Vertical):
    BINDINGS = [
        Binding("escape", "leave", "Back to transcript", show=False),
        Binding("ctrl+t", "toggle_scope", "This episode only / all episodes", show=False),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.index: Any = None
        self.index_error: str | None = None
        self.pending: str | None = None
        self.hits: list[Any] = []
        self.suggestion: str | None = None
        self.last_query = ""
        self._searching: str | None = None
        self._cancel: threading.Event | None = None  # set: the running search stops
        self.matcher: Any = ()  # the words the last query matched (reader.search.TermMatcher)
        self.current_episode: str | None = None  # the episode open in the reader
        self.this_episode_only = False  # ctrl+t: search only the open episode
        self._built = False

    def compose(self) -> ComposeResult:
        return []  # the pane's parts are made when it is first wanted (build)

    def on_mount(self) -> None:
        self._show_scope()

    def build(self) -> None:
        """The query box, the note line and the results, made the first time they are
        wanted: the pane is hidden until ``/``, and at start its parts were styled and
        laid out for nothing (benchmarks/README.md, "UI")."""
        if self._built:
            return
        self._built = True
        note = Static("", id="search-note", markup=False)
        note.display = False
        query_box = Input(placeholder=self._placeholder(), id="search-input")
        self.mount_all([query_box, note, ResultsList(id="search-results")])

    @property
    def input(self) -> Input:
        self.build()
        return self.query_one("#search-input", Input)

    @property
    def results_list(self) -> ResultsList:
        self.build()
        return self.query_one("#search-results", ResultsList)

    def note(self, text: str, warning: bool = False) -> None:
        """One line under the box. Shown from the first note on and then kept, so a new
        note repaints one line instead of re-laying out the pane."""
        self.build()
        note = self.query_one("#search-note", Static)
        shown = note.display
        note.update(
            Content.styled(safe_text(text, 300), "$warning" if warning else "$text-muted"),
            layout=not shown,
        )
        if text and not shown:
            note.display = True

    # --- index ----------------------------------------------------------------------
    def set_index(self, index: Any, error: str | None = None) -> None:
        """The screen hands over the library index once it is built (or failed)."""
        self.index, self.index_error = index, error
        if self.pending is not None:
            query, self.pending = self.pending, None
            self.run_query(query)

    def run_query(self, query: str) -> None:
        query = query.strip()
        if not query:
            return
        self.last_query = query
        if self.index is None:
            if self.index_error:
                self.note(f"search unavailable: {self.index_error}", warning=True)
            else:
                self.pending = query
                self.note("index is building… the search will run when it is ready")
            return
        self._searching = query
        if self._cancel is not None:
            self._cancel.set()  # the previous search, if still running, stops
        self._cancel = threading.Event()
        self.set_timer(SLOW_SEARCH_S, self._slow_note)  # only a slow search says so
        self._search(query, self._cancel)

    def _slow_note(self) -> None:
        if self._searching is not None:
            self.note("searching… (Escape cancels)")

    @property
    def scope(self) -> str | None:
        """The episode the search is limited to (ctrl+t), or None for all of them."""
        return self.current_episode if self.this_episode_only else None

    def _placeholder(self) -> str:
        return "Search this episode…" if self.scope is not None else "Search all episodes…"

    def _show_scope(self) -> None:
        self.border_title = "Search · this episode" if self.scope is not None else "Search"
        if self._built:
            self.input.placeholder = self._placeholder()

    def set_episode(self, episode_id: str | None) -> None:
        self.current_episode = episode_id
        self._show_scope()

    def action_toggle_scope(self) -> None:
        if self.current_episode is None and not self.this_episode_only:
            self.notify("Open an episode first: the search covers every episode.", markup=False)
            return
        self.this_episode_only = not self.this_episode_only
        self._show_scope()
        self.notify(
            "Searching this episode only." if self.this_episode_only else "Searching all episodes.",
            markup=False,
        )
        if self.last_query:
            self.run_query(self.input.value or self.last_query)

    @work(thread=True, exclusive=True, group="search")
    def _search(self, query: str, cancel: threading.Event) -> None:
        try:
            if self.scope:
                results = self.index.search(query, episode=self.scope, limit=50, cancel=cancel)
            else:
                results = self.index.search(query, limit=50, cancel=cancel)
        except Exception as exc:  # a bad query must never take the app down
            self.post_message(SearchAnswered(query, None, f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(SearchAnswered(query, results))

    def on_search_answered(self, message: SearchAnswered) -> None:
        message.stop()
        self._searching = None
        results = message.results
        error = message.error or (getattr(results, "error", None) if results is not None else None)
        hits = list(getattr(results, "hits", []) or []) if results is not None else []
        suggestion = getattr(results, "suggestion", None) if results is not None else None
        self.hits = hits
        self.suggestion = suggestion or None
        options: list[Option] = []
        if self.suggestion:
            options.append(SuggestionOption(self.suggestion))
        for hit in hits:
            options.append(HitOption(hit, FittedPrompt(partial(self._hit_prompt, hit))))
        results_list = self.results_list
        results_list.set_options(options)  # one batch
        if error:
            self.note(f"query error: {error}", warning=True)
        else:
            total = getattr(results, "total", len(hits))
            shown = getattr(results, "total_text", str(total))
            line = (
                f"{shown} result{'s' if total != 1 else ''} for {message.query!r}"
                if hits
                else f"no results for {message.query!r}"
            )
            extra = [*getattr(results, "notes", []), getattr(results, "notice", None)]
            self.note(" · ".join([line, *[e for e in extra if e]]), warning=any(extra))
        if options:
            first = 1 if self.suggestion and hits else 0
            results_list.highlighted = first
            results_list.focus()
        # The words the query really matched, from the search core (never re-parsed here).
        self.matcher = getattr(results, "matcher", None) or ()
        if hits and self.matcher:
            self.post_message(SearchFinished(self.matcher))

    def _hit_prompt(self, hit: Any, width: int) -> Content:
        """Compact: ``Title · 12:34 · transcript`` on one line, then the snippet (a short
        fragment around the match, its spans highlighted), at most SNIPPET_LINES lines."""
        title = safe_text(str(getattr(hit, "title", "") or getattr(hit, "episode", "")), 80)
        seconds = getattr(hit, "seconds", None)
        if seconds is not None:
            when = format_clock(seconds, bool(getattr(hit, "estimated", False)))
        else:
            when = safe_text(str(getattr(hit, "timestamp", "") or ""), 12)
        kind = "summary" if getattr(hit, "kind", "") == "summary" else "transcript"
        kind_part = f" · {kind}"  # at any width: the title gives way first
        room = max(2, width - len(f" · {when}{kind_part}"))
        if len(title) > room:
            title = title[: room - 1] + "…"
        snippet = str(getattr(hit, "snippet", "") or getattr(hit, "text", ""))
        speaker = safe_text(str(getattr(hit, "speaker", "") or ""), 40)  # who says it, when known
        limit = max(40, SNIPPET_LINES * max(10, width) - width // 2)
        return Content.assemble(
            (title, "bold"),
            (f" · {when}", "$accent"),
            (kind_part, "$text-muted"),
            "\n",
            (f"{speaker}: " if speaker else "", "bold $secondary"),
            snippet_content(snippet, getattr(hit, "spans", None), limit - len(speaker)),
        )

    # --- choosing -------------------------------------------------------------------
    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.run_query(event.value)

    @on(OptionList.OptionSelected, "#search-results")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option = event.option
        if isinstance(option, SuggestionOption):
            self.input.value = option.suggestion
            self.run_query(option.suggestion)
            return
        if not isinstance(option, HitOption):
            return
        hit = option.hit
        kind = "summary" if getattr(hit, "kind", "") == "summary" else "transcript"

        def as_int(value: Any, default: int = -1) -> int:
            return int(value) if isinstance(value, int) else default

        self.post_message(
            SearchHitChosen(
                episode_id=str(getattr(hit, "episode", "")),
                kind=kind,
                unit_start=as_int(getattr(hit, "unit_start", None)),
                unit_end=as_int(getattr(hit, "unit_end", None)),
                summary_index=getattr(hit, "summary_index", None),
                claim_index=getattr(hit, "claim_index", None),
                terms=self.matcher,
            )
        )

    def action_leave(self) -> None:
        if self._searching is not None and self._cancel is not None:
            self._cancel.set()  # Escape during a slow search stops it (the results say so)
            return
        self.post_message(SearchCloseRequested())

    def focus_input(self) -> None:
        self.input.focus()
