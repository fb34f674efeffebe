"""``python -m app`` runs the desktop app (same as the ``kildefinner`` command)."""

import sys

from app.main import main

sys.exit(main())
