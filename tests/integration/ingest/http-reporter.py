"""A Breaker Panel reporter over HTTP, written from docs/protocol.md alone, in
Python's standard library: one breaker guarding a simulated dependency, a
batch every half second (register first, then reports and acknowledgements),
and a long poll for operator commands.

Configured by environment: PANEL_URL, PANEL_API_KEY, SERVICE, INSTANCE_ID,
BREAKER, LABELS (JSON object, optional). Prints one JSON object per line on
stdout for whoever runs it: {"event": "registered"}, {"event": "applied",
...} once per command applied, {"event": "duplicate", ...} for a command
received again. Stops on SIGTERM or SIGINT, printing {"event": "stopped",
"counters": ...}: the counters of the last batch the panel acknowledged.
"""

import json
import os
import signal
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

PROTOCOL_VERSION = 1
REPORT_INTERVAL_S = 0.5
LONG_POLL_MS = 25_000
LATENCY_BUCKETS = 66
ACTIONS = {"trip", "force_closed", "reset", "release"}
RETRYABLE = {"not_registered", "unavailable", "internal"}

PANEL_URL = os.environ["PANEL_URL"].rstrip("/")
API_KEY = os.environ["PANEL_API_KEY"]
SERVICE = os.environ["SERVICE"]
INSTANCE_ID = os.environ["INSTANCE_ID"]
BREAKER = os.environ["BREAKER"]
LABELS = json.loads(os.environ.get("LABELS") or "{}")


def now_ms():
    return int(time.time() * 1000)


def emit(event, **fields):
    print(json.dumps({"event": event, **fields}), flush=True)


class RefusedError(Exception):
    """The panel answered {ok: false}; retryable says whether to send again."""

    def __init__(self, status, error):
        super().__init__(f"{status} {error.get('code')}: {error.get('message')}")
        self.code = error.get("code")
        self.retryable = self.code in RETRYABLE


