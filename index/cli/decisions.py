"""``kildefinner-index decisions export|import|check``: the decisions file from the command line.

The file is found from the source folders (``--source``, as for ``build``) or given with ``--file``.
``import`` validates the incoming file line by line, reports bad lines as ``FILE:LINE: message`` and merges the
rest through ``DecisionStore`` (atomic, concurrent changes detected). ``check`` validates the file's format and
values, and with ``--index`` also its ids, as the build does. Exit codes: 0 ok, 1 some lines were
rejected or the file could not be written, 2 bad arguments.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from index import api


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    d = sub.add_parser("decisions", help="export, import or check the phase-out decisions file",
                       description="Export, import or check the phase-out decisions file (beslutninger.csv). "
                                   "Import validates line by line and merges; bad lines are listed as FILE:LINE.",
                       epilog="Exit codes: 0 ok; 1 some lines were rejected or the file could not be written; "
                              "2 bad arguments.")
    d.add_argument("action", choices=("export", "import", "check"),
                   help="export: write the decisions as CSV; import: merge a CSV into the file; check: validate "
                        "the file and list bad lines")
    d.add_argument("incoming", nargs="?", type=Path, help="the CSV to import (import only)")
    d.add_argument("--source", action="append", default=[], metavar="[TIER=]PATH",
                   help="a source folder (repeatable): the decisions file sits in the folder holding them")
    d.add_argument("--file", type=Path, help="the decisions file itself (instead of --source)")
    d.add_argument("--out", type=Path, help="where export writes (default: standard output)")
    d.add_argument("--user", default="", help="who decided (import; default: the login name)")
    d.add_argument("--index", type=Path, help="check: also check the ids against this index, as the build does")


def add_gap_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    g = sub.add_parser("export-gaps", help="export this PC's content-gap counts (CSV) for the procedure team",
                       description="Export this PC's content-gap counts (searches that found nothing useful; "
                                   "only when IT enabled gap_log) as CSV, for 'report --gaps'.",
                       epilog="Exit codes: 0 ok; 1 no gap log on this PC; 2 bad arguments.")
    g.add_argument("--out", required=True, type=Path, help="the CSV file to write")
    g.add_argument("--log", type=Path, help="the gap log (default: this user's, where the app keeps it)")


def run_export_gaps(args: argparse.Namespace) -> int:
    log = api.GapLog(args.log or api.default_gap_log_path())
    if not log.path.exists():
        print(f"no gap log at {log.path} (the gap log is off unless IT enables gap_log)", file=sys.stderr)
        return 1
    print(f"wrote {log.export(args.out)} queries to {args.out}")
    return 0


def run(args: argparse.Namespace) -> int:
    try:
        path = args.file or api.decisions_path([api.parse_source_arg(s) for s in args.source])
    except (ValueError, api.DecisionError) as exc:
        print(f"error: {exc} (give --source folders or --file)", file=sys.stderr)
        return 2
    if args.action == "export":
        text = api.render_decisions(api.read_decisions(path).decisions.values())
        if args.out:
            args.out.write_text(text, encoding="utf-8")
            print(f"wrote {text.count(chr(10)) - 1} decisions to {args.out}")
        else:
            sys.stdout.write(text)
        return 0
    if args.action == "check":
        return _report(path, api.read_decisions(path, **_ids(args.index)))
    if args.incoming is None:
        print("error: import needs the CSV file to import", file=sys.stderr)
        return 2
    incoming = api.read_decisions(args.incoming)
    store = api.DecisionStore(path, user=args.user)
    store.load()
    after = store.save(incoming.decisions)
    print(f"imported {len(incoming.decisions)} decisions into {path} ({len(after)} in all)")
    return _report(args.incoming, incoming)


def _ids(index: Path | None) -> dict:
    """The document and VAR ids of ``index`` for ``api.read_decisions`` (none without an index: format only)."""
    if index is None:
        return {}
    with api.Engine(index) as engine:
        docs = engine.snapshot.docs
        return {"known": {m.doc_id for m in docs}, "var_ids": {m.doc_id for m in docs if m.tier == api.Tier.VAR}}


def _report(path: Path, loaded: api.LoadedDecisions) -> int:
    for line, message in loaded.problems:
        print(f"{path}:{line}: {message}", file=sys.stderr)
    return 1 if loaded.problems else 0
