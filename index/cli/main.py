"""``kildefinner-index``: build, search, inspect, report on and publish an index from the command line.

Exit codes: 0 ok, 1 nothing could be indexed / runtime error, 2 bad arguments or missing/corrupt index.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import logging
import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from index import api
from index.api import IndexCorruptError, IndexMissingError, KildefinnerError, NothingIndexedError, printable
from index.cli import decisions
from index.records import Hit, SearchFilters, SearchMode, SearchResult

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


EPILOG = "Exit codes: 0 ok; 1 nothing could be indexed or a runtime error; 2 bad arguments, or no usable index."
INDEX_HELP = "the index folder (made by 'build'; for a published share, 'sync' it to a local folder first)"


def _command(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str, summary: str,
             details: str = "") -> argparse.ArgumentParser:
    """A subcommand whose own --help starts with what it does (argparse shows ``help`` only in the list)."""
    return sub.add_parser(name, help=summary, description=summary[0].upper() + summary[1:] + "."
                          + (f" {details}" if details else ""), epilog=EPILOG)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kildefinner-index", epilog=EPILOG + " 'kildefinner-index COMMAND --help' "
                                "describes a command's options.",
                                description="Build, search, inspect, report on and publish a Kildefinner index "
                                            "from the command line (offline; nothing is sent anywhere).")
    p.add_argument("-v", "--verbose", action="store_true", help="log what is done (INFO level) to standard error")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = _command(sub, "build", "build or update an index snapshot from source folders",
                 "Only changed files are read again; the previous snapshot serves until the new one is complete.")
    b.add_argument("--index", required=True, type=Path, help="the index folder to build or update")
    b.add_argument("--source", action="append", default=[], metavar="[TIER=]PATH",
                   help="a source folder; TIER is var, regional or local (repeatable)")
    b.add_argument("--manifest", type=Path, help="CSV with metadata for files that carry none")
    b.add_argument("--model", help="model folder (default: the provisioned e5-small)")
    b.add_argument("--encoder", choices=["onnx", "sentence-transformers"], default="onnx",
                   help="onnx (default: onnxruntime, no torch) or sentence-transformers (central builds on a "
                        "bigger machine; needs torch, uses a GPU if there is one)")
    b.add_argument("--no-model", action="store_true", help="lexical-only index (no vectors)")
    b.add_argument("--full", action="store_true", help="rebuild everything, ignoring the previous snapshot")
    b.add_argument("--demo", action="store_true", help="index the embedded demo corpus")

    s = _command(sub, "search", "search an index: one query, queries from standard input, or a batch to a TREC "
                 "run file", "Loading the language model takes seconds and happens once per process: to run many "
                 "queries, give them on standard input (--stdin) or in a file (--queries), not one process each. "
                 "--timings says where the time went.")
    s.add_argument("--index", required=True, type=Path, help=INDEX_HELP)
    s.add_argument("--top", type=int, default=None, help="number of hits (default 10; 100 with --queries)")
    s.add_argument("--mode", choices=tuple(SearchMode), default=SearchMode.HYBRID,
                   help="hybrid (words and meaning, default), lexical (words only: no model is loaded) or dense")
    s.add_argument("--json", action="store_true", help="print the result as JSON (one line per query with --stdin)")
    s.add_argument("--model", help="embedding model folder (default: the provisioned e5-small)")
    s.add_argument("--queries", type=Path, help="TSV with header columns qid and query (needs --run)")
    s.add_argument("--run", type=Path, help="TREC run file to write (with --queries)")
    s.add_argument("--tag", default="kildefinner", help="the run name in the TREC file's last column")
    s.add_argument("--stdin", action="store_true",
                   help="read queries from standard input, one per line, and answer each as it comes (a long-lived "
                        "process: the model is loaded once)")
    s.add_argument("--timings", action="store_true",
                   help="print to standard error how long opening the index, loading the model and searching took")
    s.add_argument("--include-superseded", action="store_true", help="also show superseded (replaced) documents")
    s.add_argument("query", nargs="?", help="the search text (quote it if it has spaces)")

    st = _command(sub, "stats", "show what an index holds", "Documents per tier, stale and superseded counts, "
                  "snapshot and model.")
    st.add_argument("--index", required=True, type=Path, help=INDEX_HELP)
    st.add_argument("--json", action="store_true", help="print the figures as JSON")

    pb = _command(sub, "publish", "publish the serving snapshot to a share for clients to copy",
                  "Clients pick it up with 'sync' (or the app's update check); older versions are pruned.")
    pb.add_argument("--index", required=True, type=Path, help="the built index folder to publish")
    pb.add_argument("--to", required=True, type=Path, metavar="SHARE", help="the share folder clients read from")
    pb.add_argument("--keep", type=int, default=3, help="published versions kept on the share (default 3)")

    rp = _command(sub, "report", "write the cleanup report (HTML + CSV) for the procedure team",
                  "Overlaps with VAR, local copies, stale and superseded documents, local-only routines.")
    rp.add_argument("--index", required=True, type=Path, help=INDEX_HELP)
    rp.add_argument("--out", required=True, type=Path, help="folder for report.html and the CSV files")
    rp.add_argument("--gaps", nargs="*", type=Path, default=[], metavar="FILE",
                    help="exported content-gap files (export-gaps) to merge into the report")

    sy = _command(sub, "sync", "copy the published index from a share into a local index folder",
                  "Copies only when the share has a newer version; the local copy is switched atomically.")
    sy.add_argument("--from", dest="share", required=True, type=Path, metavar="SHARE",
                    help="the share folder 'publish' wrote to")
    sy.add_argument("--index", required=True, type=Path, help="local index folder to keep up to date")
    decisions.add_parser(sub)
    decisions.add_gap_parser(sub)
    return p


def _progress_bar() -> Callable[[str, int, int], None]:
    from tqdm import tqdm

    bars: dict[str, tqdm] = {}

    def progress(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            bar = bars[stage] = tqdm(total=total, desc=f"{stage:>6}", unit="doc" if stage != "embed" else "chunk",
                                     leave=True, file=sys.stderr, disable=None)
        bar.total = total
        bar.update(done - bar.n)
        if done >= total:
            bar.close()
    return progress


def cmd_build(args: argparse.Namespace) -> int:
    if args.demo:
        sources, manifest = api.demo_sources()
    else:
        try:
            sources = [api.parse_source_arg(a) for a in args.source]
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        manifest = args.manifest
    if not sources:
        print("error: give at least one --source [TIER=]PATH (or --demo)", file=sys.stderr)
        return EXIT_USAGE
    if manifest is not None and not manifest.is_file():
        print(f"error: manifest not found: {manifest}", file=sys.stderr)
        return EXIT_USAGE
    missing = [(tier, Path(folder)) for tier, folder in sources if not Path(folder).expanduser().is_dir()]
    for tier, folder in missing:
        reason = "does not exist" if not folder.expanduser().exists() else "is not a folder"
        print(f"{'error' if len(missing) == len(sources) else 'warning'}: source {tier}={folder} {reason}",
              file=sys.stderr)
    if len(missing) == len(sources):  # nothing to read: stop before an index folder is created
        return EXIT_USAGE
    existed = Path(args.index).exists()
    try:
        report = api.build(args.index, sources, manifest=manifest, model_path=args.model,
                           use_model=not args.no_model, progress=_progress_bar(), full=args.full,
                           encoder=args.encoder)
    except NothingIndexedError as exc:
        print(f"error: {printable(exc)}; the source folders hold no readable PDF, DOCX, HTML, Markdown or text "
              f"file", file=sys.stderr)
        if not existed:  # leave no empty index folder behind
            shutil.rmtree(args.index, ignore_errors=True)
        return EXIT_FAIL
    except KildefinnerError as exc:  # a build already running, the index not writable
        print(f"error: {printable(exc)}", file=sys.stderr)
        return EXIT_FAIL
    for path, reason in report.skipped:  # names come from the folders: escape what a terminal would act on
        print(f"skipped  {printable(path)}: {printable(reason)}", file=sys.stderr)
    for path, msg in report.warnings:
        print(f"warning  {printable(path)}: {printable(msg)}", file=sys.stderr)
    print(f"indexed {report.indexed}, reused {report.reused}, removed {report.removed}, "
          f"skipped {len(report.skipped)}, warnings {len(report.warnings)} "
          f"in {report.seconds:.1f} s → snapshot {report.snapshot}")
    return EXIT_OK


def _open(args: argparse.Namespace) -> api.Engine:
    started = time.perf_counter()
    engine = api.Engine(args.index)
    opened = time.perf_counter()
    if engine.fallback_reason:
        print(f"warning: serving an older snapshot: {engine.fallback_reason}", file=sys.stderr)
    if args.mode != SearchMode.LEXICAL and not engine.load_model(args.model):
        print(f"note: semantic search unavailable ({engine.model_error}); lexical only", file=sys.stderr)
    if getattr(args, "timings", False):
        loaded = (f"loaded in {time.perf_counter() - opened:.2f} s" if args.mode != SearchMode.LEXICAL
                  else "not loaded (lexical)")
        print(f"timings: index opened in {opened - started:.2f} s, model {loaded}", file=sys.stderr)
    return engine


def _read_queries(path: Path) -> list[tuple[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t")
        if not reader.fieldnames or not {"qid", "query"} <= set(reader.fieldnames):
            raise ValueError(f"{path}: needs a header with columns 'qid' and 'query'")
        return [(r["qid"], r["query"] or "") for r in reader]


def _marked(h: Hit) -> str:
    """The snippet with its matched words in bold (ANSI), for a terminal; the document's own text escaped."""
    out, pos = [], 0
    for a, b in h.marks:
        out += [printable(h.snippet[pos:a]), "\033[1m", printable(h.snippet[a:b]), "\033[0m"]
        pos = b
    return "".join(out) + printable(h.snippet[pos:])


