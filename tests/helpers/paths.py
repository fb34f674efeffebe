"""Where the repository is, for tests that run the CLI as a real process or read docs/ and resources/."""
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
