"""The summary pane: one of the episode's summaries as section headers and timestamped
claims. Enter on a claim posts ClaimChosen; ``y``/``Y`` post QuoteRequested.

Reverse sync (``mark_unit``) moves the "current" marker only. While this pane has focus
the cursor and scroll position are left alone (the user is reading it); when it does
not, the cursor follows the marked claim so it is scrolled into view.

Claim text is file text: it is only ever put into ``Content`` as plain text.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...model import Claim, ClaimAlignment, Summary, format_timestamp
from ..messages import ClaimChosen, QuoteRequested
from .status_line import safe_text

MAX_CLAIM_CHARS = 2000  # display only; quotes use the whole claim


class SummaryView(OptionList):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "Top", show=False),
        Binding("G", "last", "Bottom", show=False),
        Binding("y", "quote(False)", "Copy quote", id="summary.quote"),
        Binding("Y", "quote(True)", "Quote+link", show=False, id="summary.quote_link"),
    ]

    DEFAULT_CSS = """
    SummaryView .option-list--option-disabled { color: $text; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.summaries: list[Summary] = []
        self.alignments: list[list[ClaimAlignment]] = []
        self.summary_index = 0
        self.current_claim: int | None = None
        self._option_of_claim: dict[int, int] = {}
        self._claim_of_option: dict[int, int] = {}
        self._message = "No episode open."

    # --- data ---------------------------------------------------------------------
    def set_summaries(
        self,
        summaries: list[Summary],
        alignments: list[list[ClaimAlignment]] | None,
        summary_index: int = 0,
    ) -> None:
        self.summaries = list(summaries)
        self.alignments = list(alignments or [])
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
        name = self.summaries[self.summary_index].path.name
        return f"Summary {self.summary_index + 1}/{len(self.summaries)}: {name}"

    def claim_alignment(self, claim_index: int, summary_index: int | None = None) -> ClaimAlignment | None:
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
    def _prompt(self, claim: Claim, current: bool) -> Content:
        ca = self.claim_alignment(claim.index)
        status = ca.status if ca else "ok"
        marker = ("▶ ", "bold $accent") if current else ("  ", "")
        text = safe_text(claim.text, MAX_CLAIM_CHARS)
        parts: list = [marker, (format_timestamp(claim.seconds), "$accent" if current else "$text-muted")]
        if status == "time_mismatch" and ca is not None:
            parts += [" ", ("≠", "bold $warning"), (f" ~{format_timestamp(ca.seconds)}", "$warning")]
        elif status == "unsupported":
            parts += [" ", ("?", "bold $text-muted")]
        parts.append("  ")
        if status == "unsupported":
            parts.append((text, "$text-muted"))
        elif current:
            parts.append((text, "bold"))
        else:
            parts.append(text)
        return Content.assemble(*parts)

    def _rebuild(self) -> None:
        self.border_title = Content(self.label)
        self._option_of_claim.clear()
        self._claim_of_option.clear()
        options: list[Option | None] = []
        summary = self.summary
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
                        options.append(Option(Content.styled(header, "bold $secondary"), disabled=True))
                position = sum(1 for o in options if o is not None)
                self._option_of_claim[claim.index] = position
                self._claim_of_option[position] = claim.index
                options.append(Option(self._prompt(claim, claim.index == self.current_claim), id=f"claim-{claim.index}"))
            if not summary.claims:
                options.append(Option(Content.styled("This summary has no timestamped claims.", "$text-muted"), disabled=True))
        self.set_options(options)
        if self._option_of_claim:
            self.highlighted = self._option_of_claim[min(self._option_of_claim)]

    def _refresh_claim(self, claim_index: int | None) -> None:
        summary = self.summary
        if claim_index is None or summary is None or claim_index not in self._option_of_claim:
            return
        claim = summary.claims[claim_index]
        self.replace_option_prompt_at_index(
            self._option_of_claim[claim_index], self._prompt(claim, claim_index == self.current_claim)
        )

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
        self.mark_claim(self.claim_for_unit(unit))

    def mark_claim(self, claim_index: int | None) -> None:
        if claim_index == self.current_claim:
            return
        old, self.current_claim = self.current_claim, claim_index
        self._refresh_claim(old)
        self._refresh_claim(claim_index)
        if claim_index is not None and not self.has_focus and claim_index in self._option_of_claim:
            self.highlighted = self._option_of_claim[claim_index]

    def select_claim(self, claim_index: int) -> None:
        """Put the cursor on a claim (a search hit or restored place) and scroll to it."""
        if claim_index in self._option_of_claim:
            self.highlighted = self._option_of_claim[claim_index]
            self.scroll_to_highlight()

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

    def action_quote(self, with_link: bool) -> None:
        claim_index = self.highlighted_claim
        summary = self.summary
        if claim_index is None or summary is None:
            self.notify("No claim under the cursor.", severity="warning")
            return
        claim = summary.claims[claim_index]
        ca = self.claim_alignment(claim_index)
        seconds = ca.seconds if ca is not None and ca.status != "unsupported" else claim.seconds
        self.post_message(QuoteRequested(claim.text, seconds, with_link))
