#!/usr/bin/python3
"""Golden values for libs/physics, computed independently with numpy/scipy.

Run from the repository root with `npm run golden` (Debian's /usr/bin/python3 with python3-numpy and python3-scipy).
Writes small JSON fixtures into libs/physics/src/testing/fixtures/, which are committed and read by
libs/physics/src/golden.test.ts. Nothing here imports Lapis code: every number is computed from the formulas in
docs/domain.md, docs/physics.md and bValue.ts's header with numpy, so a mistake in Lapis cannot hide in its own
golden values.

Deterministic: fixed seeds, and Python's json writes floats with repr (shortest round-trip form), so re-running
gives byte-identical files on the same numpy/scipy (the versions are recorded in each file).
"""
import json
import math
import os
import sys

import numpy as np
import scipy
from scipy.optimize import nnls

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
OUT = os.path.join(ROOT, 'libs', 'physics', 'src', 'testing', 'fixtures')
GAMMA_1H = 2.6752218744e8

PROVENANCE = {
    'generator': 'tools/reference/golden.py',
    'numpy': np.__version__,
    'scipy': scipy.__version__,
    'python': sys.version.split()[0],
}


def as_list(a):
    """JSON-friendly nested lists of Python floats (repr round-trips exactly)."""
    return np.asarray(a, dtype=float).tolist()


def write(name, payload):
    payload = {'provenance': PROVENANCE, **payload}
    path = os.path.join(OUT, name)
    with open(path, 'w') as fh:
        json.dump(payload, fh, indent=None, separators=(',', ':'))
        fh.write('\n')
    print(f'wrote {os.path.relpath(path, ROOT)} ({os.path.getsize(path)} bytes)')


# --- kernels -------------------------------------------------------------------------------------------------------

# the same kernel formulas the reference drivers use (tools/reference/acquisition.py), straight from docs/domain.md
from acquisition import kernel  # noqa: E402


def log_grid(lo, hi, n):
    return np.logspace(math.log10(lo), math.log10(hi), n)


def kernels_fixture():
    tau = [1e-5, 3e-4, 2e-3, 1.5e-2, 0.1, 0.7, 5.0]
    t1 = [1e-4, 3e-3, 0.05, 0.8, 4.0]
    echoes = [2e-4, 1e-3, 4e-3, 2e-2, 0.1, 0.5]
    t2 = [5e-4, 1e-2, 0.2, 2.0]
    b = [0.0, 5e7, 4e8, 2e9, 1.2e10]
    d = [1e-12, 3e-11, 2.3e-9, 8e-9]
    cases = []
    for name, beta, x, y in [
        ('T1-IR', 1.0, tau, t1),
        ('T1-IR', 0.9, tau, t1),
        ('T1-SR', None, tau, t1),
        ('T2', None, echoes, t2),
        ('D', None, b, d),
    ]:
        k = kernel(name, x, y, 1.0 if beta is None else beta)
        case = {'kernel': name, 'x': x, 'y': y, 'matrix': as_list(k)}
        if beta is not None:
            case['beta'] = beta
        cases.append(case)
    write('kernels.json', {'tolerance': 'abs 1e-14 per entry (entries are O(1))', 'cases': cases})


# --- Stejskal–Tanner b-values ---------------------------------------------------------------------------------------

def b_value(g, delta, big_delta, sigma=1.0, lam=1.0 / 3.0, gap=0.0, gamma=GAMMA_1H):
    q = gamma * g * sigma * delta
    return q * q * (big_delta - lam * delta - gap / 2.0)


