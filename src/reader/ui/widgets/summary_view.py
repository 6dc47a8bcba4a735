"""The summary pane: one of the episode's summaries as section headers and timestamped
claims. Enter on a claim posts ClaimChosen; ``y``/``Y`` post QuoteRequested.

One cursor: the ``▶`` marks the highlighted claim. Reverse sync (``mark_unit``, the claim
under the transcript's position) moves both; moving the highlight (j/k) moves the ``▶``
with it, so Enter and ``y`` act on the claim the ``▶`` is on.

Claim text is file text: it is only ever put into ``Content`` as plain text.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.style import Style
from textual.binding import Binding
from textual.content import Content
from textual.events import Resize
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.visual import RenderOptions, RulesMap, Visual
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...model import Claim, ClaimAlignment, Summary, format_clock
from ...text import display_name
from ...wrapped_layout import wrap_pattern
from ..messages import ClaimChosen, QuoteRequested
from .list_keys import LIST_KEYS
from .option_list_internals import measure_now, remeasure, repaint_option, set_prompt
from .status_line import safe_text

MAX_CLAIM_CHARS = 2000  # display only; quotes use the whole claim


class ClaimPrompt(Visual):
    """One claim's row: the marker and time in a column of their own, the claim wrapping
    beside it (a hanging indent). Wrapping is Content's own (words whole, a word longer
    than the column folds); much cheaper than a Rich table, which the list measures and
    renders for every claim at every width."""

    def __init__(self, when: Content, body: Content, column: int) -> None:
        self.when, self.body, self.column = when, body, column
        self._wrapped: tuple[int, list[tuple[int, int]]] = (-1, [])

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.column + self.body.cell_length

    def _spans(self, text_width: int) -> list[tuple[int, int]]:
        """Where the rows of the claim start and end in its text. The list measures every
        claim to size itself: a regular expression over the plain text (as the transcript
        wraps) where each character is one cell, Content's own wrapping elsewhere."""
        if self._wrapped[0] != text_width:
            plain = self.body.plain
            if plain.isascii() or cell_len(plain) == len(plain):
                spans = [m.span() for m in wrap_pattern(text_width).finditer(plain)] or [(0, 0)]
            else:
                spans = []
            self._wrapped = (text_width, spans)
        return self._wrapped[1]

    def _lines(self, text_width: int) -> list[Content]:
        spans = self._spans(text_width)
        if not spans:
            return self.body.wrap(text_width, overflow="fold")
        return [self.body[a:b] for a, b in spans]

    def get_height(self, rules: RulesMap, width: int) -> int:
        text_width = max(1, width - self.column)
        return len(self._spans(text_width)) or len(self._lines(text_width))

    def render_strips(
        self, width: int, height: int | None, style: VisualStyle, options: RenderOptions
    ) -> list[Strip]:
        text_width = max(1, width - self.column)
        base = style.rich_style
        lines = self._lines(text_width)
        if height is not None:
            lines = lines[:height]
        head = Strip(self.when.render_segments(style)).crop_extend(0, self.column, base)
        indent = Strip.blank(self.column, base)
        return [
            Strip.join(
                [
                    head if i == 0 else indent,
                    Strip(line.render_segments(style)).crop_extend(0, text_width, base),
                ]
            )
            for i, line in enumerate(lines)
        ]


