"""The latency histogram's fixed bounds, as lib/protocol/latency-buckets.ts defines them."""

import unittest

import _support  # noqa: F401 - puts the client on sys.path

from breaker_panel import LATENCY_BUCKET_BOUNDS_MS, LATENCY_BUCKET_COUNT, latency_bucket_index
from breaker_panel.latency import OutcomeRecorder


class LatencyTest(unittest.TestCase):
    def test_has_65_bounds_of_two_to_the_i_over_four_and_66_counts(self) -> None:
        self.assertEqual(len(LATENCY_BUCKET_BOUNDS_MS), 65)
        self.assertEqual(LATENCY_BUCKET_COUNT, 66)
        self.assertEqual((LATENCY_BUCKET_BOUNDS_MS[0], LATENCY_BUCKET_BOUNDS_MS[4], LATENCY_BUCKET_BOUNDS_MS[64]), (1, 2, 65_536))

    def test_a_value_equal_to_a_bound_lands_in_that_bounds_bucket(self) -> None:
        for index, bound in enumerate(LATENCY_BUCKET_BOUNDS_MS):
            self.assertEqual(latency_bucket_index(bound), index)
            self.assertEqual(latency_bucket_index(bound * 1.000001), index + 1)

    def test_clamps_small_negative_and_huge_values(self) -> None:
        self.assertEqual([latency_bucket_index(v) for v in (0, -5, float("nan"), 1, 1.0001, 65_536.5, 1e9)], [0, 0, 0, 0, 1, 65, 65])

    def test_the_wire_histogram_trims_trailing_zeros_and_sums_latencies(self) -> None:
        recorder = OutcomeRecorder()
        for latency in (0.5, 2, 2, 3):
            recorder.record_latency(latency)
        self.assertEqual(recorder.histogram(), {"counts": [1, 0, 0, 0, 2, 0, 0, 1], "sumMs": 7.5})


if __name__ == "__main__":
    unittest.main()