def bvalues_fixture():
    g = [0.01, 0.05, 0.17, 0.3, 0.5]  # T/m (1 … 50 G/cm)
    cases = [
        {'name': 'rectangular', 'shape': 'rectangular', 'delta': 2e-3, 'bigDelta': 50e-3, 'sigma': 1.0, 'lambda': 1 / 3},
        {'name': 'half-sine', 'shape': 'sine', 'delta': 2e-3, 'bigDelta': 50e-3, 'sigma': 2 / math.pi, 'lambda': 0.25},
        {'name': 'bipolar half-sine, gap 0.2 ms', 'shape': 'sine', 'delta': 2.4e-3, 'bigDelta': 0.1,
         'bipolarGap': 2e-4, 'sigma': 2 / math.pi, 'lambda': 0.25},
        {'name': 'bipolar rectangular, gap 0.5 ms', 'shape': 'rectangular', 'delta': 1e-3, 'bigDelta': 20e-3,
         'bipolarGap': 5e-4, 'sigma': 1.0, 'lambda': 1 / 3},
        {'name': 'explicit shape factors, 19F gamma', 'shape': {'sigma': 0.9, 'lambda': 0.3}, 'delta': 1.5e-3,
         'bigDelta': 30e-3, 'gamma': 2.51815e8, 'sigma': 0.9, 'lambda': 0.3},
    ]
    for c in cases:
        c['g'] = g
        c['b'] = [b_value(gi, c['delta'], c['bigDelta'], c['sigma'], c['lambda'], c.get('bipolarGap', 0.0),
                          c.get('gamma', GAMMA_1H)) for gi in g]
    write('bvalues.json', {'gamma1H': GAMMA_1H, 'tolerance': 'relative 1e-13', 'cases': cases})


# --- log grids -----------------------------------------------------------------------------------------------------

def loggrid_fixture():
    cases = []
    for lo, hi, n in [(1e-4, 10.0, 64), (1e-12, 1e-8, 9), (0.002, 3.0, 2), (3.7e-5, 12.5, 17)]:
        cases.append({'min': lo, 'max': hi, 'n': n, 'values': as_list(log_grid(lo, hi, n))})
    write('loggrid.json', {'tolerance': 'relative 1e-13', 'cases': cases})


# --- 2D forward model -----------------------------------------------------------------------------------------------

def forward2d_fixture():
    rng = np.random.default_rng(20261121)
    cases = []
    for k1name, x1, y1, k2name, x2, y2 in [
        ('T1-IR', log_grid(1e-4, 3.0, 6), log_grid(1e-3, 2.0, 4), 'T2', 1e-3 * np.arange(1, 9), log_grid(1e-3, 0.5, 5)),
        ('D', np.linspace(0, 2e10, 5), log_grid(1e-12, 1e-8, 3), 'T2', 4e-4 * np.arange(1, 11), log_grid(5e-3, 1.0, 4)),
    ]:
        f = rng.random((len(y1), len(y2)))
        f[f < 0.4] = 0.0  # sparse-ish, like a map
        s = kernel(k1name, x1, y1) @ f @ kernel(k2name, x2, y2).T
        cases.append({'kernel1': k1name, 'x1': as_list(x1), 'y1': as_list(y1), 'kernel2': k2name, 'x2': as_list(x2),
                      'y2': as_list(y2), 'f': as_list(f), 's': as_list(s)})
    write('forward2d.json', {'tolerance': 'abs 1e-12 · max|S|', 'cases': cases})


# --- singular values of a T2 kernel ---------------------------------------------------------------------------------

def svd_fixture():
    te = 2e-4
    m = 1000
    x = te * np.arange(1, m + 1)
    grid = log_grid(1e-4, 1.0, 64)
    k = kernel('T2', x, grid)
    s = np.linalg.svd(k, compute_uv=False)  # LAPACK gesdd on the full matrix, no Gram shortcut
    write('svd-t2.json', {
        'echoTime': te, 'echoes': m, 'grid': {'min': 1e-4, 'max': 1.0, 'n': 64}, 'gridValues': as_list(grid),
        'singularValues': as_list(s),
        'tolerance': 'relative 100·eps·(s_max/s)^2 + 1e-12 for s >= 1e-6 s_max (Gram route)',
    })


# --- NNLS ------------------------------------------------------------------------------------------------------------

