"""Parsers: files -> model objects. Every parser raises only ``InputError``."""

from reader.parse.summary import parse_summary, parse_summary_text
from reader.parse.transcript import parse_transcript, parse_transcript_text

__all__ = ["parse_summary", "parse_summary_text", "parse_transcript", "parse_transcript_text"]
