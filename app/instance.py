"""Launching in context: ``--search``/``--open``, ``kildefinner:`` links, and one running app per user.

The EHR (Helseplattformen/Epic), the quality system and the intranet start Kildefinner with a search or a
document: ``kildefinner --search "PVK"``, ``kildefinner --open var-009`` or a registered URL
``kildefinner:search?q=PVK`` / ``kildefinner:doc/var-009``. Everything that arrives this way is untrusted text:
it is parsed here, length-limited and checked, and only ever used as a search string or a document id (never as
a path, markup or a command). If the user already has Kildefinner open, the new process hands the request to
it over a local socket (``QLocalServer``: a Unix socket or a Windows named pipe, private to the user and named
by the user's desktop session and display) and exits once that app answers that it has shown the request, so a
nurse clicking links in the EHR keeps one window. Without that answer the new process opens its own window:
a start never ends without something visible.
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import json
import logging
import os
import re
import sys
import time
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from app.qt import QLocalServer, QLocalSocket, QObject, QTimer, Signal

log = logging.getLogger(__name__)

SCHEME = "kildefinner"
MAX_QUERY = 500  # the engine's own query limit
MAX_DOC_ID = 200
MAX_MESSAGE = 4096  # one request on the socket, in bytes
READ_TIMEOUT_MS = 2000  # a request not complete by then is dropped
MAX_CONNECTIONS = 8  # connections being read at once; more are refused
ACK_SHOWN = b"shown"  # the running app's answer once it has shown the request
_DOC_ID_RE = re.compile(r"[\w.:\-]+")  # ids are slugs (front matter ids, or hashes of paths)


@dataclass(frozen=True)
class LaunchRequest:
    search: str = ""
    open: str = ""

    def __bool__(self) -> bool:
        return bool(self.search or self.open)

    def to_bytes(self, *, scope: str | None = None) -> bytes:
        data = {"search": self.search, "open": self.open}
        if scope is not None:
            data["scope"] = scope
        return json.dumps(data).encode() + b"\n"


def validated(*, search: str | None = None, open_id: str | None = None) -> LaunchRequest:
    """A request from untrusted text; ``ValueError`` with a plain reason when it cannot be used."""
    search = " ".join((search or "").split())  # no control characters or line breaks, single spaces
    if len(search) > MAX_QUERY:
        raise ValueError(f"search text longer than {MAX_QUERY} characters")
    if not all(ch.isprintable() for ch in search):
        raise ValueError("search text contains control characters")
    open_id = (open_id or "").strip()
    if open_id and (len(open_id) > MAX_DOC_ID or not _DOC_ID_RE.fullmatch(open_id)):
        raise ValueError("document id must be up to 200 letters, digits, '.', ':', '_' or '-'")
    return LaunchRequest(search=search, open=open_id)


def parse_url(url: str) -> LaunchRequest:
    """``kildefinner:search?q=…`` or ``kildefinner:doc/<id>`` (``kildefinner://…`` too) → a request."""
    if len(url) > MAX_QUERY * 4:
        raise ValueError("link too long")
    parts = urlsplit(url.strip())
    if parts.scheme.lower() != SCHEME:
        raise ValueError(f"not a {SCHEME}: link")
    where = (parts.netloc + parts.path).strip("/")
    if where == "search":
        values = parse_qs(parts.query, max_num_fields=5).get("q", [""])
        return validated(search=values[0])
    if where.startswith("doc/"):
        return validated(open_id=unquote(where[len("doc/"):]))
    raise ValueError(f"unknown {SCHEME}: link (use {SCHEME}:search?q=… or {SCHEME}:doc/<id>)")


def session_scope() -> str:
    """This desktop session and screen: the user's login session and display (Linux), the Windows session.

    Two sessions of one OS user (a shared ward account, several remote desktop sessions) must not hand
    requests to each other's windows, which the other user cannot see.
    """
    parts = [os.environ.get(k, "") for k in ("XDG_SESSION_ID", "DISPLAY", "WAYLAND_DISPLAY", "SESSIONNAME")]
    if sys.platform == "win32":
        try:
            import ctypes

            sid = ctypes.c_ulong()
            if ctypes.windll.kernel32.ProcessIdToSessionId(os.getpid(), ctypes.byref(sid)):
                parts.append(f"win-session-{sid.value}")
        except (AttributeError, OSError):
            pass
    else:
        with contextlib.suppress(OSError), open("/proc/self/sessionid", encoding="ascii") as fh:
            parts.append(fh.read().strip())
    return "|".join(parts)


def server_name() -> str:
    """Per user and session: the running app that gets a request is the one on this user's screen."""
    user = re.sub(r"[^\w-]", "_", getpass.getuser() or "user")
    scope = hashlib.sha256(session_scope().encode()).hexdigest()[:12]
    return f"kildefinner-{user}-{scope}"


def send_to_running(request: LaunchRequest, *, name: str | None = None, timeout_ms: int = 1000) -> bool:
    """Hand the request to the user's running app in this session. True only when that app confirms it has
    shown the request; otherwise (none runs, it is busy, it is not on this screen) this process starts the app."""
    sock = QLocalSocket()
    sock.connectToServer(name or server_name())
    if not sock.waitForConnected(timeout_ms):
        return False
    sock.write(request.to_bytes(scope=session_scope()))
    if not sock.waitForBytesWritten(timeout_ms):
        sock.abort()
        return False
    answer = b""
    while b"\n" not in answer and len(answer) < 64 and sock.waitForReadyRead(timeout_ms * 3):
        answer += bytes(sock.readAll().data())
    sock.abort()
    return answer.split(b"\n", 1)[0] == ACK_SHOWN


class InstanceServer(QObject):
    """Listens for requests from later starts; emits ``request`` with a validated ``LaunchRequest``.

    Connections are read asynchronously (``readyRead``), each capped at ``MAX_MESSAGE`` bytes and
    ``READ_TIMEOUT_MS``: a client that is slow, silent or hostile never blocks the window.
    """

    request = Signal(object)
    rejected = Signal(str)  # a malformed request (logged; nothing happens)

    def __init__(self, *, name: str | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self.on_new_connection)
        self.name = name or server_name()
        self.scope = session_scope()
        self._buffers: dict[QLocalSocket, bytearray] = {}
        self._deadlines: dict[QLocalSocket, float] = {}
        self._sweep = QTimer(self)
        self._sweep.setInterval(250)
        self._sweep.timeout.connect(self.on_sweep)

    def listen(self) -> bool:
        if self._server.listen(self.name):
            return True
        # A socket file left by a crashed app: nobody answers on it, so it is safe to take over.
        QLocalServer.removeServer(self.name)
        ok = self._server.listen(self.name)
        if not ok:
            log.warning("single-instance server not available: %s", self._server.errorString())
        return ok

    def close(self) -> None:
        for sock in list(self._buffers):
            self._drop(sock)
        self._server.close()

    @property
    def open_connections(self) -> int:
        return len(self._buffers)

    def on_new_connection(self) -> None:
        while self._server.hasPendingConnections():
            sock = self._server.nextPendingConnection()
            if len(self._buffers) >= MAX_CONNECTIONS:
                sock.abort()
                sock.deleteLater()
                self.rejected.emit("too many connections")
                continue
            self._buffers[sock] = bytearray()
            self._deadlines[sock] = time.monotonic() + READ_TIMEOUT_MS / 1000
            sock.readyRead.connect(self.on_ready_read)
            sock.disconnected.connect(self.on_disconnected)
            self._read(sock)
        if self._buffers and not self._sweep.isActive():
            self._sweep.start()

    def on_ready_read(self) -> None:
        sock = self.sender()
        if isinstance(sock, QLocalSocket):
            self._read(sock)

    def on_disconnected(self) -> None:
        sock = self.sender()
        if isinstance(sock, QLocalSocket) and sock in self._buffers:
            self._read(sock)
            if sock in self._buffers:
                self._drop(sock)
                self.rejected.emit("incomplete request")

    def on_sweep(self) -> None:
        """Drop connections whose request is not complete in time (one timer for all of them)."""
        now = time.monotonic()
        for sock in [s for s, deadline in self._deadlines.items() if deadline <= now]:
            self._drop(sock)
            self.rejected.emit("request not complete in time")
        if not self._buffers:
            self._sweep.stop()

    def _read(self, sock: QLocalSocket) -> None:
        buffer = self._buffers.get(sock)
        if buffer is None:
            return
        buffer += bytes(sock.read(MAX_MESSAGE + 1 - len(buffer)).data())
        if len(buffer) > MAX_MESSAGE:
            self._drop(sock)
            self.rejected.emit("request too large")
        elif b"\n" in buffer:
            answer = self._handle(bytes(buffer).split(b"\n", 1)[0])
            self._forget(sock)
            sock.write(answer + b"\n")
            sock.flush()
            sock.disconnectFromServer()

    def _drop(self, sock: QLocalSocket) -> None:
        self._forget(sock)
        sock.abort()

    def _forget(self, sock: QLocalSocket) -> None:
        self._buffers.pop(sock, None)
        self._deadlines.pop(sock, None)
        sock.readyRead.disconnect(self.on_ready_read)
        sock.disconnected.disconnect(self.on_disconnected)
        sock.deleteLater()

    def _handle(self, line: bytes) -> bytes:
        try:
            data = json.loads(line.decode("utf-8"))
            if not isinstance(data, dict):
                raise TypeError("not a JSON object")
            req = validated(search=str(data.get("search", "")), open_id=str(data.get("open", "")))
        except (ValueError, TypeError) as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            log.warning("launch request ignored: %s", exc)
            self.rejected.emit(str(exc))
            return b"rejected"
        scope = data.get("scope")
        if isinstance(scope, str) and scope != self.scope:
            log.info("launch request from another session left to that session")
            return b"elsewhere"  # the other process starts its own window, on its own screen
        self.request.emit(req)
        return ACK_SHOWN