def nnls_fixture():
    rng = np.random.default_rng(7)
    cases = []

    def add(name, a, b, unique):
        x, rnorm = nnls(a, b, maxiter=50 * a.shape[1])
        cases.append({'name': name, 'm': a.shape[0], 'n': a.shape[1], 'a': as_list(a.ravel()), 'b': as_list(b),
                      'x': as_list(x), 'residualNorm': float(rnorm), 'unique': unique,
                      'active': int(np.sum(x == 0))})

    # Tall, well conditioned, some constraints active.
    a = rng.standard_normal((12, 5))
    b = rng.standard_normal(12)
    add('tall random 12x5', a, b, True)
    # The unconstrained solution is already positive: NNLS must equal least squares.
    a = rng.random((10, 4)) + 0.1
    xt = np.array([0.5, 1.0, 2.0, 0.25])
    add('interior 10x4 (no active constraint)', a, a @ xt + 1e-3 * rng.standard_normal(10), True)
    # Everything pushes negative: the answer is x = 0.
    a = rng.random((6, 3))
    add('all active 6x3 (x = 0)', a, -a @ np.array([1.0, 2.0, 0.5]), True)
    # Exponential kernel, ill-conditioned but full column rank.
    x = 1e-3 * np.arange(1, 41)
    grid = log_grid(2e-3, 0.2, 8)
    k = kernel('T2', x, grid)
    f = np.zeros(8)
    f[2] = 0.7
    f[6] = 0.3
    add('T2 kernel 40x8, two spikes plus noise', k, k @ f + 1e-3 * rng.standard_normal(40), True)
    # Wide (m < n): solution not unique, residual is.
    a = rng.standard_normal((4, 7))
    b = rng.standard_normal(4)
    add('wide 4x7 (non-unique x)', a, b, False)
    write('nnls.json', {
        'reference': 'scipy.optimize.nnls (Lawson–Hanson active set)',
        'layout': 'a is row-major m×n',
        'tolerance': 'residual norm: relative 1e-9 (+1e-12); x (unique cases): abs 1e-8 · max(1, max|x|), 1e-6 for the '
                     'exponential kernel',
        'cases': cases,
    })


# --- Non-negative Tikhonov with fixed alpha ---------------------------------------------------------------------------

def tikhonov_nn(k, d, alpha):
    """min ||K f - d||^2 + alpha ||f||^2, f >= 0, as NNLS of the stacked system [K; sqrt(alpha) I] f = [d; 0]."""
    n = k.shape[1]
    a = np.vstack([k, math.sqrt(alpha) * np.eye(n)])
    rhs = np.concatenate([d, np.zeros(n)])
    f, _ = nnls(a, rhs, maxiter=100 * n)
    r = k @ f - d
    return f, float(r @ r), float(r @ r + alpha * f @ f)


def lognormal(grid, centre, width):
    z = (np.log10(grid) - math.log10(centre)) / width
    w = np.exp(-0.5 * z * z)
    return w / w.sum()


