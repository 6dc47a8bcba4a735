"""The Textual app: a thin layer over the core (reader.library, reader.sync, reader.search)."""
