"""Launching in context: kildefinner: links, validation, and handing a request to the running app."""

from __future__ import annotations

import uuid

import pytest

from app.instance import InstanceServer, LaunchRequest, parse_url, send_to_running, validated


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
        with qtbot.waitSignal(server.request, timeout=5000) as got:
            assert send_to_running(LaunchRequest(search="venflon"), name=server.name)
        assert got.args == [LaunchRequest(search="venflon")]
    finally:
        server.close()


def test_no_running_app_means_start_normally(qtbot):
    assert not send_to_running(LaunchRequest(search="x"), name=f"kf-none-{uuid.uuid4().hex[:8]}", timeout_ms=200)


def test_hostile_message_on_the_socket_is_ignored(qtbot):
    from app.qt import QLocalSocket

    server = InstanceServer(name=f"kf-test-{uuid.uuid4().hex[:8]}")
    assert server.listen()
    try:
        sock = QLocalSocket()
        sock.connectToServer(server.name)
        assert sock.waitForConnected(2000)
        with qtbot.waitSignal(server.rejected, timeout=5000):
            sock.write(b'{"open": "../../secret"}\n')
            sock.waitForBytesWritten(2000)
    finally:
        server.close()


def test_window_shows_what_a_link_asks_for(qtbot, make_window):
    window = make_window()
    window.on_launch_request(LaunchRequest(search="PVK"))
    assert window.search_bar.field.text() == "PVK"