def tikhonov1d_fixture():
    rng = np.random.default_rng(42)
    cases = []
    # T2 decay: 300 echoes at 1 ms, 40-point grid, two populations, SNR 200 (max signal / sigma).
    x = 1e-3 * np.arange(1, 301)
    grid = log_grid(1e-3, 2.0, 40)
    k = kernel('T2', x, grid)
    ftrue = 0.6 * lognormal(grid, 0.01, 0.15) + 0.4 * lognormal(grid, 0.15, 0.2)
    clean = k @ ftrue
    sigma = clean.max() / 200
    d = clean + sigma * rng.standard_normal(len(x))
    for alpha in (1e-2, 1e-1):
        f, r2, obj = tikhonov_nn(k, d, alpha)
        cases.append({'name': f'T2 300 echoes, 40-point grid, alpha {alpha}', 'kernel': 'T2', 'x': as_list(x),
                      'grid': as_list(grid), 'data': as_list(d), 'sigma': sigma, 'alpha': alpha, 'f': as_list(f),
                      'residual2': r2, 'objective': obj})
    # Inversion recovery: 24 log-spaced delays, 32-point grid, one population (signal changes sign).
    x = log_grid(1e-4, 5.0, 24)
    grid = log_grid(1e-4, 10.0, 32)
    k = kernel('T1-IR', x, grid)
    ftrue = lognormal(grid, 0.2, 0.1)
    clean = k @ ftrue
    sigma = np.abs(clean).max() / 500
    d = clean + sigma * rng.standard_normal(len(x))
    alpha = 1e-3
    f, r2, obj = tikhonov_nn(k, d, alpha)
    cases.append({'name': 'T1-IR 24 delays, 32-point grid, alpha 1e-3', 'kernel': 'T1-IR', 'x': as_list(x),
                  'grid': as_list(grid), 'data': as_list(d), 'sigma': sigma, 'alpha': alpha, 'f': as_list(f),
                  'residual2': r2, 'objective': obj})
    write('tikhonov1d.json', {
        'reference': 'scipy.optimize.nnls on [K; sqrt(alpha) I] f = [d; 0]',
        'objective': '||K f - d||^2 + alpha ||f||^2, f >= 0',
        'tolerance': 'objective relative 1e-6; ||f - f_ref|| / ||f_ref|| <= 1e-3 (Lapis solves the SVD-compressed '
                     'problem, exact up to the discarded singular components)',
        'cases': cases,
    })


def tikhonov2d_fixture():
    rng = np.random.default_rng(2026)
    x1 = log_grid(1e-3, 3.0, 10)
    y1 = log_grid(1e-3, 5.0, 12)
    x2 = 2e-3 * np.arange(1, 61)
    y2 = log_grid(2e-3, 1.0, 12)
    k1 = kernel('T1-IR', x1, y1)
    k2 = kernel('T2', x2, y2)
    g1 = np.log10(y1)[:, None]
    g2 = np.log10(y2)[None, :]
    ftrue = np.exp(-0.5 * (((g1 - math.log10(0.3)) / 0.15) ** 2 + ((g2 - math.log10(0.05)) / 0.15) ** 2))
    ftrue /= ftrue.sum()
    clean = k1 @ ftrue @ k2.T
    sigma = np.abs(clean).max() / 300
    d = clean + sigma * rng.standard_normal(clean.shape)
    alpha = 1e-2
    kk = np.kron(k1, k2)  # row-major vec: S.ravel() = kron(K1, K2) @ F.ravel()
    f, r2, obj = tikhonov_nn(kk, d.ravel(), alpha)
    write('tikhonov2d.json', {
        'reference': 'scipy.optimize.nnls on [kron(K1,K2); sqrt(alpha) I] vec(F) = [vec(S); 0], row-major vec',
        'objective': '||K1 F K2^T - S||_F^2 + alpha ||F||_F^2, F >= 0',
        'tolerance': 'objective relative 1e-5; ||F - F_ref|| / ||F_ref|| <= 5e-3',
        'kernel1': 'T1-IR', 'x1': as_list(x1), 'y1': as_list(y1), 'kernel2': 'T2', 'x2': as_list(x2),
        'y2': as_list(y2), 'data': as_list(d), 'sigma': sigma, 'alpha': alpha, 'f': as_list(f),
        'residual2': r2, 'objective': obj,
    })


def main():
    os.makedirs(OUT, exist_ok=True)
    kernels_fixture()
    bvalues_fixture()
    loggrid_fixture()
    forward2d_fixture()
    svd_fixture()
    nnls_fixture()
    tikhonov1d_fixture()
    tikhonov2d_fixture()
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT) if f.endswith('.json'))
    print(f'total {total} bytes')
    if total > 200_000:
        sys.exit(f'fixtures too large: {total} bytes (limit 200 KB)')


if __name__ == '__main__':
    main()
