"""reader: read long transcripts beside their AI-written summaries."""

__version__ = "0.1.0"
