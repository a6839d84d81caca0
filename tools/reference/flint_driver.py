#!/usr/bin/python3
"""Runs FLINT (Teal & Eccles, Inverse Problems 31 (2015) 045010; numpy version `flint.py` from
github.com/paultnz/flint) on a `lapis-acquisition/1` case, for the side-by-side benchmark.

FLINT is not part of Lapis and is not vendored: point --flint at a local copy (see tools/reference/README.md).

FLINT minimises ‖K1·S·K2ᵀ − Z‖² + α‖S‖² over S ≥ 0 by FISTA — the same objective and α convention as Lapis's
`iltTikhonov` — but has no rule for α. Unless --alpha is a number, this driver chooses α by the discrepancy
principle, the rule Lapis uses by default: σ̂ from the data outside the kernels' leading singular subspace
(σ̂² = (‖Z‖² − ‖U1ᵀZU2‖²)/(m1·m2 − r1·r2), singular values ≥ 1e-6·s_max kept), then the α at which the full
residual ‖K1·S·K2ᵀ − Z‖² equals m1·m2·σ̂², by regula falsi (Illinois) in log α with warm starts. The timing
covers σ̂, the α search and every FLINT solve; building the kernels and reading the files are outside it.

Prints nothing on stdout but, with --out -, the JSON result; FLINT's own progress lines go to stderr with -v.
"""
import argparse
import contextlib
import io
import json
import math
import os
import re
import subprocess
import sys
import time

import numpy as np

# Leave no __pycache__ in the repository or in the reference's folder.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from acquisition import kernel, log_grid, read_acquisition  # noqa: E402


def load_flint(flint_dir):
    path = os.path.join(flint_dir, 'flint.py')
    if not os.path.isfile(path):
        raise FileNotFoundError(f'{path} not found: --flint must point at a copy of github.com/paultnz/flint')
    sys.path.insert(0, flint_dir)
    import flint as module  # noqa: E402  (their numpy version)
    version = None
    with open(path) as fh:
        for line in fh:
            m = re.match(r'#\s*(\d+\.\d+)\s+(\d+ \w+ \d{4})', line)
            if m:
                version = f'{m.group(1)} ({m.group(2)})'
    return module.flint, version


