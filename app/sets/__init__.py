"""Bookmarks and onboarding sets: the SQLite store, the .kildesett file, the pane, walk-through and checklist."""
