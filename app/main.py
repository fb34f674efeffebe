"""Entry point (``kildefinner`` / ``python -m app``): arguments, logging, excepthook, window, event loop.

The window is shown before anything slow happens: the index opens (or, on first run, the demo index is
built) and the embedding model loads on the task runner afterwards. Nothing here imports torch.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()  # before the Qt import: --measure-startup counts from here

import argparse
import logging
import os
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

log = logging.getLogger("app")


def link_only(argv: list[str]) -> str | None:
    """The ``kildefinner:`` link when one is given; then it must be the only argument.

    A launcher (browser, EHR) puts the link on the command line; if a crafted link broke out of its quoting,
    the rest could otherwise set ``--index``/``--model``. So with a link, nothing else is accepted.
    """
    links = [a for a in argv if a.lower().lstrip().startswith(("kildefinner:", "-kildefinner:"))]
    if not links:
        return None
    rest = [a for a in argv if a != "--"]
    if len(rest) != 1:
        sys.exit("kildefinner: a kildefinner: link must be the only argument; nothing else is accepted with it")
    return rest[0]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    link = link_only(list(argv or []))
    if link is not None:
        return _parser().parse_args(["--", link])
    return _parser().parse_args(argv)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kildefinner", description="Offline search for nursing procedures.")
    p.add_argument("--index", metavar="DIR", help="index folder to open (default: the configured one, or the demo)")
    p.add_argument("--model", metavar="DIR", help="embedding model folder")
    p.add_argument("--lexical-only", action="store_true", help="do not load the embedding model")
    p.add_argument("--search", metavar="TEXT", help="start with this search")
    p.add_argument("--open", metavar="DOC_ID", help="open this document when the index is ready")
    p.add_argument("--tablet", choices=("auto", "on", "off"), help="touch layout")
    p.add_argument("--lang", choices=("nb", "nn", "en"), help="interface language")
    p.add_argument("--font-scale", type=float, help="text size factor (0.5–3.0)")
    p.add_argument("--self-test", action="store_true", help="headless check: open/build the demo index, search, "
                                                            "load the model, exit 0 if all is well")
    p.add_argument("--measure-startup", action="store_true", help="print ms until the window is shown, then exit")
    p.add_argument("--new-instance", action="store_true",
                   help="start a separate app even if one is running for this user")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="debug detail in the log file and on standard error")
    p.add_argument("url", nargs="?", help="a kildefinner: link (kildefinner:search?q=… or kildefinner:doc/<id>); "
                                          "when given, it must be the only argument")
    return p


def launch_request(args: argparse.Namespace):
    """The search/document asked for on the command line or by a link; exits with a message if unusable."""
    from app.instance import parse_url, validated

    try:
        if args.url:
            return parse_url(args.url)
        return validated(search=args.search, open_id=args.open)
    except ValueError as exc:
        sys.exit(f"kildefinner: {exc}")


def flags_from(args: argparse.Namespace) -> dict:
    return {"index_dir": args.index, "model_path": args.model, "tablet_mode": args.tablet, "language": args.lang,
            "font_scale": args.font_scale, "semantic": False if args.lexical_only else None}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.self_test or args.measure_startup:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from app.config import Config
    from app.errors import install_excepthook, setup_logging
    from app.qt import QApplication, QTimer

    log_path = setup_logging(verbose=args.verbose)
    install_excepthook()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Kildefinner")
    app.setOrganizationName("Kildefinner")
    request = launch_request(args)
    single = not (args.self_test or args.measure_startup or args.new_instance)
    if single:
        from app.instance import send_to_running

        if send_to_running(request):
            log.info("handed %s to the running app", request)
            return 0
    config = Config(flags=flags_from(args))
    for layer, key, reason in config.ignored:
        log.warning("setting %s from the %s layer ignored: %s", key, layer, reason)
    log.info("starting; log file %s", log_path)

    from app.session import Session
    from app.tasks import TaskRunner
    from app.updates import IndexUpdater, ReusingModelLoader
    from app.window.mainwindow import MainWindow

    runner = TaskRunner()
    session = Session(runner=runner, index_dir=config.get("index_dir") or None,
                      model_path=config.get("model_path"), semantic=config.get("semantic"),
                      model_loader=ReusingModelLoader())
    window = MainWindow(config=config, session=session)
    if config.machine_value("gap_log"):  # IT's machine configuration only: a user cannot switch it on
        from app.search.gaplog import GapRecorder
        from index.api import GapLog, default_gap_log_path

        recorder = GapRecorder(GapLog(default_gap_log_path()))
        recorder.attach(session, window)
        app.aboutToQuit.connect(recorder.flush)

    if args.self_test:
        from app.selftest import run_self_test

        try:
            return run_self_test(window=window, session=session, need_model=config.get("semantic"))
        finally:
            session.shutdown()

    window.show()
    if args.measure_startup:
        def report() -> None:
            print(f"window shown after {(time.perf_counter() - STARTED) * 1000:.0f} ms "
                  f"(torch imported: {'torch' in sys.modules})", flush=True)
            app.quit()

        QTimer.singleShot(0, report)
        app.exec()
        session.shutdown()
        return 0

    updater = IndexUpdater(session=session, minutes=config.get("update_check_minutes"), parent=window)
    updater.start()  # a published share: look for a newer version once open, then on the interval
    if single:
        from app.instance import InstanceServer

        server = InstanceServer(parent=window)
        server.request.connect(window.on_launch_request)
        server.listen()
    QTimer.singleShot(0, session.start)
    if request.open:
        def open_once() -> None:
            session.engine_changed.disconnect(open_once)
            window.on_launch_request(request)

        session.engine_changed.connect(open_once)
    else:
        window.on_launch_request(request)
    code = app.exec()
    session.shutdown()
    return code


if __name__ == "__main__":
    sys.exit(main())
