"""Reads a `lapis-acquisition/1` directory (see docs/ARCHITECTURE: acquisition.json + one text data file) and builds
the kernels Lapis uses, with numpy. Shared by the reference drivers in this folder; no Lapis code is imported."""
import json
import math
import os

import numpy as np


def read_acquisition(case_dir):
    """Returns (axes, data): axes as in acquisition.json (each with numpy `values`), data as an m1 × m2 array."""
    with open(os.path.join(case_dir, 'acquisition.json')) as fh:
        meta = json.load(fh)
    if meta.get('format') != 'lapis-acquisition/1':
        raise ValueError(f'{case_dir}: not a lapis-acquisition/1 directory (format {meta.get("format")!r})')
    axes = meta['axes']
    if len(axes) != 2:
        raise ValueError(f'{case_dir}: the reference drivers handle 2D sets only, this one has {len(axes)} axes')
    for ax in axes:
        ax['values'] = np.asarray(ax['values'], dtype=float)
    rows = []
    with open(os.path.join(case_dir, meta.get('data', 'data.txt'))) as fh:
        for line in fh:
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            rows.append([float(v) for v in line.replace(',', ' ').split()])
    data = np.asarray(rows, dtype=float)
    shape = (len(axes[0]['values']), len(axes[1]['values']))
    if data.shape != shape:
        raise ValueError(f'{case_dir}: data is {data.shape[0]}×{data.shape[1] if data.ndim > 1 else 1}, axes say '
                         f'{shape[0]}×{shape[1]}')
    return axes, data


def kernel(name, x, y, beta=1.0):
    x = np.asarray(x, dtype=float)[:, None]
    y = np.asarray(y, dtype=float)[None, :]
    if name == 'T1-IR':
        return 1.0 - (1.0 + beta) * np.exp(-x / y)
    if name == 'T1-SR':
        return 1.0 - np.exp(-x / y)
    if name == 'T2':
        return np.exp(-x / y)
    if name == 'D':
        return np.exp(-x * y)
    raise ValueError(f'unknown kernel {name!r}')


def log_grid(lo, hi, n):
    return np.logspace(math.log10(lo), math.log10(hi), n)