def repo_commit(directory):
    marker = os.path.join(directory, 'COMMIT')
    if os.path.isfile(marker):
        with open(marker) as fh:
            return fh.read().strip()
    try:
        out = subprocess.run(['git', '-C', directory, 'rev-parse', 'HEAD'], capture_output=True, text=True, check=True)
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def estimate_sigma(k1, k2, z, rel_tol=1e-6):
    u1, s1, _ = np.linalg.svd(k1, full_matrices=False)
    u2, s2, _ = np.linalg.svd(k2, full_matrices=False)
    r1 = int(np.sum(s1 >= rel_tol * s1[0]))
    r2 = int(np.sum(s2 >= rel_tol * s2[0]))
    proj = u1[:, :r1].T @ z @ u2[:, :r2]
    dof = z.size - r1 * r2
    total = float(np.sum(z * z))
    return math.sqrt(max(total - float(np.sum(proj * proj)), 0.0) / dof) if dof > 0 else 0.0, s1[0] * s2[0]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--flint', required=True, help='directory holding FLINT\'s flint.py')
    ap.add_argument('--case', required=True, help='lapis-acquisition/1 directory')
    ap.add_argument('--range1', nargs=2, type=float, required=True, metavar=('MIN', 'MAX'))
    ap.add_argument('--range2', nargs=2, type=float, required=True, metavar=('MIN', 'MAX'))
    ap.add_argument('--n', type=int, default=64, help='grid points per dimension (default 64)')
    ap.add_argument('--alpha', default='discrepancy', help='a number, or "discrepancy" (default)')
    ap.add_argument('--sigma', type=float, help='noise standard deviation, if known (default: estimated)')
    ap.add_argument('--tol', type=float, default=1e-5, help='FLINT tol (its default 1e-5)')
    ap.add_argument('--maxiter', type=int, default=100001, help='FLINT maxiter (its default 100001)')
    ap.add_argument('--out', default='-', help='result JSON file, or - for stdout')
    ap.add_argument('-v', '--verbose', action='store_true', help='pass FLINT\'s progress lines to stderr')
    args = ap.parse_args()

    flint, version = load_flint(args.flint)
    axes, z = read_acquisition(args.case)
    grid1 = log_grid(args.range1[0], args.range1[1], args.n)
    grid2 = log_grid(args.range2[0], args.range2[1], args.n)
    k1 = kernel(axes[0]['kernel'], axes[0]['values'], grid1, axes[0].get('beta', 1.0))
    k2 = kernel(axes[1]['kernel'], axes[1]['values'], grid2, axes[1].get('beta', 1.0))

    sink = sys.stderr if args.verbose else io.StringIO()
    solves = []

    def solve(alpha, start):
        with contextlib.redirect_stdout(sink):
            s, hist = flint(k1, k2, z, alpha, start if start is not None else np.asarray([]), args.tol, args.maxiter)
        done = np.flatnonzero(~np.isnan(hist))
        r = k1 @ s @ k2.T - z
        solves.append({'alpha': alpha, 'lastCheckedIteration': int(done[-1]) if done.size else 0})
        return s, float(np.sum(r * r))

    t0 = time.perf_counter()
    c0 = time.process_time()
    sigma = None
    if args.alpha == 'discrepancy':
        rule = 'discrepancy'
        sigma, knorm = estimate_sigma(k1, k2, z)
        if args.sigma is not None:
            sigma = args.sigma
        target = math.log(z.size * sigma * sigma)
        cache = {}
        state = {'start': None}

        def g(log_alpha):
            if log_alpha not in cache:
                s, r2 = solve(math.exp(log_alpha), state['start'])
                state['start'] = s
                cache[log_alpha] = (s, r2, math.log(max(r2, 1e-300)) - target)
            return cache[log_alpha][2]

        a = math.log(1e-4 * knorm * knorm)
        ga = g(a)
        step = math.log(10.0)
        b = a - step if ga > 0 else a + step
        gb = g(b)
        for _ in range(20):
            if ga * gb <= 0:
                break
            a, ga = b, gb
            b = b - step if ga > 0 else b + step
            gb = g(b)
        if ga * gb > 0:
            x = a if abs(ga) < abs(gb) else b
        else:
            lo, hi = (a, b) if a < b else (b, a)
            glo, ghi = g(lo), g(hi)
            side = 0
            x = lo
            for _ in range(30):
                x = (lo * ghi - hi * glo) / (ghi - glo)
                gx = g(x)
                if abs(gx) < 0.01 or hi - lo < 1e-3:
                    break
                if gx > 0:
                    hi, ghi = x, gx
                    if side == -1:
                        glo /= 2
                    side = -1
                else:
                    lo, glo = x, gx
                    if side == 1:
                        ghi /= 2
                    side = 1
        g(x)
        dist, residual2 = cache[x][0], cache[x][1]
        alpha = math.exp(x)
    else:
        rule = 'fixed'
        alpha = float(args.alpha)
        if not alpha > 0:
            sys.exit(f'flint_driver: --alpha must be a positive number or "discrepancy", got {args.alpha!r}')
        dist, residual2 = solve(alpha, None)
    elapsed_ms = (time.perf_counter() - t0) * 1000.0
    cpu_ms = (time.process_time() - c0) * 1000.0

    result = {
        'tool': 'flint',
        'version': version,
        'commit': repo_commit(args.flint),
        'elapsedMs': elapsed_ms,
        'cpuMs': cpu_ms,
        'grid1': grid1.tolist(),
        'grid2': grid2.tolist(),
        'distribution': dist.tolist(),
        'alpha': alpha,
        'alphaRule': rule,
        'sigma': sigma,
        'residual2': residual2,
        'settings': {'tol': args.tol, 'maxiter': args.maxiter, 'solves': solves},
        'numpy': np.__version__,
    }
    text = json.dumps(result)
    if args.out == '-':
        print(text)
    else:
        with open(args.out, 'w') as fh:
            fh.write(text)


if __name__ == '__main__':
    main()
