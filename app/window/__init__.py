"""The main window and what hangs off it: its search, document and menu sides, status bar and dialogs."""
