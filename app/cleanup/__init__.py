"""«Rydding» for the procedure team: the overlap/stale table, side-by-side comparison and phase-out decisions."""
