"""The patterns several parsers share, one definition each."""

from __future__ import annotations

import re

# an HTML/XML tag; "<3" and "a < b" are text
TAG = re.compile(r"</?[A-Za-z][^<>]*>")

# a time in a transcript line: "1:02", "01:02:03", "00:01:02,500" (SRT-style comma)
TRANSCRIPT_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?"

# a time in a summary: up to three leading digits ("125:30"), and only "." before a
# fraction, since a comma there separates stamps ("[00:01, 00:02]")
SUMMARY_TIME = r"\d{1,3}:\d{2}(?::\d{2})?(?:\.\d+)?"

# The pieces of a sentence end, for the patterns that need one (sentence splitting,
# paragraphs, passages, word-timed merging): the punctuation that ends a sentence, and
# the closing quotes and brackets that may follow it.
SENTENCE_MARKS = ".!?…"
END_PUNCT = f"[{SENTENCE_MARKS}]"
CLOSERS = r"[\"'”’)\]]*"

# the end of a sentence at the end of a piece of text, closing quotes and brackets kept
SENTENCE_END = re.compile(rf"{END_PUNCT}{CLOSERS}$")
