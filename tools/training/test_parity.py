"""Parity of the Python simulator with libs/physics on fixtures/parity.json (written by parityFixture.ts).
Run: /usr/bin/python3 -m unittest tools/training/test_parity.py"""
import json
import os
import sys
import unittest

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lapis_training.physics import kernel_matrix, simulate  # noqa: E402

FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "parity.json")


def rel_err(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-300))


class Parity(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(FIXTURE) as f:
            cls.cases = json.load(f)["cases"]

    def test_kernels(self):
        for c in self.cases:
            a = c["axes"][0]
            k = kernel_matrix(a["kernel"], a["x"], c["kernel"]["y"], a.get("beta", 1.0))
            self.assertLess(rel_err(k.ravel(), c["kernel"]["values"]), 1e-10, c["name"])

    def test_simulation_noiseless_noise_and_sigma(self):
        for c in self.cases:
            data, noiseless, sigma = simulate(c["axes"], c["peaks"], c["snr"], c["seed"])
            self.assertLess(rel_err(noiseless, c["noiseless"]), 1e-10, c["name"])
            self.assertLess(abs(sigma - c["sigma"]) / c["sigma"], 1e-10, c["name"])
            # same seeded noise, point by point
            self.assertLess(rel_err(data, c["data"]), 1e-10, c["name"])

    def test_detects_a_wrong_beta(self):
        # the comparison can fail: beta 1 instead of 0.9 moves the IR decay far beyond the tolerance
        c = self.cases[0]
        axes = [dict(c["axes"][0], beta=1.0), c["axes"][1]]
        _, noiseless, _ = simulate(axes, c["peaks"], c["snr"], c["seed"])
        self.assertGreater(rel_err(noiseless, c["noiseless"]), 1e-3)


if __name__ == "__main__":
    unittest.main()