class SummaryView(OptionList):
    BINDINGS = [
        Binding("enter", "select", "Show the claim's words in the transcript", show=False),
        *LIST_KEYS,
        Binding("y", "quote(False)", "Copy claim", id="summary.quote"),
        Binding("Y", "quote(True)", "Claim+link", show=False, id="summary.quote_link"),
    ]

    COMPONENT_CLASSES = {
        "summary-view--time",
        "summary-view--current",
        "summary-view--warning",
        "summary-view--muted",
    }
    DEFAULT_CSS = """
    SummaryView .option-list--option-disabled { color: $text; }
    SummaryView > .summary-view--time { color: $text-muted; }
    SummaryView > .summary-view--current { color: $accent; text-style: bold; }
    SummaryView > .summary-view--warning { color: $warning; }
    SummaryView > .summary-view--muted { color: $text-muted; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.summaries: list[Summary] = []
        self.alignments: list[list[ClaimAlignment]] = []
        self.times_estimated = False  # the alignment's times are estimated (their ``~``)
        self.summary_index = 0
        self.current_claim: int | None = None
        self._option_of_claim: dict[int, int] = {}
        self._claim_of_option: dict[int, int] = {}
        self._message = "No episode open."
        self._styles: dict[str, Style] = {}
        self._time_width = 5
        self._measured_at: Any = None
        self._top_wanted = False  # the highlighted claim goes to the top once laid out

    # --- data ---------------------------------------------------------------------
    def set_summaries(
        self,
        summaries: list[Summary],
        alignments: list[list[ClaimAlignment]] | None,
        summary_index: int = 0,
        *,
        estimated: bool = False,
    ) -> None:
        """``estimated``: the alignment's times are estimated (their ``~``)."""
        self.summaries = list(summaries)
        self.alignments = list(alignments or [])
        self.times_estimated = estimated
        self.summary_index = max(0, min(summary_index, len(self.summaries) - 1))
        self._message = "No summaries for this episode."
        self.current_claim = None
        self._rebuild()

    def set_message(self, message: str) -> None:
        self.summaries, self.alignments, self.current_claim = [], [], None
        self._message = message
        self._rebuild()

    @property
    def summary(self) -> Summary | None:
        return self.summaries[self.summary_index] if self.summaries else None

    @property
    def label(self) -> str:
        if not self.summaries:
            return "Summary"
        summary = self.summaries[self.summary_index]
        name = (
            safe_text(summary.title, 80) if summary.title else display_name(summary.path.name, 80)
        )
        return f"Summary {self.summary_index + 1}/{len(self.summaries)}: {name}"

    def claim_alignment(
        self, claim_index: int, summary_index: int | None = None
    ) -> ClaimAlignment | None:
        s = self.summary_index if summary_index is None else summary_index
        if 0 <= s < len(self.alignments) and 0 <= claim_index < len(self.alignments[s]):
            return self.alignments[s][claim_index]
        return None

    def switch(self, delta: int) -> bool:
        """Show the previous/next summary (wrapping). False when there is only one."""
        if len(self.summaries) < 2:
            return False
        self.summary_index = (self.summary_index + delta) % len(self.summaries)
        self.current_claim = None
        self._rebuild()
        return True

    def show_summary(self, index: int) -> None:
        if self.summaries and 0 <= index < len(self.summaries) and index != self.summary_index:
            self.summary_index = index
            self.current_claim = None
            self._rebuild()

    # --- rendering ----------------------------------------------------------------
    def _prompt(self, claim: Claim, current: bool) -> ClaimPrompt:
        """Marker and time in a narrow column, the claim wrapping in its own column
        (a hanging indent): ``▶ 51:56  Video models already…``. A time_mismatch claim
        shows ``≠ ~52:10`` (where the words are; ``~`` when estimated) before its text, an
        unsupported one ``?``."""
        style = self._styles_now()
        ca = self.claim_alignment(claim.index)
        status = ca.status if ca else "ok"
        text = safe_text(claim.text, MAX_CLAIM_CHARS)
        v = VisualStyle.from_rich_style
        when = Content.assemble(
            ("▶ " if current else "  ", v(style["current"]) if current else ""),
            (format_clock(claim.seconds), v(style["current"] if current else style["time"])),
        )
        parts: list[tuple[str, VisualStyle | str]] = []
        if status == "time_mismatch" and ca is not None:
            parts.append(("≠", v(style["warning"] + Style(bold=True))))
            where = format_clock(ca.seconds, self.times_estimated)
            parts.append((f" {where} ", v(style["warning"])))
        elif status == "unsupported":
            parts.append(("? ", v(style["muted"] + Style(bold=True))))
        if status == "unsupported":
            parts.append((text, v(style["muted"])))
        else:
            parts.append((text, "bold" if current else ""))
        return ClaimPrompt(when, Content.assemble(*parts), self._time_width + 3)

    def _styles_now(self) -> dict[str, Style]:
        if not self._styles:
            # The full computed style, less its background (the row's, or the cursor's,
            # shows through): a partial style resolves $text-muted against no background,
            # white under a light theme.
            def get(name: str) -> Style:
                full = self.get_component_rich_style(name)
                return Style(
                    color=full.color, bold=full.bold, italic=full.italic, underline=full.underline
                )

            self._styles = {
                "time": get("summary-view--time"),
                "current": get("summary-view--current"),
                "warning": get("summary-view--warning"),
                "muted": get("summary-view--muted"),
            }
        return self._styles

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def on_unmount(self) -> None:
        self.app.theme_changed_signal.unsubscribe(self)

    def _size_updated(
        self, size: Any, virtual_size: Any, container_size: Any, layout: bool = True
    ) -> bool:
        # OptionList measures its claims when it first paints: a scrollbar that comes
        # then lays the screen out again and draws every pane a second time. Measured here,
        # during the layout, the screen lays itself out again before anything is drawn
        # (MainScreen.relayout_before_paint).
        changed = super()._size_updated(size, virtual_size, container_size, layout)
        if changed and self._measured_at == self.scrollable_content_region.size:
            # (a ScrollView reports a change on every layout: the compositor's virtual size
            # is never the widget's own) measured at this very size: kept, not drawn again
            return changed
        if changed:
            self._measured_at = None
            if layout and self.options:
                bars = (self.show_horizontal_scrollbar, self.show_vertical_scrollbar)
                measure_now(self)
                if (self.show_horizontal_scrollbar, self.show_vertical_scrollbar) != bars:
                    measure_now(self)  # at the width the scrollbar leaves
                    relayout = getattr(self.screen, "relayout_before_paint", None)
                    if relayout is not None:
                        relayout()
                self._measured_at = self.scrollable_content_region.size
                if self._top_wanted:
                    # measured: scrolled now, so the frame being laid out shows it
                    self._scroll_top()
        return changed

    def _scroll_top_after_layout(self) -> None:
        """The highlighted claim at the top, once the list is laid out (during the
        layout that measures it, or after the next refresh)."""
        self._top_wanted = True
        self.call_after_refresh(self._scroll_top)

    def _scroll_top(self) -> None:
        if self._top_wanted:
            self._top_wanted = False
            self.scroll_to_highlight(top=True)

    def _on_resize(self, event: Resize) -> None:  # type: ignore[override]  # (Textual passes it)
        # a new width re-wraps every claim: the current one back in view (at the top
        # while the summary follows the transcript)
        if self.highlighted is not None:
            self.call_after_refresh(self.scroll_to_highlight, top=not self.has_focus)
        # measured at this very size in _size_updated: OptionList's own handler would
        # throw that away and draw every claim again after the first frame (this stops
        # it, and any on_resize: none is left here)
        if (
            self._measured_at is not None
            and self._measured_at == self.scrollable_content_region.size
        ):
            event.prevent_default()

    def _theme_changed(self, _theme: object) -> None:
        # the claims' prompts carry concrete colours: made again once the new styles apply
        self.call_after_refresh(self._restyle)

    def _restyle(self) -> None:
        self._styles = {}
        summary = self.summary
        if summary is None:
            return
        highlighted = self.highlighted
        for claim in summary.claims:
            option = self._option_of_claim.get(claim.index)
            if option is not None:
                set_prompt(
                    self.get_option_at_index(option),
                    self._prompt(claim, claim.index == self.current_claim),
                )
        remeasure(self)
        self.refresh()
        if highlighted is not None:
            self.highlighted = highlighted

    def _rebuild(self) -> None:
        self.border_title = Content(self.label)
        self._option_of_claim.clear()
        self._claim_of_option.clear()
        options: list[Option | None] = []
        summary = self.summary
        self._styles = {}
        if summary is not None:
            self._time_width = max([len(format_clock(c.seconds)) for c in summary.claims] or [5])
        if summary is None:
            options.append(Option(Content.styled(self._message, "$text-muted"), disabled=True))
        else:
            section = None
            for claim in summary.claims:
                if claim.section != section:
                    section = claim.section
                    if section:
                        header = safe_text(section, 200)
                        if options:
                            options.append(None)
                        options.append(
                            Option(Content.styled(header, "bold $secondary"), disabled=True)
                        )
                position = sum(1 for o in options if o is not None)
                self._option_of_claim[claim.index] = position
                self._claim_of_option[position] = claim.index
                options.append(
                    Option(
                        self._prompt(claim, claim.index == self.current_claim),
                        id=f"claim-{claim.index}",
                    )
                )
            if not summary.claims:
                options.append(
                    Option(
                        Content.styled("This summary has no timestamped claims.", "$text-muted"),
                        disabled=True,
                    )
                )
        self.set_options(options)
        if self._option_of_claim:
            self.highlighted = self._option_of_claim[min(self._option_of_claim)]

    def render_line(self, y: int) -> Strip:
        # One segment per run of equal style: a row repainted alone (the marker below)
        # comes out exactly as when the whole list is painted.
        return super().render_line(y).simplify()

    def _refresh_claim(self, claim_index: int | None) -> None:
        summary = self.summary
        if claim_index is None or summary is None or claim_index not in self._option_of_claim:
            return
        claim = summary.claims[claim_index]
        index = self._option_of_claim[claim_index]
        set_prompt(
            self.get_option_at_index(index), self._prompt(claim, claim_index == self.current_claim)
        )
        # The marker changes neither width nor height: only this option's rows are
        # repainted, instead of re-measuring every claim
        # (``replace_option_prompt_at_index`` clears all caches).
        repaint_option(self, index)

    # --- sync ---------------------------------------------------------------------
    def claim_for_unit(self, unit: int) -> int | None:
        """The claim whose aligned range covers ``unit`` (else the last one starting before)."""
        if not (0 <= self.summary_index < len(self.alignments)):
            return None
        covering = None
        before = None
        for ca in self.alignments[self.summary_index]:
            if ca.status == "unsupported":
                continue
            if ca.unit_start <= unit <= ca.unit_end:
                if covering is None or ca.unit_start >= covering.unit_start:
                    covering = ca
            elif ca.unit_start <= unit:
                if before is None or ca.unit_start >= before.unit_start:
                    before = ca
        best = covering or before
        return best.claim.index if best else None

    def mark_unit(self, unit: int) -> None:
        current = (
            self.claim_alignment(self.current_claim) if self.current_claim is not None else None
        )
        if current is not None and current.unit_start <= unit <= current.unit_end:
            # still inside the marked claim: a claim just chosen keeps its mark, an
            # unsupported one too (on its estimated place), so j / Enter step past it
            return
        self.mark_claim(self.claim_for_unit(unit))

    def mark_claim(self, claim_index: int | None) -> None:
        if claim_index != self.current_claim:
            old, self.current_claim = self.current_claim, claim_index
            self._refresh_claim(old)
            self._refresh_claim(claim_index)
        if claim_index is not None and claim_index in self._option_of_claim:
            option = self._option_of_claim[claim_index]
            if self.highlighted != option:
                self.highlighted = option  # the one cursor: highlight and ▶ together
                if not self.has_focus:  # following the transcript: the claim at the top
                    self._scroll_top_after_layout()

    def section_start(self, delta: int) -> int | None:
        """The first claim of the next (``delta`` > 0) or previous section from the cursor:
        back to the start of the current section first, as ``{`` does in vi. None at an end."""
        summary = self.summary
        if summary is None or not summary.claims:
            return None
        claims = summary.claims
        here = self.highlighted_claim
        if here is None:
            here = self.current_claim if self.current_claim is not None else -1
        starts = [
            c.index for i, c in enumerate(claims) if i == 0 or c.section != claims[i - 1].section
        ]
        if delta > 0:
            later = [i for i in starts if i > here]
            return later[0] if later else None
        earlier = [i for i in starts if i < here]
        return earlier[-1] if earlier else None

    def select_claim(self, claim_index: int) -> None:
        """Put the cursor on a claim (a search hit or restored place) and scroll to it."""
        if claim_index in self._option_of_claim:
            self.highlighted = self._option_of_claim[claim_index]
            # at the top, once laid out: the same place however fast the pane was sized
            self._scroll_top_after_layout()

    @property
    def highlighted_claim(self) -> int | None:
        if self.highlighted is None:
            return None
        return self._claim_of_option.get(self.highlighted)

    # --- actions ------------------------------------------------------------------
    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        claim_index = self._claim_of_option.get(event.option_index)
        if claim_index is None:
            return
        ca = self.claim_alignment(claim_index)
        self.post_message(
            ClaimChosen(
                self.summary_index,
                claim_index,
                ca.unit_start if ca else -1,
                ca.unit_end if ca else -1,
            )
        )

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        # the ▶ goes where the highlight went (read now: the message may be late)
        claim_index = self.highlighted_claim
        if claim_index is not None and claim_index != self.current_claim:
            old, self.current_claim = self.current_claim, claim_index
            self._refresh_claim(old)
            self._refresh_claim(claim_index)

    def action_quote(self, with_link: bool) -> None:
        claim_index = self.highlighted_claim
        summary = self.summary
        if claim_index is None or summary is None:
            self.notify("No claim under the cursor.", severity="warning")
            return
        claim = summary.claims[claim_index]
        # AI text, copied as a summary's claim at the time the summary gives
        self.post_message(
            QuoteRequested(claim.text, claim.seconds, with_link, summary_name=summary.path.name)
        )