def call(method, path, body=None, timeout=10.0):
    """One request; returns the answer's data, raises RefusedError on {ok: false}."""
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(PANEL_URL + path, data=data, method=method)
    request.add_header("Authorization", f"Bearer {API_KEY}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            answer = json.loads(response.read())
            status = response.status
    except urllib.error.HTTPError as error:
        answer = json.loads(error.read() or b"{}")
        status = error.code
    if answer.get("ok") is True:
        return answer.get("data")
    raise RefusedError(status, answer.get("error") or {})


class Breaker:
    """The breaker's state as the protocol reports it, steered by commands."""

    def __init__(self):
        self.override = None  # {"state", "expiresAt", "commandId"}
        self.counters = {"success": 0, "failure": 0, "timeout": 0, "rejected": 0, "slow": 0, "fallback": 0}
        self.latency = [0] * LATENCY_BUCKETS
        self.latency_sum = 0.0

    def state(self):
        if self.override and self.override["expiresAt"] is not None and self.override["expiresAt"] <= now_ms():
            self.override = None
        return self.override["state"] if self.override else "CLOSED"

    def call_dependency(self):
        """A call through the breaker: rejected at once under FORCED_OPEN, else made (and it succeeds)."""
        if self.state() == "FORCED_OPEN":
            self.counters["rejected"] += 1
            return
        self.counters["success"] += 1
        self.latency[4] += 1  # 2 ms: bucket ceil(4 * log2(2)) = 4
        self.latency_sum += 2.0

    def report(self):
        return {
            "name": BREAKER,
            "state": self.state(),
            "wouldBe": "CLOSED",
            "override": dict(self.override) if self.override else None,
            "counters": dict(self.counters),
            "latency": {"counts": list(self.latency), "sumMs": self.latency_sum},
            "window": {"calls": 0, "failureRate": 0, "slowCallRate": 0},
        }


class Reporter:
    def __init__(self):
        self.run_id = str(uuid.uuid4())
        self.started_at = now_ms()
        self.ref = {"protocolVersion": PROTOCOL_VERSION, "service": SERVICE, "instanceId": INSTANCE_ID, "runId": self.run_id}
        self.breaker = Breaker()
        self.lock = threading.Lock()
        self.outcomes = {}  # command id -> (status, state, reason): each id is applied at most once
        self.acks = []  # acknowledgements for the next batch
        self.registered = False
        self.acknowledged = dict(self.breaker.counters)
        self.sequence = 0
        self.send_now = threading.Event()
        self.stopping = threading.Event()

    def registration(self):
        return {
            **self.ref,
            "startedAt": self.started_at,
            "labels": LABELS,
            "sdk": {"name": "breaker-panel-test-reporter", "version": "0.0.1", "language": "python"},
            "breakers": [{"name": BREAKER, "config": {
                "implementation": "breaker-panel",
                "window": {"type": "count", "size": 100},
                "failureRateThreshold": 50, "slowCallThresholdMs": 2000, "slowCallRateThreshold": 100,
                "minimumCalls": 10, "openTimeoutMs": 30000, "openTimeoutBackoff": None,
                "halfOpenMaxCalls": 1, "callTimeoutMs": 3000, "hasFallback": False,
            }}],
        }

    def in_scope(self, scope):
        if scope.get("kind") == "service":
            return True
        if scope.get("kind") == "instance":
            return scope.get("instanceId") == INSTANCE_ID
        if scope.get("kind") == "labels":
            return all(LABELS.get(key) == value for key, value in (scope.get("labels") or {}).items())
        return False

    def apply(self, command):
        """Applies a command once per id and queues an acknowledgement of every receipt."""
        valid = (
            isinstance(command, dict)
            and command.get("protocolVersion") == PROTOCOL_VERSION
            and isinstance(command.get("id"), str)
            and command.get("action") in ACTIONS
            and isinstance(command.get("breaker"), str)
            and isinstance(command.get("scope"), dict)
        )
        if not valid:
            return
        with self.lock:
            duplicate = command["id"] in self.outcomes
            if not duplicate:
                self.outcomes[command["id"]] = self.first_outcome(command)
            status, state, reason = self.outcomes[command["id"]]
            self.acks.append({
                **self.ref, "commandId": command["id"], "breaker": command["breaker"], "status": status,
                "state": state, "reason": reason, "duplicate": duplicate, "at": now_ms(),
            })
        emit("duplicate" if duplicate else "applied", commandId=command["id"], action=command["action"], status=status, state=state, reason=reason)
        self.send_now.set()

    def first_outcome(self, command):
        if command["breaker"] != BREAKER:
            return ("failed", None, "unknown_breaker")
        if not self.in_scope(command["scope"]):
            return ("failed", self.breaker.state(), "out_of_scope")
        expires_at = command.get("expiresAt")
        action = command["action"]
        if action in ("trip", "force_closed"):
            if expires_at is not None and expires_at <= now_ms():
                return ("failed", self.breaker.state(), "expired")
            state = "FORCED_OPEN" if action == "trip" else "FORCED_CLOSED"
            self.breaker.override = {"state": state, "expiresAt": expires_at, "commandId": command["id"]}
        else:
            self.breaker.override = None
        return ("applied", self.breaker.state(), None)

    def batch(self):
        with self.lock:
            self.sequence += 1
            report = self.breaker.report()
            body = {
                "protocolVersion": PROTOCOL_VERSION,
                "reports": [{**self.ref, "sequence": self.sequence, "sentAt": now_ms(), "droppedTransitions": 0, "breakers": [report]}],
                "commandAcks": list(self.acks),
            }
            if not self.registered:
                body["register"] = self.registration()
            sent_acks = len(body["commandAcks"])
        data = call("POST", "/api/v1/reports", body)
        with self.lock:
            del self.acks[:sent_acks]
            self.acknowledged = report["counters"]
            if not self.registered:
                self.registered = True
                emit("registered", runId=self.run_id)
        return data.get("commands") or []

    def report_loop(self):
        while not self.stopping.is_set():
            self.breaker.call_dependency()
            try:
                for command in self.batch():
                    self.apply(command)
            except RefusedError as error:
                if error.code == "not_registered":
                    self.registered = False
                elif not error.retryable:
                    emit("refused", code=error.code, message=str(error))
            except OSError as error:
                emit("unreachable", message=str(error))
            self.send_now.wait(REPORT_INTERVAL_S)
            self.send_now.clear()

    def poll_loop(self):
        query = f"/api/v1/commands?instanceId={urllib.parse.quote(INSTANCE_ID)}&waitMs={LONG_POLL_MS}"
        while not self.stopping.is_set():
            if not self.registered:
                time.sleep(0.05)
                continue
            try:
                for command in call("GET", query, timeout=LONG_POLL_MS / 1000 + 10).get("commands") or []:
                    self.apply(command)
            except (RefusedError, OSError):
                time.sleep(0.5)


def main():
    reporter = Reporter()
    stop = lambda *_: reporter.stopping.set() or reporter.send_now.set()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    threading.Thread(target=reporter.poll_loop, daemon=True).start()
    threading.Thread(target=reporter.report_loop, daemon=True).start()
    while not reporter.stopping.wait(0.5):
        pass
    with reporter.lock:
        emit("stopped", counters=reporter.acknowledged)
    sys.exit(0)


if __name__ == "__main__":
    main()
