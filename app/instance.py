"""Launching in context: ``--search``/``--open``, ``kildefinner:`` links, and one running app per user.

The EHR (Helseplattformen/Epic), the quality system and the intranet start Kildefinner with a search or a
document: ``kildefinner --search "PVK"``, ``kildefinner --open var-009`` or a registered URL
``kildefinner:search?q=PVK`` / ``kildefinner:doc/var-009``. Everything that arrives this way is untrusted text:
it is parsed here, length-limited and checked, and only ever used as a search string or a document id (never as
a path, markup or a command). If the user already has Kildefinner open, the new process hands the request to
it over a local socket (``QLocalServer``: a Unix socket or a Windows named pipe, private to the user) and exits,
so a nurse clicking links in the EHR keeps one window.
"""

from __future__ import annotations

import getpass
import json
import logging
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from app.qt import QLocalServer, QLocalSocket, QObject, Signal

log = logging.getLogger(__name__)

SCHEME = "kildefinner"
MAX_QUERY = 500  # the engine's own query limit
MAX_DOC_ID = 200
MAX_MESSAGE = 4096  # one request on the socket, in bytes
_DOC_ID_RE = re.compile(r"[\w.:\-]+")  # ids are slugs (front matter ids, or hashes of paths)


@dataclass(frozen=True)
class LaunchRequest:
    search: str = ""
    open: str = ""

    def __bool__(self) -> bool:
        return bool(self.search or self.open)

    def to_bytes(self) -> bytes:
        return json.dumps({"search": self.search, "open": self.open}).encode() + b"\n"


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


def server_name() -> str:
    """Per user: two nurses logged in on one terminal server each get their own app."""
    user = re.sub(r"[^\w-]", "_", getpass.getuser() or "user")
    return f"kildefinner-{user}"


def send_to_running(request: LaunchRequest, *, name: str | None = None, timeout_ms: int = 1000) -> bool:
    """Hand the request to the user's running app. False when none runs (then this process starts the app)."""
    sock = QLocalSocket()
    sock.connectToServer(name or server_name())
    if not sock.waitForConnected(timeout_ms):
        return False
    sock.write(request.to_bytes())
    ok = sock.waitForBytesWritten(timeout_ms)
    sock.disconnectFromServer()
    return ok


class InstanceServer(QObject):
    """Listens for requests from later starts; emits ``request`` with a validated ``LaunchRequest``."""

    request = Signal(object)
    rejected = Signal(str)  # a malformed request (logged; nothing happens)

    def __init__(self, *, name: str | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self.on_new_connection)
        self.name = name or server_name()

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
        self._server.close()

    def on_new_connection(self) -> None:
        # A request is one short line written right after connecting, so it is read at once (bounded wait)
        # rather than through per-connection slots that could outlive their socket.
        while self._server.hasPendingConnections():
            sock = self._server.nextPendingConnection()
            data = b""
            while b"\n" not in data and len(data) <= MAX_MESSAGE:
                if not sock.bytesAvailable() and not sock.waitForReadyRead(1000):
                    break
                data += bytes(sock.read(MAX_MESSAGE + 1 - len(data)).data())
            sock.abort()
            sock.deleteLater()
            if len(data) > MAX_MESSAGE:
                self.rejected.emit("request too large")
            elif b"\n" in data:
                self._handle(data.split(b"\n", 1)[0])
            else:
                self.rejected.emit("incomplete request")

    def _handle(self, line: bytes) -> None:
        try:
            data = json.loads(line.decode("utf-8"))
            if not isinstance(data, dict):
                raise TypeError("not a JSON object")
            req = validated(search=str(data.get("search", "")), open_id=str(data.get("open", "")))
        except (ValueError, TypeError) as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            log.warning("launch request ignored: %s", exc)
            self.rejected.emit(str(exc))
            return
        self.request.emit(req)
