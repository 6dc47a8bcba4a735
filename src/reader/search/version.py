"""The index's schema version, in a module that imports nothing (freshness.py reads it
without importing Whoosh). Bump it whenever the schema or the document-building rules
change: an index with another version is set aside and rebuilt (see schema.py)."""

SCHEMA_VERSION = 7  # 7: the text column of common words (phrases); 6: speaker field