def cmd_search(args: argparse.Namespace) -> int:
    if sum(map(bool, (args.queries, args.query, args.stdin))) != 1:
        print("error: give a query, --stdin, or --queries FILE --run OUT", file=sys.stderr)
        return EXIT_USAGE
    if args.queries and not args.run:
        print("error: --queries needs --run OUT", file=sys.stderr)
        return EXIT_USAGE
    filters = SearchFilters(include_superseded=args.include_superseded)
    try:
        queries = _read_queries(args.queries) if args.queries else []
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    engine = _open(args)  # the slow part (the model), once for all the queries that follow
    spent = 0.0

    def search(text: str, top: int) -> SearchResult:
        nonlocal spent
        started = time.perf_counter()
        result = engine.search(text, filters=filters, top=top, mode=args.mode)
        spent += time.perf_counter() - started
        return result

    if args.queries:
        with open(args.run, "w", encoding="utf-8") as out:
            for qid, text in queries:
                result = search(text, args.top or 100)
                out.writelines(trec_lines(qid, [(h.doc_id, h.fused) for h in result.hits], args.tag))
        print(f"wrote {len(queries)} queries to {args.run}", file=sys.stderr)
        count = len(queries)
    elif args.stdin:
        count = 0
        for line in sys.stdin:
            if line.strip():
                _print_result(search(line.strip(), args.top or 10), args.json, query=line.strip())
                count += 1
                sys.stdout.flush()  # answer each query as it comes: a caller may wait for it
    else:
        _print_result(search(args.query, args.top or 10), args.json)
        count = 1
    if args.timings:
        print(f"timings: {count} queries searched in {spent:.2f} s ({spent / max(count, 1) * 1000:.0f} ms each)",
              file=sys.stderr)
    return EXIT_OK


