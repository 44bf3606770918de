"""What the tests share: the client on sys.path, a fake clock, a fake panel
(an in-process http.server that checks the wire shape of what it receives
and answers as docs/protocol.md says), and a wait helper."""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Optional, Tuple
from urllib.parse import parse_qs, urlsplit

CLIENT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if CLIENT_ROOT not in sys.path:
    sys.path.insert(0, CLIENT_ROOT)

# The reporter logs what it survives; the tests assert on it instead.
logging.getLogger("breaker_panel").addHandler(logging.NullHandler())
logging.getLogger("breaker_panel").propagate = False

STAND_INS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "stand_ins")

EPOCH = 1_700_000_000_000.0


class FakeClock:
    """Epoch milliseconds that move only when a test says so."""

    def __init__(self, start: float = EPOCH) -> None:
        self.value = start

    def now(self) -> float:
        return self.value

    def advance(self, ms: float) -> None:
        self.value += ms


def wait_until(predicate: Callable[[], Any], timeout: float = 10.0, what: str = "condition") -> Any:
    """Polls until ``predicate()`` is truthy; fails after ``timeout`` seconds (a bound, not a speed assertion)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


IDENTITY_KEYS = {"protocolVersion", "service", "instanceId", "runId"}
WIRE_KEYS = {
    "register": IDENTITY_KEYS | {"startedAt", "labels", "sdk", "breakers"},
    "reports": IDENTITY_KEYS | {"sequence", "sentAt", "droppedTransitions", "breakers"},
    "transitions": IDENTITY_KEYS | {"sequence", "breaker", "from", "to", "wouldBe", "at", "cause", "failureRate", "slowCallRate", "commandId"},
    "commandAcks": IDENTITY_KEYS | {"commandId", "breaker", "status", "state", "reason", "duplicate", "at"},
}
BREAKER_REPORT_KEYS = {"name", "state", "wouldBe", "override", "counters", "latency", "window"}
CONFIG_KEYS = {
    "implementation", "window", "failureRateThreshold", "slowCallThresholdMs", "slowCallRateThreshold", "minimumCalls",
    "openTimeoutMs", "openTimeoutBackoff", "halfOpenMaxCalls", "callTimeoutMs", "hasFallback",
}


def check_wire_shape(batch: Dict[str, Any]) -> Optional[str]:
    """The fields ZReportBatch requires, exactly (an unknown key is as wrong as a missing one); None when it fits."""
    if batch.get("protocolVersion") != 1:
        return "protocolVersion"
    if not set(batch) <= {"protocolVersion", "register", "reports", "transitions", "commandAcks"}:
        return f"batch keys {sorted(batch)}"
    messages = ([("register", batch["register"])] if "register" in batch else []) + [
        (kind, message) for kind in ("reports", "transitions", "commandAcks") for message in batch.get(kind, [])
    ]
    for kind, message in messages:
        if set(message) != WIRE_KEYS[kind]:
            return f"{kind} keys {sorted(set(message) ^ WIRE_KEYS[kind])}"
    for breaker in batch.get("register", {}).get("breakers", []):
        if set(breaker) != {"name", "config"} or set(breaker["config"]) != CONFIG_KEYS:
            return "register.breakers"
    for report in batch.get("reports", []):
        for breaker in report["breakers"]:
            if set(breaker) != BREAKER_REPORT_KEYS or len(breaker["latency"]["counts"]) > 66:
                return "reports.breakers"
    return None


class FakePanel:
    """An in-process panel for wire-shape tests: records each batch, answers
    ``storedTransitions`` (all, or what ``store`` decides) and the commands a test
    queued; ``GET /api/v1/commands`` is a long poll. ``script`` holds canned
    answers (status, body) consumed one per batch before the normal answer."""

    def __init__(self, api_key: str = "bp_test_key", long_poll: bool = True) -> None:
        self.api_key = api_key
        self.long_poll = long_poll
        self.batches: List[Dict[str, Any]] = []
        self.polls: List[Dict[str, List[str]]] = []
        self.shape_errors: List[str] = []
        self.script: List[Tuple[int, Dict[str, Any]]] = []
        self.store: Callable[[List[int]], List[int]] = lambda sequences: sequences
        self.batch_commands: List[Dict[str, Any]] = []
        self.poll_commands: List[Dict[str, Any]] = []
        self.closing = False
        self.drop_idle_connections = False
        # Cleared by a test to hold every batch that carries a report until it is set again.
        self.release_reports = threading.Event()
        self.release_reports.set()
        self.held_reports = 0
        self._cond = threading.Condition()
        panel = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _answer(self, status: int, body: Dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (a closed reporter's long poll)

            def _authorised(self) -> bool:
                if self.headers.get("Authorization") == f"Bearer {panel.api_key}":
                    return True
                self._answer(401, {"error": {"code": "unauthorized", "message": "The API key is unknown or revoked"}})
                return False

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if not self._authorised():
                    return
                if self.path != "/api/v1/reports":
                    self._answer(404, {"error": {"code": "not_found", "message": "no route"}})
                    return
                if body.get("reports") and not panel.release_reports.is_set():
                    with panel._cond:
                        panel.held_reports += 1
                    panel.release_reports.wait(10)
                status, answer = panel._on_batch(body)
                self._answer(status, answer)
                if panel.drop_idle_connections:
                    self.close_connection = True  # closed after answering, though the answer said keep-alive

            def do_GET(self) -> None:  # noqa: N802
                parts = urlsplit(self.path)
                if not self._authorised():
                    return
                if parts.path != "/api/v1/commands" or not panel.long_poll:
                    self._answer(404, {"error": {"code": "not_found", "message": "no route"}})
                    return
                query = parse_qs(parts.query)
                with panel._cond:
                    panel.polls.append(query)
                    panel._cond.wait_for(lambda: panel.poll_commands or panel.closing, timeout=int(query["waitMs"][0]) / 1000)
                    commands, panel.poll_commands = panel.poll_commands, []
                self._answer(200, {"ok": True, "data": {"commands": commands}})

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()

    def _on_batch(self, body: Dict[str, Any]) -> Tuple[int, Dict[str, Any]]:
        with self._cond:
            self.batches.append(body)
            problem = check_wire_shape(body)
            if problem:
                self.shape_errors.append(problem)
            if self.script:
                return self.script.pop(0)
            stored = self.store([transition["sequence"] for transition in body.get("transitions", [])])
            commands, self.batch_commands = self.batch_commands, []
            self._cond.notify_all()
            return 200, {"ok": True, "data": {"storedTransitions": stored, "commands": commands}}

    def push_poll_command(self, command: Dict[str, Any]) -> None:
        with self._cond:
            self.poll_commands.append(command)
            self._cond.notify_all()

    def all(self, kind: str) -> List[Dict[str, Any]]:
        with self._cond:
            return [message for batch in self.batches for message in batch.get(kind, [])]

    def stop(self) -> None:
        with self._cond:
            self.closing = True  # releases waiting polls
            self._cond.notify_all()
        self._server.shutdown()
        self._server.server_close()


def command(id: str, breaker: str, action: str, scope: Optional[Dict[str, Any]] = None, expires_at: Optional[float] = None) -> Dict[str, Any]:
    """A command:apply payload as the panel sends it."""
    return {
        "protocolVersion": 1, "id": id, "breaker": breaker, "action": action, "expiresAt": expires_at,
        "scope": scope or {"kind": "service"}, "reason": "test", "issuedBy": "tester@example.com", "issuedAt": EPOCH,
    }
