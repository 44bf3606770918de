"""The reporter: this process's breakers → the panel over HTTP batches
(docs/protocol.md, "HTTP batch form"), operator commands ← the panel through
batch answers and a long poll.

It never raises into, blocks or slows the host: a breaker's state change only
appends to a bounded buffer and wakes the sender; all I/O happens on two
daemon threads; every buffer is bounded; failures are logged and sent to the
``error`` listeners.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections import OrderedDict
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Tuple
from urllib.parse import quote

from .backoff import Backoff
from .command_applier import CommandApplier
from .events import Disposer, EventHub, StateChange
from .http_link import HttpLink, PanelError
from .outbox import Outbox
from .protocol import MAX_REPORT_COMMAND_ACKS, MAX_REPORT_TRANSITIONS, PROTOCOL_VERSION, SDK_NAME, SDK_VERSION

_log = logging.getLogger("breaker_panel")

REPORTER_EVENTS = ("registered", "command", "error")
"""``registered`` (the batch answer's data), ``command`` (an acknowledgement sent), ``error`` (a PanelError or other Exception)."""

# How long an answer to a batch may take before the link counts as broken.
_REQUEST_TIMEOUT_S = 10.0
# A panel without the long-poll route (older server) is asked again this rarely;
# commands still arrive in batch answers meanwhile.
_NO_LONG_POLL_RETRY_S = 60.0
# The same error is logged at most this often; listeners still see each one.
_LOG_REPEAT_S = 60.0
# Batches sent at once (transitions, acknowledgements) are at least this far
# apart, so a panel that keeps answering with work can not make the sender spin.
_URGENT_SPACING_S = 0.02


def default_instance_id() -> str:
    """Host name and process id: unique on a host at a time."""
    return f"{socket.gethostname()}-{os.getpid()}"


class PanelReporter:
    """A live link between this process's breakers and the panel. Start it with
    ``connect_panel()``; ``close()`` sends a final report and stops it.
    Durations are milliseconds."""

    def __init__(
        self,
        url: str,
        api_key: str,
        service: str,
        *,
        instance: Optional[str] = None,
        labels: Optional[Mapping[str, str]] = None,
        breakers: Iterable[Any] = (),
        report_interval: float = 1_000,
        transition_buffer_size: int = 1_000,
        retry_delay: float = 500,
        retry_delay_max: float = 30_000,
        long_poll: bool = True,
        long_poll_wait: float = 25_000,
    ) -> None:
        """
        :param url: the panel's base URL, e.g. ``http://localhost:3000``.
        :param api_key: a reporter key bound to ``service``.
        :param instance: default: host name + process id.
        :param labels: let operators act on a subset of instances (region, zone, version…).
        :param breakers: CircuitBreaker instances (or adapted ones) to report.
        :param report_interval: how often counters are sent; also the heartbeat. Default 1 000.
        :param transition_buffer_size: unconfirmed transitions kept for replay; beyond it the oldest are dropped and counted.
        :param retry_delay: first delay after a failed batch; grows exponentially with jitter up to ``retry_delay_max``.
        :param long_poll: also wait for commands on ``GET /api/v1/commands`` so operator actions apply within a second.
        :param long_poll_wait: how long the panel may hold one poll (``waitMs``, at most 30 000).
        """
        labels = dict(labels or {})
        if len(labels) > 32 or not all(isinstance(k, str) and isinstance(v, str) and 0 < len(k) <= 100 and len(v) <= 200 for k, v in labels.items()):
            raise ValueError("labels: at most 32, string keys (1–100 characters) to string values (≤ 200)")
        self.instance_id = instance or default_instance_id()
        """The instance's stable name."""
        self.run_id = str(uuid.uuid4())
        """Fresh per process start: sequence numbers restart with it."""
        self._identity = {"protocolVersion": PROTOCOL_VERSION, "service": service, "instanceId": self.instance_id, "runId": self.run_id}
        self._labels = labels
        self._started_at = int(time.time() * 1000)
        self._report_interval_s = report_interval / 1000
        self._long_poll = long_poll
        self._long_poll_wait = int(max(0, min(long_poll_wait, 30_000)))
        self._events = EventHub(REPORTER_EVENTS)
        self._sender_link = HttpLink(url, api_key)
        self._poll_link = HttpLink(url, api_key)
        self._backoff = Backoff(retry_delay, retry_delay_max)
        self._poll_backoff = Backoff(retry_delay, retry_delay_max)
        self._applier = CommandApplier(self.instance_id, labels, self._find_breaker, lambda: time.time() * 1000)

        # Everything below is guarded by _lock, which is only ever held for
        # buffer operations: never while calling a breaker or the network.
        self._lock = threading.Lock()
        self._breakers: "OrderedDict[str, Tuple[Any, Disposer]]" = OrderedDict()
        self._breakers_version = 0
        self._registered_version = -1
        self._transitions = Outbox(transition_buffer_size)  # keyed by sequence
        self._transition_sequence = 0
        self._report_sequence = 0
        self._acks = Outbox(MAX_REPORT_COMMAND_ACKS)
        self._ack_key = 0
        self._flush_requested = 0
        self._flushed = 0
        self._last_error: Optional[str] = None
        self._logged: Dict[str, float] = {}

        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._registered_once = threading.Event()
        self._progress = threading.Condition(self._lock)
        self._sender = threading.Thread(target=self._guard(self._run_sender), name="breaker-panel-reporter", daemon=True)
        self._poller = threading.Thread(target=self._guard(self._run_poller), name="breaker-panel-commands", daemon=True)
        for breaker in breakers:
            self.add(breaker)

    # -- the host's side -------------------------------------------------------

    def start(self) -> "PanelReporter":
        """Starts the background threads (connect_panel() does it for you)."""
        if not self._sender.is_alive() and not self._stopping.is_set():
            self._sender.start()
            if self._long_poll:
                self._poller.start()
        return self

    def add(self, breaker: Any) -> Disposer:
        """Starts reporting a breaker (the next batch registers the instance again); the disposer stops it."""
        unsubscribe = breaker.on("state_change", self._on_state_change)
        with self._lock:
            previous = self._breakers.get(breaker.name)
            self._breakers[breaker.name] = (breaker, unsubscribe)
            self._breakers_version += 1
        if previous is not None:
            previous[1]()
        self._wake.set()

        def remove() -> None:
            with self._lock:
                entry = self._breakers.get(breaker.name)
                if entry is None or entry[0] is not breaker:
                    return
                del self._breakers[breaker.name]
                self._breakers_version += 1
            unsubscribe()
            self._wake.set()

        return remove

    def on(self, event: str, listener: Callable[[Any], None]) -> Disposer:
        """Subscribes to ``registered``, ``command`` or ``error``; listeners run on the reporter's threads."""
        return self._events.on(event, listener)

    def status(self) -> Dict[str, Any]:
        """The reporter's view of its link, for health checks and tests."""
        with self._lock:
            return {
                "running": self._sender.is_alive(),
                "registered": self._registered_version == self._breakers_version,
                "pending_transitions": len(self._transitions),
                "dropped_transitions": self._transitions.dropped,
                "transition_sequence": self._transition_sequence,
                "report_sequence": self._report_sequence,
                "pending_command_acks": len(self._acks),
                "last_error": self._last_error,
            }

    def flush(self, timeout: float = 2_000) -> bool:
        """Sends a report now and waits until it and the pending transitions are
        confirmed, or ``timeout`` ms passed. Returns whether they were; never raises."""
        deadline = time.monotonic() + timeout / 1000
        with self._lock:
            self._flush_requested += 1
            wanted = self._flush_requested
        self._wake.set()
        with self._progress:
            while self._flushed < wanted or len(self._transitions):
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._sender.is_alive():
                    return False
                self._progress.wait(remaining)
        return True

    def close(self, timeout: float = 2_000) -> None:
        """Flushes, then stops the threads. Never raises."""
        if self._stopping.is_set():
            return
        try:
            if self._sender.is_alive():
                self.flush(timeout)
        except Exception:  # noqa: BLE001 - closing must never fail the host
            _log.warning("breaker-panel reporter: final flush failed", exc_info=True)
        self._stopping.set()
        self._wake.set()
        self._registered_once.set()  # a poller still waiting for the first registration sees the stop at once
        self._poll_link.abort()
        with self._lock:
            entries = list(self._breakers.values())
        for _, unsubscribe in entries:
            unsubscribe()
        for thread in (self._sender, self._poller):
            if thread.is_alive() and thread is not threading.current_thread():
                thread.join(1.0)
        self._sender_link.abort()

    def __enter__(self) -> "PanelReporter":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- breakers → buffers (runs on the host's threads, under a breaker's lock) --

    def _on_state_change(self, change: StateChange) -> None:
        with self._lock:
            self._transition_sequence += 1
            sequence = self._transition_sequence
            self._transitions.push(sequence, {**self._identity, "sequence": sequence, **change.to_wire()})
        self._wake.set()  # transitions go out at once, not at the next report

    def _find_breaker(self, name: str) -> Any:
        with self._lock:
            entry = self._breakers.get(name)
        return entry[0] if entry else None

    # -- the sender thread -----------------------------------------------------

    def _run_sender(self) -> None:
        next_report = time.monotonic()
        retry_at = 0.0
        last_urgent = -_URGENT_SPACING_S
        while not self._stopping.is_set():
            now = time.monotonic()
            due = retry_at if retry_at > now else next_report
            if due > now:
                self._wake.wait(due - now)
            self._wake.clear()
            if self._stopping.is_set():
                return
            now = time.monotonic()
            if now < retry_at:
                continue
            with self._lock:
                flush_wanted = self._flush_requested
                urgent = bool(len(self._transitions) or len(self._acks)) or self._registered_version != self._breakers_version
                flushing = self._flushed < flush_wanted
            with_report = now >= next_report or flushing
            if with_report:
                next_report = now + self._report_interval_s
            elif not urgent:
                continue
            else:
                if now - last_urgent < _URGENT_SPACING_S:
                    self._stopping.wait(_URGENT_SPACING_S - (now - last_urgent))
                last_urgent = time.monotonic()
            refused = self._send_batch(with_report, flush_wanted if with_report else None)
            if refused is None:
                self._backoff.reset()
                retry_at = 0.0
            else:
                retry_at = time.monotonic() + max(self._backoff.next_delay_ms() / 1000, refused.retry_after or 0)

    def _send_batch(self, with_report: bool, flush_mark: Optional[int]) -> Optional[PanelError]:
        """Builds one batch, posts it and applies the answer; None when the panel took it, else why not."""
        with self._lock:
            breakers = [breaker for breaker, _ in self._breakers.values()]
            version = self._breakers_version
            register = self._registered_version != version
            transitions = [message for _, message in self._transitions.oldest(MAX_REPORT_TRANSITIONS)]
            acks = self._acks.oldest(MAX_REPORT_COMMAND_ACKS)
            dropped = self._transitions.dropped
            if with_report:
                self._report_sequence += 1
                sequence = self._report_sequence
        batch: Dict[str, Any] = {"protocolVersion": PROTOCOL_VERSION}
        if register:
            batch["register"] = {
                **self._identity,
                "startedAt": self._started_at,
                "labels": self._labels,
                "sdk": {"name": SDK_NAME, "version": SDK_VERSION, "language": "python"},
                "breakers": self._read(breakers, lambda breaker: {"name": breaker.name, "config": breaker.describe()}),
            }
        if transitions:
            batch["transitions"] = transitions
        if with_report:
            batch["reports"] = [{
                **self._identity,
                "sequence": sequence,
                "sentAt": int(time.time() * 1000),
                "droppedTransitions": dropped,
                "breakers": self._read(breakers, lambda breaker: breaker.stats()),
            }]
        if acks:
            batch["commandAcks"] = [{**self._identity, **ack} for _, ack in acks]
        try:
            data = self._sender_link.request("POST", "/api/v1/reports", batch, _REQUEST_TIMEOUT_S)
        except PanelError as error:
            self._refused(error, transitions, acks)
            return error
        with self._progress:
            if register:
                self._registered_version = version
            self._transitions.remove((data or {}).get("storedTransitions", ()))
            self._acks.remove(key for key, _ in acks)
            if flush_mark is not None:
                self._flushed = max(self._flushed, flush_mark)
            self._last_error = None
            self._progress.notify_all()
        if register:
            self._registered_once.set()
            self._events.emit("registered", data)
        self._acknowledge_soon(self._handle_commands((data or {}).get("commands", ())))
        return None

    def _read(self, breakers: List[Any], read: Callable[[Any], Dict[str, Any]]) -> List[Dict[str, Any]]:
        """Reads every breaker; one that fails (an adapted library's bug) is left out of this batch, not the rest."""
        values = []
        for breaker in breakers:
            try:
                values.append(read(breaker))
            except Exception as error:  # noqa: BLE001 - reported, never raised into the host
                self._report_error(error, f'reading breaker "{breaker.name}"')
        return values

    def _refused(self, error: PanelError, transitions: List[Dict[str, Any]], acks: List[Tuple[int, Dict[str, Any]]]) -> None:
        """Keeps what may succeed later; drops what the panel will never take, so one bad item can not block the rest."""
        self._report_error(error, "report batch")
        if error.code == "not_registered":
            with self._lock:
                self._registered_version = -1  # e.g. the panel restarted and forgot this run
            return
        if error.retryable or error.status in (401, 403, 404):
            return  # the panel or the key may come back; nothing in the batch is wrong
        path = error.path or []
        with self._lock:
            if len(path) >= 2 and path[0] == "transitions" and isinstance(path[1], int) and path[1] < len(transitions):
                self._transitions.remove([transitions[path[1]]["sequence"]])
            elif len(path) >= 2 and path[0] == "commandAcks" and isinstance(path[1], int) and path[1] < len(acks):
                self._acks.remove([acks[path[1]][0]])
            elif path and path[0] in ("reports", "register"):
                pass  # rebuilt from the breakers for every batch: dropping this one is all that can be done
            else:
                self._transitions.remove((transition["sequence"] for transition in transitions))
                self._acks.remove((key for key, _ in acks))

    # -- commands --------------------------------------------------------------

    def _handle_commands(self, commands: Iterable[Any]) -> List[int]:
        """Applies commands and queues their acknowledgements; returns the keys of those queued."""
        keys = []
        for raw in commands:
            try:
                outcome = self._applier.handle(raw)
            except Exception as error:  # noqa: BLE001 - a bad command must not stop the reporter
                self._report_error(error, "command")
                continue
            if outcome is None:
                self._report_error(PanelError(0, "invalid_command", "received a command without an id or breaker"), "command")
                continue
            with self._lock:
                self._ack_key += 1
                self._acks.push(self._ack_key, outcome)
                keys.append(self._ack_key)
            self._events.emit("command", outcome)
        return keys

    def _acknowledge_soon(self, keys: List[int]) -> None:
        if keys:
            self._wake.set()  # acknowledge at once, so the panel shows "applied" without waiting for the next report

    def _acknowledge_from_poller(self, keys: List[int]) -> None:
        """Posts the acknowledgements of long-polled commands on the poller's own
        connection: a report the sender has in flight must not hold them up.
        What does not get through is left to the sender's next batch."""
        with self._lock:
            acks = [(key, self._acks.get(key)) for key in keys if self._acks.get(key) is not None]
        if not acks:
            return
        batch = {"protocolVersion": PROTOCOL_VERSION, "commandAcks": [{**self._identity, **ack} for _, ack in acks]}
        try:
            data = self._poll_link.request("POST", "/api/v1/reports", batch, _REQUEST_TIMEOUT_S)
        except PanelError as error:
            if error.code == "not_registered":
                with self._lock:
                    self._registered_version = -1
            self._wake.set()
            return
        with self._lock:
            self._acks.remove(key for key, _ in acks)
        self._acknowledge_soon(self._handle_commands((data or {}).get("commands", ())))

    def _run_poller(self) -> None:
        path = f"/api/v1/commands?instanceId={quote(self.instance_id, safe='')}&waitMs={self._long_poll_wait}"
        timeout = self._long_poll_wait / 1000 + _REQUEST_TIMEOUT_S
        while not self._stopping.is_set():
            if not self._registered_once.wait(0.5) or self._stopping.is_set():
                continue
            try:
                data = self._poll_link.request("GET", path, None, timeout)
            except PanelError as error:
                if self._stopping.is_set():
                    return
                if error.status == 404 and error.code not in ("not_registered",):
                    delay = _NO_LONG_POLL_RETRY_S
                else:
                    self._report_error(error, "command poll")
                    if error.code == "not_registered":
                        with self._lock:
                            self._registered_version = -1
                        self._wake.set()
                    delay = max(self._poll_backoff.next_delay_ms() / 1000, error.retry_after or 0)
                self._stopping.wait(delay)
                continue
            self._poll_backoff.reset()
            self._acknowledge_from_poller(self._handle_commands((data or {}).get("commands", ())))

    # -- errors ----------------------------------------------------------------

    def _report_error(self, error: Exception, what: str) -> None:
        message = f"{what}: {error}"
        now = time.monotonic()
        with self._lock:
            self._last_error = message
            last = self._logged.get(message)
            log_it = last is None or now - last >= _LOG_REPEAT_S
            if log_it:
                if len(self._logged) > 100:
                    self._logged.clear()
                self._logged[message] = now
        if log_it:
            _log.warning("breaker-panel reporter: %s", message)
        self._events.emit("error", error)

    def _guard(self, run: Callable[[], None]) -> Callable[[], None]:
        """A thread body that survives its own bugs: logs and starts over instead of dying silently."""

        def guarded() -> None:
            while not self._stopping.is_set():
                try:
                    run()
                    return
                except Exception:  # noqa: BLE001 - the reporter must outlive its own bugs
                    _log.exception("breaker-panel reporter: %s crashed; restarting it", threading.current_thread().name)
                    self._stopping.wait(1.0)

        return guarded


def connect_panel(url: str, api_key: str, service: str, **options: Any) -> PanelReporter:
    """Creates a PanelReporter (see its options) and starts it."""
    return PanelReporter(url, api_key, service, **options).start()