def _print_result(result: SearchResult, as_json: bool, *, query: str = "") -> None:
    if as_json:
        print(json.dumps(dataclasses.asdict(result), ensure_ascii=False, default=str,
                         indent=None if query else 1))
        return
    if query:
        print(f"# {printable(query)}")
    if result.notice:
        print(f"({printable(result.notice)})")
    if result.suggestion:
        print(f"Mente du: {printable(result.suggestion)}")
    for rank, h in enumerate(result.hits, 1):
        flags = " ".join(f for f, on in (("[UTDATERT]", h.stale), ("[UTGÅTT]", h.status == "superseded")) if on)
        print(f"{rank:2}. [{h.tier.upper():8}] {printable(h.title)}  ({printable(h.doc_id)}) {flags}")
        print(f"    {printable(h.owner)} · {printable(h.section)} · lex {h.lexical:.2f} dense {h.dense:.3f} "
              f"→ {h.fused:.3f}")
        print(f"    {_marked(h) if sys.stdout.isatty() else printable(h.snippet)}")
    if not result.hits:
        print("no results")


def cmd_stats(args: argparse.Namespace) -> int:
    engine = api.Engine(args.index)
    s = engine.stats()
    if args.json:
        print(json.dumps(dataclasses.asdict(s), ensure_ascii=False, indent=1))
    else:
        for field in dataclasses.fields(s):
            print(f"{field.name:>12}: {getattr(s, field.name)}")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    engine = api.Engine(args.index)
    try:
        paths = api.write_report(engine, args.out, gap_files=args.gaps)
    except OSError as exc:
        print(f"error: cannot write the report to {args.out}: {exc}", file=sys.stderr)
        return EXIT_FAIL
    finally:
        engine.close()
    print(f"wrote {len(paths)} files to {args.out}: " + ", ".join(p.name for p in paths))
    return EXIT_OK


