"""
Python twin of libs/physics' forward model: kernels, log grids, the seeded xoshiro128** random numbers and the
log-normal mixture simulator (libs/physics/src/simulate). It must reproduce the TypeScript simulator to 1e-10; the
parity test (test_parity.py) checks it against fixtures/parity.json, written by the TypeScript side (parityFixture.ts).
Pure numpy; float64 throughout.
"""
import math

import numpy as np


def log_grid(lo, hi, n):
    """n points evenly spaced in log10 between lo and hi, both included (libs/physics logGrid)."""
    if not (lo > 0 and hi > lo):
        raise ValueError(f"log_grid: need 0 < lo < hi, got {lo}, {hi}")
    a = math.log10(lo)
    step = (math.log10(hi) - a) / (n - 1)
    return np.array([10 ** (a + i * step) for i in range(n)], dtype=np.float64)


def kernel_matrix(kernel, x, y, beta=1.0):
    """K[i, j] = k(x_i, y_j) for kernel 'T1-IR' (1-(1+beta)e^{-x/y}), 'T1-SR', 'T2' (e^{-x/y}) or 'D' (e^{-x y})."""
    x = np.asarray(x, dtype=np.float64)[:, None]
    y = np.asarray(y, dtype=np.float64)[None, :]
    if kernel == "D":
        e = np.exp(-x * y)
    elif kernel in ("T1-IR", "T1-SR", "T2"):
        e = np.exp(-x * (1.0 / y))
    else:
        raise ValueError(f"kernel_matrix: unknown kernel {kernel!r}")
    if kernel == "T1-IR":
        return 1.0 - (1.0 + beta) * e
    if kernel == "T1-SR":
        return 1.0 - e
    return e


class Rng:
    """splitmix32-seeded xoshiro128** with Box–Muller normals, bit-identical to libs/physics createRng."""

    M = 0xFFFFFFFF

    def __init__(self, seed):
        h = seed & self.M

        def split():
            nonlocal h
            h = (h + 0x9E3779B9) & self.M
            z = h
            z = ((z ^ (z >> 16)) * 0x85EBCA6B) & self.M
            z = ((z ^ (z >> 13)) * 0xC2B2AE35) & self.M
            return (z ^ (z >> 16)) & self.M

        self.a, self.b, self.c, self.d = split(), split(), split(), split()
        self.spare = None

    @staticmethod
    def _rotl(x, k):
        return ((x << k) | (x >> (32 - k))) & 0xFFFFFFFF

    def next(self):
        M = self.M
        r = (self._rotl((self.b * 5) & M, 7) * 9) & M
        t = (self.b << 9) & M
        self.c ^= self.a
        self.d ^= self.b
        self.b ^= self.c
        self.a ^= self.d
        self.c ^= t
        self.d = self._rotl(self.d, 11)
        return r / 4294967296.0

    def normal(self):
        if self.spare is not None:
            s, self.spare = self.spare, None
            return s
        u = 0.0
        while u == 0.0:
            u = self.next()
        v = self.next()
        r = math.sqrt(-2.0 * math.log(u))
        self.spare = r * math.sin(2 * math.pi * v)
        return r * math.cos(2 * math.pi * v)


def _marginal_decay(kernel, beta, x, mu, width):
    """Decay of one log-normal marginal through the kernel, integrated on the simulator's fine grid (400/decade)."""
    w = max(width, 1e-3)
    lo, hi = mu - 5 * w, mu + 5 * w
    n = max(41, math.ceil((hi - lo) * 400))
    grid = log_grid(10 ** lo, 10 ** hi, n)
    z = (np.log10(grid) - mu) / w
    weights = np.exp(-0.5 * z * z)
    k = kernel_matrix(kernel, x, grid, beta)
    return (k @ weights) / weights.sum()


def simulate(axes, peaks, snr, seed, amplitude=1.0):
    """
    axes: list of {'kernel', 'x', optional 'beta'}; peaks: list of {'position', 'width', 'fraction'} (SI units,
    widths in decades). Returns (data, noiseless, sigma), data row-major m1 x m2 flattened (1D: m1).
    SNR = max |noiseless| / sigma, as in libs/physics.
    """
    total = sum(p["fraction"] for p in peaks)
    m = [len(a["x"]) for a in axes]
    noiseless = np.zeros(int(np.prod(m)))
    for p in peaks:
        decays = [
            _marginal_decay(a["kernel"], a.get("beta", 1.0), np.asarray(a["x"], float), math.log10(p["position"][d]), p["width"][d])
            for d, a in enumerate(axes)
        ]
        s = decays[0] if len(axes) == 1 else np.outer(decays[0], decays[1]).ravel()
        noiseless += amplitude * (p["fraction"] / total) * s
    sigma = float(np.max(np.abs(noiseless))) / snr if math.isfinite(snr) else 0.0
    rng = Rng(seed)
    noise = np.array([rng.normal() for _ in range(noiseless.size)]) if sigma > 0 else np.zeros_like(noiseless)
    return noiseless + sigma * noise, noiseless, sigma
