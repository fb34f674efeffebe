"""Entry script of the packaged app (build.spec): one program, two executables.

``kildefinner`` runs the app (``app.main``); ``kildefinner-index`` runs the engine CLI (``index.cli``). Both
executables are built from this one script and one import analysis, so the bundle holds one copy of
everything; the executable's own name picks the entry point. Qt is imported only on the app path.
"""

import os
import sys


def main() -> int:
    name = os.path.splitext(os.path.basename(sys.executable if getattr(sys, "frozen", False) else sys.argv[0]))[0]
    if name.lower() == "kildefinner-index":
        from index.cli.main import main as cli_main

        return cli_main()
    from app.main import main as app_main

    return app_main()


if __name__ == "__main__":
    sys.exit(main())