def trec_lines(qid: str, ranked: list[tuple[str, float]], tag: str) -> list[str]:
    """TREC run lines. Scores are made non-increasing so tools that sort by score keep the engine's order
    (a VAR procedure placed above its local variant can have the lower fused score)."""
    lines, last = [], float("inf")
    for rank, (doc_id, score) in enumerate(ranked, 1):
        last = min(score, last - 1e-6)
        lines.append(f"{qid} Q0 {doc_id} {rank} {last:.6f} {tag}\n")
    return lines


def cmd_publish(args: argparse.Namespace) -> int:
    if args.keep < 1:
        print("error: --keep must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    r = api.publish(args.index, args.to, keep=args.keep)
    if r.already_published:
        print(f"already published: {r.version} ({r.documents} documents) on {r.share}")
    else:
        print(f"published {r.version}: {r.documents} documents, {r.files} files, {r.bytes / 1e6:.1f} MB "
              f"→ {r.share}" + (f" (removed old versions: {', '.join(r.pruned)})" if r.pruned else ""))
    return EXIT_OK


def cmd_sync(args: argparse.Namespace) -> int:
    r = api.sync(args.share, args.index)
    print(f"{r.status}: serving {r.version or 'nothing'}" + (f" (share: {r.published})" if r.published else "")
          + (f" — {printable(r.reason)}" if r.reason else ""))
    return EXIT_OK if r.status in (api.UPDATED, api.UP_TO_DATE) else EXIT_FAIL


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        return {"build": cmd_build, "search": cmd_search, "stats": cmd_stats, "publish": cmd_publish,
                "sync": cmd_sync, "report": cmd_report,
                "decisions": decisions.run,
                "export-gaps": decisions.run_export_gaps}[args.command](args)
    except BrokenPipeError:  # `... | head` closed the pipe: stop quietly, as other command-line tools do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the interpreter's final flush does not fail again
        return EXIT_FAIL
    except IndexMissingError as exc:
        print(f"error: {printable(exc)}", file=sys.stderr)
        index = getattr(args, "index", None)
        if index is not None and api.is_share(index):
            print(f"note: {printable(index)} is a published share; copy it to a local index first:\n"
                  f"  kildefinner-index sync --from {printable(index)} --index LOCAL_FOLDER", file=sys.stderr)
        return EXIT_USAGE
    except IndexCorruptError as exc:
        print(f"error: {printable(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except KildefinnerError as exc:
        print(f"error: {printable(exc)}", file=sys.stderr)
        return EXIT_FAIL

