"""Launching in context: kildefinner: links, validation, and handing a request to the running app."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from app import instance
from app.instance import InstanceServer, LaunchRequest, parse_url, send_to_running, validated

REPO = Path(__file__).resolve().parents[2]
SENDER = """
import sys
from app.qt import QCoreApplication
from app.instance import LaunchRequest, send_to_running
app = QCoreApplication([])
sys.exit(0 if send_to_running(LaunchRequest(search=sys.argv[2]), name=sys.argv[1], timeout_ms=3000) else 3)
"""


def start_sender(name: str, search: str) -> subprocess.Popen:
    """A second start of the app, as a real process (it waits for the running app's answer)."""
    return subprocess.Popen([sys.executable, "-c", SENDER, name, search], cwd=REPO, stderr=subprocess.PIPE,
                            env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})


def wait_for(qtbot, proc: subprocess.Popen, timeout=20000) -> int:
    qtbot.waitUntil(lambda: proc.poll() is not None, timeout=timeout)
    return proc.returncode


@pytest.mark.parametrize("url, expected", [
    ("kildefinner:search?q=PVK", LaunchRequest(search="PVK")),
    ("kildefinner://search?q=perifert%20venekateter", LaunchRequest(search="perifert venekateter")),
    ("KILDEFINNER:search?q=s%C3%A5r+beh", LaunchRequest(search="sår beh")),
    ("kildefinner:doc/var-009", LaunchRequest(open="var-009")),
    ("kildefinner://doc/lok%3A12", LaunchRequest(open="lok:12")),
])
def test_links_become_requests(url, expected):
    assert parse_url(url) == expected


@pytest.mark.parametrize("url", [
    "https://evil.example/search?q=x",
    "kildefinner:delete?all=1",
    "kildefinner:doc/../../etc/passwd",
    "kildefinner:doc/<script>",
    "kildefinner:search?q=" + "a" * 600,
    "kildefinner:search?q=line%0Abreak%07bell",
])
def test_bad_links_are_refused_with_a_reason(url):
    try:
        req = parse_url(url)
    except ValueError as exc:
        assert str(exc)
    else:  # control characters are folded to spaces rather than refused
        assert req.search == "line break bell"


def test_command_line_values_are_checked_too():
    assert validated(search="  PVK \t stell ") == LaunchRequest(search="PVK stell")
    with pytest.raises(ValueError):
        validated(open_id="a/b")
    with pytest.raises(ValueError):
        validated(search="x" * 501)


def test_second_start_hands_its_request_to_the_running_app(qtbot):
    server = InstanceServer(name=f"kf-test-{uuid.uuid4().hex[:8]}")
    assert server.listen()
    try:
        with qtbot.waitSignal(server.request, timeout=20000) as got:
            sender = start_sender(server.name, "venflon")
        assert got.args == [LaunchRequest(search="venflon")]
        assert wait_for(qtbot, sender) == 0  # it exits only because the running app answered "shown"
    finally:
        server.close()


def test_the_channel_is_scoped_to_the_desktop_session_and_display(monkeypatch):
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setenv("XDG_SESSION_ID", "3")
    first = instance.server_name()
    monkeypatch.setenv("DISPLAY", ":10")  # a second remote desktop session of the same user
    monkeypatch.setenv("XDG_SESSION_ID", "7")
    assert instance.server_name() != first
    assert instance.server_name().startswith("kildefinner-")


def test_a_request_from_another_session_is_not_swallowed(qtbot):
    """The running app is on another screen: it declines, and the new start opens its own window."""
    server = InstanceServer(name=f"kf-test-{uuid.uuid4().hex[:8]}")
    server.scope = "another session|:10"
    assert server.listen()
    got = []
    server.request.connect(got.append)
    try:
        sender = start_sender(server.name, "venflon")
        assert wait_for(qtbot, sender) == 3  # not handed over: main() goes on to show a window
        assert got == []
    finally:
        server.close()


def trickle(path: str, data: bytes, pause: float, stop: threading.Event) -> None:
    """A slow (or hostile) local client: one byte at a time."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.connect(path)
        for byte in data:
            if stop.is_set():
                return
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                return  # the app hung up on us
            time.sleep(pause)


@pytest.mark.skipif(sys.platform == "win32", reason="the slow client talks to the Unix socket directly")
def test_a_slow_client_never_blocks_the_window(qtbot, monkeypatch):
    monkeypatch.setattr(instance, "READ_TIMEOUT_MS", 1500)
    server = InstanceServer(name=f"kf-test-{uuid.uuid4().hex[:8]}")
    assert server.listen()
    stop = threading.Event()
    slow = threading.Thread(target=trickle, args=(server._server.fullServerName(),
                                                  json.dumps({"search": "x" * 400}).encode() + b"\n", 0.2, stop))
    rejected = []
    server.rejected.connect(rejected.append)
    try:
        slow.start()
        qtbot.waitUntil(lambda: server.open_connections == 1, timeout=5000)
        # While the slow client trickles, another start is served at once...
        with qtbot.waitSignal(server.request, timeout=20000) as got:
            sender = start_sender(server.name, "PVK")
        assert got.args == [LaunchRequest(search="PVK")] and wait_for(qtbot, sender) == 0
        # ...and the slow one is dropped when its time is up, not read to the end.
        qtbot.waitUntil(lambda: "request not complete in time" in rejected, timeout=10000)
        assert server.open_connections == 0
    finally:
        stop.set()
        slow.join(10)
        server.close()


def connected_socket(server: InstanceServer):
    """A raw client connection to ``server``, as any local program could open one."""
    from app.qt import QLocalSocket

    sock = QLocalSocket()
    sock.connectToServer(server.name)
    assert sock.waitForConnected(2000)
    return sock


def test_an_oversized_request_is_cut_off(qtbot):
    server = InstanceServer(name=f"kf-test-{uuid.uuid4().hex[:8]}")
    assert server.listen()
    try:
        sock = connected_socket(server)
        with qtbot.waitSignal(server.rejected, timeout=5000) as why:
            sock.write(b"x" * (instance.MAX_MESSAGE + 10))
            sock.waitForBytesWritten(2000)
        assert why.args == ["request too large"]
    finally:
        server.close()


def test_no_running_app_means_start_normally(qtbot):
    assert not send_to_running(LaunchRequest(search="x"), name=f"kf-none-{uuid.uuid4().hex[:8]}", timeout_ms=200)


def test_hostile_message_on_the_socket_is_ignored(qtbot):
    server = InstanceServer(name=f"kf-test-{uuid.uuid4().hex[:8]}")
    assert server.listen()
    try:
        sock = connected_socket(server)
        with qtbot.waitSignal(server.rejected, timeout=5000):
            sock.write(b'{"open": "../../secret"}\n')
            sock.waitForBytesWritten(2000)
    finally:
        server.close()


def test_window_shows_what_a_link_asks_for(qtbot, make_window):
    window = make_window()
    window.on_launch_request(LaunchRequest(search="PVK"))
    assert window.search_bar.field.text() == "PVK"
