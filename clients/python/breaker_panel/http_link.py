"""One keep-alive HTTP connection to the panel, and how its answers are read."""

from __future__ import annotations

import http.client
import json
import socket
import threading
from typing import Any, List, Optional, Tuple, Union
from urllib.parse import urlsplit

from .protocol import RETRYABLE_ERROR_CODES


_STALE_CONNECTION_ERRORS = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError, ConnectionAbortedError)


class PanelError(Exception):
    """The panel refused a request, or could not be reached (``status`` 0)."""

    def __init__(self, status: int, code: str, message: str, path: Optional[List[Union[str, int]]] = None,
                 retry_after: Optional[float] = None) -> None:
        super().__init__(f"{code}: {message}" if status == 0 else f"HTTP {status} {code}: {message}")
        self.status = status
        self.code = code
        self.path = path
        """The failing field for ``invalid_payload``, e.g. ``["transitions", 0, "to"]``."""
        self.retry_after = retry_after
        """Seconds the panel asked to wait (``Retry-After``), if it did."""

    @property
    def retryable(self) -> bool:
        """The same request may succeed later: the link, an overloaded or restarting panel."""
        return self.status == 0 or self.status >= 500 or self.status == 429 or self.code in RETRYABLE_ERROR_CODES


def read_error(status: int, body: Any) -> PanelError:
    """Reads both error shapes the panel answers with: ``{"error": {code, message,
    details: {path}}}`` and ``{"ok": false, "error": {code, message, path}}``."""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return PanelError(status, "http_error", f"HTTP {status} without an error body")
    details = error.get("details")
    path = error.get("path")
    if path is None and isinstance(details, dict):
        path = details.get("path")
    return PanelError(status, str(error.get("code", "http_error")), str(error.get("message", "")), path if isinstance(path, list) else None)


class HttpLink:
    """A keep-alive connection used by one thread at a time; reopened after any
    failure. ``abort()`` may be called from another thread to end a request
    that is waiting (a long poll) so that closing never waits for it."""

    def __init__(self, base_url: str, api_key: str) -> None:
        parts = urlsplit(base_url.rstrip("/"))
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"The panel URL must be http(s)://host[:port], not {base_url!r}")
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port
        self._prefix = parts.path
        self._headers = {"Authorization": f"Bearer {api_key}", "Accept": "application/json"}
        self._connection: Optional[http.client.HTTPConnection] = None
        self._lock = threading.Lock()

    def request(self, method: str, path: str, body: Any = None, timeout: float = 10.0) -> Any:
        """Sends a request and returns the answer's ``data``; raises PanelError for anything else."""
        payload = None if body is None else json.dumps(body, separators=(",", ":"), allow_nan=False).encode()
        headers = dict(self._headers)
        if payload is not None:
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            try:
                connection, reused = self._connect(timeout)
                connection.request(method, self._prefix + path, body=payload, headers=headers)
                response = connection.getresponse()
                raw = response.read()
                status = response.status
                retry_after = response.getheader("Retry-After")
                break
            except (OSError, http.client.HTTPException) as error:
                self.abort()
                # The server closes idle keep-alive connections; the first request on one
                # fails without an answer, and every message here is safe to send twice.
                if attempt == 1 and reused and isinstance(error, _STALE_CONNECTION_ERRORS):
                    continue
                raise PanelError(0, "network", f"{type(error).__name__}: {error}") from error
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        if 200 <= status < 300 and isinstance(parsed, dict) and parsed.get("ok") is True:
            return parsed.get("data")
        if 200 <= status < 300 and not (isinstance(parsed, dict) and parsed.get("ok") is False):
            raise PanelError(status, "unexpected_answer", "the panel answered without {ok: true, data}")
        error = read_error(status, parsed)
        if retry_after is not None and retry_after.strip().isdigit():
            error.retry_after = float(retry_after)
        raise error

    def _connect(self, timeout: float) -> Tuple[http.client.HTTPConnection, bool]:
        """The connection, and whether it carried a request before (and so may have been closed by the server)."""
        with self._lock:
            if self._connection is None:
                cls = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
                self._connection = cls(self._host, self._port, timeout=timeout)
                return self._connection, False
            self._connection.timeout = timeout
            if self._connection.sock is not None:
                self._connection.sock.settimeout(timeout)
            return self._connection, self._connection.sock is not None

    def abort(self) -> None:
        """Closes the connection; a request blocked on it fails at once."""
        with self._lock:
            connection, self._connection = self._connection, None
        if connection is None:
            return
        sock = connection.sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        connection.close()

