"""Cleanup analysis for the procedure team: overlaps with the primary source, the report, content gaps."""
