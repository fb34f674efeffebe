"""Ingest: source folders and manifest → files → ``Procedure`` records (formats, metadata, decoding, sections)."""
