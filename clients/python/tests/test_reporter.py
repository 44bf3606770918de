"""The reporter against a fake panel (an in-process http.server): the wire
shape of its batches, replay until stored, commands and their
acknowledgements, and how it behaves when the panel refuses or is away."""

import socket
import unittest

import _support  # noqa: F401 - puts the client on sys.path
from _support import FakePanel, command, wait_until

from breaker_panel import BreakerOpenError, CircuitBreaker, PanelReporter, connect_panel, count_window

KEY = "bp_test_key"


class Boom(Exception):
    pass


def fail() -> None:
    raise Boom()


class ReporterTest(unittest.TestCase):
    def setUp(self) -> None:
        self.panel = FakePanel(KEY)
        self.addCleanup(self.panel.stop)
        self.breaker = CircuitBreaker("payments", minimum_calls=2, window=count_window(2), open_timeout=60_000)

    def connect(self, **options) -> PanelReporter:
        options = {"report_interval": 100, "retry_delay": 20, "retry_delay_max": 100, **options}
        reporter = connect_panel(self.panel.url, KEY, "checkout", instance="web-1", labels={"zone": "eu-1"},
                                 breakers=[self.breaker], **options)
        self.addCleanup(reporter.close, 500)
        return reporter

    def trip(self) -> None:
        for _ in range(2):
            try:
                self.breaker.call(fail)
            except Boom:
                pass

    def test_registers_in_the_first_batch_then_reports_cumulative_counters_with_sequences(self) -> None:
        self.breaker.call(lambda: None)
        reporter = self.connect()
        wait_until(lambda: len(self.panel.all("reports")) >= 3, what="three reports")
        first = self.panel.batches[0]
        self.assertEqual(first["register"]["breakers"], [{"name": "payments", "config": self.breaker.describe()}])
        self.assertEqual(first["register"]["sdk"], {"name": "breaker-panel-python", "version": "0.1.0", "language": "python"})
        self.assertEqual(first["register"]["labels"], {"zone": "eu-1"})
        self.assertEqual(first["register"]["runId"], reporter.run_id)
        self.assertTrue(all("register" not in batch for batch in self.panel.batches[1:]))
        reports = self.panel.all("reports")
        self.assertEqual([report["sequence"] for report in reports[:3]], [1, 2, 3])
        self.assertEqual(reports[0]["breakers"][0]["counters"]["success"], 1)
        self.assertEqual(self.panel.shape_errors, [])

    def test_replays_a_transition_with_every_batch_until_the_panel_stores_it(self) -> None:
        stored_after = [2]

        def store(sequences):
            stored_after[0] -= 1
            return sequences if stored_after[0] < 0 else []

        self.panel.store = store
        reporter = self.connect()
        wait_until(lambda: self.panel.batches, what="the registration")
        self.trip()
        wait_until(lambda: reporter.status()["pending_transitions"] == 0, what="the transition to be stored")
        sent = self.panel.all("transitions")
        self.assertGreaterEqual(len(sent), 2)
        self.assertTrue(all(transition == sent[0] for transition in sent))  # the same message, replayed
        self.assertEqual((sent[0]["sequence"], sent[0]["from"], sent[0]["to"], sent[0]["cause"]), (1, "CLOSED", "OPEN", "failure_rate"))
        self.assertEqual(self.panel.shape_errors, [])

    def test_applies_a_command_from_a_batch_answer_once_and_acknowledges_it_in_the_next_batch(self) -> None:
        self.panel.batch_commands = [command("cmd-1", "payments", "trip")]
        self.connect(long_poll=False, report_interval=60_000)
        acks = wait_until(lambda: self.panel.all("commandAcks"), what="the acknowledgement")
        self.assertEqual({key: acks[0][key] for key in ("commandId", "breaker", "status", "state", "reason", "duplicate")},
                         {"commandId": "cmd-1", "breaker": "payments", "status": "applied", "state": "FORCED_OPEN", "reason": None, "duplicate": False})
        with self.assertRaises(BreakerOpenError):
            self.breaker.call(lambda: None)
        transition = wait_until(lambda: self.panel.all("transitions"), what="the transition")[0]
        self.assertEqual((transition["cause"], transition["commandId"]), ("command", "cmd-1"))

        self.breaker.release()
        self.panel.batch_commands = [command("cmd-1", "payments", "trip")]  # the same id again: must not trip again
        self.panel.batch_commands.append(command("cmd-2", "payments", "trip", scope={"kind": "instance", "instanceId": "web-2"}))
        acks = wait_until(lambda: len(self.panel.all("commandAcks")) >= 3 and self.panel.all("commandAcks"), what="two more acknowledgements")
        self.assertEqual([(ack["commandId"], ack["status"], ack["reason"], ack["duplicate"]) for ack in acks[1:]],
                         [("cmd-1", "applied", None, True), ("cmd-2", "failed", "out_of_scope", False)])
        self.assertEqual(self.breaker.state, "CLOSED")
        self.assertEqual(self.panel.shape_errors, [])

    def test_a_long_polled_command_is_applied_and_acknowledged_without_waiting_for_the_report_interval(self) -> None:
        self.connect(report_interval=60_000)
        wait_until(lambda: self.panel.polls, what="the long poll")
        self.assertEqual(self.panel.polls[0]["instanceId"], ["web-1"])
        self.panel.push_poll_command(command("cmd-9", "payments", "force_closed"))
        ack = wait_until(lambda: self.panel.all("commandAcks"), what="the acknowledgement")[0]
        self.assertEqual((ack["commandId"], ack["state"]), ("cmd-9", "FORCED_CLOSED"))
        self.assertEqual(self.breaker.state, "FORCED_CLOSED")
        self.assertEqual(len(self.panel.all("reports")), 1)  # only the first: the ack did not wait for a report

    def test_a_long_polled_command_is_acknowledged_while_a_report_is_still_in_flight(self) -> None:
        reporter = self.connect(report_interval=100)
        wait_until(lambda: self.panel.polls and reporter.status()["registered"], what="the long poll")
        self.panel.release_reports.clear()
        self.addCleanup(self.panel.release_reports.set)
        wait_until(lambda: self.panel.held_reports, what="a report held by the panel")
        self.panel.push_poll_command(command("cmd-5", "payments", "trip"))
        ack = wait_until(lambda: self.panel.all("commandAcks"), what="the acknowledgement")[0]
        self.assertEqual((ack["commandId"], ack["state"]), ("cmd-5", "FORCED_OPEN"))
        self.assertFalse(self.panel.release_reports.is_set())  # the sender's report was still waiting for its answer

    def test_unknown_breakers_and_expired_or_malformed_commands_are_acknowledged_as_failed(self) -> None:
        self.panel.batch_commands = [
            command("cmd-a", "nope", "trip"),
            command("cmd-b", "payments", "trip", expires_at=1),
            {**command("cmd-c", "payments", "explode")},
            {"garbage": True},
        ]
        self.connect(long_poll=False)
        acks = wait_until(lambda: len(self.panel.all("commandAcks")) >= 3 and self.panel.all("commandAcks"), what="three acknowledgements")
        self.assertEqual([(ack["commandId"], ack["reason"]) for ack in acks[:3]],
                         [("cmd-a", "unknown_breaker"), ("cmd-b", "expired"), ("cmd-c", "invalid_command")])
        self.assertEqual(acks[0]["state"], None)
        self.assertEqual(self.breaker.state, "CLOSED")

    def test_keeps_everything_through_unavailable_and_internal_answers_and_retries(self) -> None:
        unavailable = (503, {"ok": False, "error": {"code": "unavailable", "message": "store down"}})
        internal = (500, {"error": {"code": "internal", "message": "oops"}})
        self.panel.script = [unavailable, internal, unavailable]
        reporter = self.connect()
        self.trip()
        wait_until(lambda: reporter.status()["pending_transitions"] == 0 and reporter.status()["registered"], what="recovery")
        self.assertGreaterEqual(len(self.panel.batches), 4)
        self.assertIn("register", self.panel.batches[3])  # not registered until the panel took it

    def test_drops_only_the_item_an_invalid_payload_names_and_does_not_loop(self) -> None:
        reporter = self.connect(report_interval=60_000)
        errors = []
        reporter.on("error", errors.append)
        wait_until(lambda: self.panel.batches, what="the registration")
        self.panel.script = [(400, {"error": {"code": "invalid_payload", "message": "transitions.0.to: bad", "details": {"path": ["transitions", 0, "to"]}}})]
        self.trip()
        wait_until(lambda: reporter.status()["pending_transitions"] == 0, what="the bad transition to be dropped")
        self.breaker.release()  # nothing to release: no transition
        self.breaker.force_open()
        wait_until(lambda: self.panel.all("transitions")[-1]["to"] == "FORCED_OPEN" and reporter.status()["pending_transitions"] == 0, what="the next transition")
        sequences = [transition["sequence"] for transition in self.panel.all("transitions")]
        self.assertEqual(sequences, [1, 2])  # the refused one was sent once, never again
        self.assertEqual([(error.status, error.code, error.path) for error in errors], [(400, "invalid_payload", ["transitions", 0, "to"])])

    def test_registers_again_when_the_panel_answers_not_registered(self) -> None:
        self.connect()
        wait_until(lambda: len(self.panel.batches) >= 2, what="two batches")
        self.panel.script = [(409, {"error": {"code": "not_registered", "message": "send instance:register first"}})]
        wait_until(lambda: "register" in self.panel.batches[-1] and len(self.panel.batches) > 3, what="a new registration")

    def test_never_raises_into_the_host_while_the_panel_is_away_and_recovers_when_it_is_back(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            dead_port = probe.getsockname()[1]
        errors = []
        reporter = connect_panel(f"http://127.0.0.1:{dead_port}", KEY, "checkout", breakers=[self.breaker], report_interval=50, retry_delay=10, retry_delay_max=50)
        reporter.on("error", errors.append)
        self.trip()  # transitions pile up in the bounded buffer, the host's calls are untouched
        with self.assertRaises(BreakerOpenError):
            self.breaker.call(lambda: None)
        wait_until(lambda: len(errors) >= 2, what="network errors")
        self.assertEqual(errors[0].code, "network")
        self.assertFalse(reporter.flush(100))
        reporter.close(100)
        self.assertEqual(reporter.status()["pending_transitions"], 1)

    def test_the_transition_buffer_is_bounded_and_counts_what_it_dropped(self) -> None:
        self.panel.store = lambda sequences: []  # never stored
        reporter = self.connect(transition_buffer_size=3)
        wait_until(lambda: self.panel.batches, what="the registration")
        for _ in range(5):
            self.breaker.force_open()
            self.breaker.release()
        status = wait_until(lambda: reporter.status()["dropped_transitions"] == 7 and reporter.status(), what="drops")
        self.assertEqual(status["pending_transitions"], 3)
        last = wait_until(lambda: [r for r in self.panel.all("reports") if r["droppedTransitions"] == 7], what="a report naming the drops")
        self.assertTrue(last)
        self.assertEqual([t["sequence"] for t in self.panel.batches[-1].get("transitions", [])][-3:], [8, 9, 10])

    def test_a_keep_alive_connection_the_panel_closed_is_reopened_without_an_error(self) -> None:
        self.panel.drop_idle_connections = True
        reporter = self.connect()
        errors = []
        reporter.on("error", errors.append)
        wait_until(lambda: len(self.panel.all("reports")) >= 4, what="four reports")
        self.assertEqual(errors, [])

    def test_a_breaker_that_fails_to_read_is_left_out_and_the_others_are_still_reported(self) -> None:
        class Broken(CircuitBreaker):
            """An adapted breaker whose library fails when read."""

            def stats(self):
                raise RuntimeError("library bug")

        errors = []
        reporter = self.connect()
        reporter.on("error", errors.append)
        reporter.add(Broken("broken"))
        wait_until(lambda: any([b["name"] for b in batch.get("register", {}).get("breakers", [])] == ["payments", "broken"] for batch in self.panel.batches), what="the registration of both")
        wait_until(lambda: errors, what="the error")
        self.assertEqual(str(errors[0]), "library bug")
        batches_after = len(self.panel.batches)
        report = wait_until(lambda: [r for batch in self.panel.batches[batches_after:] for r in batch.get("reports", [])], what="a later report")[0]
        self.assertEqual([breaker["name"] for breaker in report["breakers"]], ["payments"])

    def test_flush_waits_for_a_report_and_close_stops_the_threads(self) -> None:
        reporter = self.connect(report_interval=60_000)
        self.breaker.call(lambda: None)
        self.assertTrue(reporter.flush(5_000))
        self.assertEqual(self.panel.all("reports")[-1]["breakers"][0]["counters"]["success"], 1)
        reporter.close(1_000)
        self.assertFalse(reporter.status()["running"])

    def test_a_wrong_key_is_reported_and_retried_not_raised(self) -> None:
        errors = []
        reporter = connect_panel(self.panel.url, "bp_wrong", "checkout", breakers=[self.breaker], retry_delay=10, retry_delay_max=20)
        self.addCleanup(reporter.close, 100)
        reporter.on("error", errors.append)
        wait_until(lambda: len(errors) >= 2, what="two refusals")
        self.assertEqual((errors[0].status, errors[0].code), (401, "unauthorized"))


if __name__ == "__main__":
    unittest.main()
