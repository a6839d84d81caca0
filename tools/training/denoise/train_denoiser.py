"""
Train the spectrum denoiser (issue 23: "denoising for display"), export ONNX (opset 13) and write its manifest.

  /usr/bin/python3 tools/training/denoise/train_denoiser.py --out models [--steps 3000] [--batch 16] [--seed 0]
      [--threads 2] [--max-seconds 900]

Training pairs are simulated here (numpy), never real spectra: a stretch of a processed 1D spectrum in units of its
noise sigma — lines (pseudo-Voigt, full widths 1.5-40 points, heights 2-3000 sigma, singlets and multiplets with
couplings of 3-15 points, overlaps allowed), a slow residual baseline, and noise made as Lapis' processing makes it:
complex white noise on the acquired half of the points, zero-filled and Fourier transformed, so neighbouring points
are correlated as in a zero-filled spectrum. The network (a small 1D U-Net) predicts the noise; the denoised spectrum
is the input less that prediction (residual learning: tall lines pass through untouched, which keeps integrals).
Loss: mean absolute error against the clean stretch, plus the squared error of each line's integral window, so the
network cannot buy a smoother baseline by eating line area.
"""
import argparse
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from lapis_training.export1d import export_spectrum_model  # noqa: E402

N = 1024


def simulate(rng, batch):
    x = np.arange(N)
    clean = np.zeros((batch, N))
    windows = np.zeros((batch, N), dtype=bool)
    for b in range(batch):
        k = rng.integers(0, 14)
        for _ in range(k):
            centre = rng.uniform(20, N - 20)
            width = np.exp(rng.uniform(np.log(1.5), np.log(40)))
            height = np.exp(rng.uniform(np.log(2), np.log(3000)))
            eta = rng.uniform(0.5, 1)
            split = rng.integers(1, 4)
            j = rng.uniform(3, 15)
            weights = [1] if split == 1 else [1, 1] if split == 2 else [1, 2, 1]
            for i, w in enumerate(weights):
                c = centre + (i - (len(weights) - 1) / 2) * j
                u = (x - c) / width
                clean[b] += height * w / max(weights) * (eta / (1 + 4 * u * u) + (1 - eta) * np.exp(-4 * np.log(2) * u * u))
                windows[b, max(0, int(c - 3 * width)) : int(c + 3 * width) + 1] = True
        # residual baseline a Whittaker fit leaves: a slow wave of a fraction of sigma
        clean[b] += rng.normal(0, 0.3) * np.sin(2 * np.pi * x / rng.uniform(800, 4000) + rng.uniform(0, 6.3))
    # noise as a processed spectrum has it: white complex noise on half the points, an exponential window of up to
    # ~1 Hz at typical digital resolutions (decay over the acquired points 0-3), zero-filled, transformed
    half = N // 2
    fid = rng.normal(size=(batch, half)) + 1j * rng.normal(size=(batch, half))
    fid *= np.exp(-rng.uniform(0, 3, size=(batch, 1)) * np.arange(half) / half)
    spec = np.fft.fft(np.concatenate([fid, np.zeros((batch, N - half))], axis=1), axis=1).real
    noise = spec / spec.std(axis=1, keepdims=True)
    return (clean + noise).astype(np.float32), clean.astype(np.float32), windows


class Block(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv1d(cin, cout, 5, padding=2), nn.ReLU(), nn.Conv1d(cout, cout, 5, padding=2), nn.ReLU()
        )

    def forward(self, x):
        return self.body(x)


class Denoiser(nn.Module):
    """1D U-Net, 4 levels (8-16-32-48 channels, kernels of 5; a receptive field of ~250 points, wider than the
    broadest lines); input and output (batch, 1, n), n a multiple of 8; predicts the noise and returns the input
    less it."""

    def __init__(self):
        super().__init__()
        self.e1, self.e2, self.e3, self.e4 = Block(1, 8), Block(8, 16), Block(16, 32), Block(32, 48)
        self.down = nn.MaxPool1d(2)
        self.u3 = nn.ConvTranspose1d(48, 32, 2, stride=2)
        self.d3 = Block(64, 32)
        self.u2 = nn.ConvTranspose1d(32, 16, 2, stride=2)
        self.d2 = Block(32, 16)
        self.u1 = nn.ConvTranspose1d(16, 8, 2, stride=2)
        self.d1 = Block(16, 8)
        self.out = nn.Conv1d(8, 1, 1)

    def forward(self, x):
        # compress tall lines: the noise is what matters, and it is ~1 in these units
        # (asinh written out: the ONNX exporter of torch 1.13 has no asinh)
        z = torch.sign(x) * torch.log(x.abs() + torch.sqrt(x * x + 1))
        a = self.e1(z)
        b = self.e2(self.down(a))
        c = self.e3(self.down(b))
        c = self.d3(torch.cat([self.u3(self.e4(self.down(c))), c], 1))
        d = self.d2(torch.cat([self.u2(c), b], 1))
        e = self.d1(torch.cat([self.u1(d), a], 1))
        return x - self.out(e)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="models")
    ap.add_argument("--id", default="lapis-denoise1d")
    ap.add_argument("--steps", type=int, default=3000)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--max-seconds", type=float, default=900)
    args = ap.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(args.seed)
    net = Denoiser()
    opt = torch.optim.Adam(net.parameters(), lr=args.lr)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=args.steps)
    val_rng = np.random.default_rng(10_000 + args.seed)
    vx, vy, vw = simulate(val_rng, 64)
    vx, vy = torch.from_numpy(vx)[:, None], torch.from_numpy(vy)[:, None]
    start = time.time()
    step = 0
    for step in range(args.steps):
        x, y, w = simulate(rng, args.batch)
        x, y = torch.from_numpy(x)[:, None], torch.from_numpy(y)[:, None]
        mask = torch.from_numpy(w)[:, None].float()
        pred = net(x)
        l1 = (pred - y).abs().mean()
        # line area: the summed error inside the lines' windows, per sample, relative to the noise of that sum
        area = (((pred - y) * mask).sum(-1) ** 2 / (mask.sum(-1) + 1)).mean()
        loss = l1 + 0.05 * area
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if step % 200 == 0 or step == args.steps - 1:
            with torch.no_grad():
                vp = net(vx)
                gain = ((vx - vy) ** 2).mean().sqrt() / ((vp - vy) ** 2).mean().sqrt()
            print(f"step {step} loss {loss.item():.4f} l1 {l1.item():.4f} val rmse gain {gain.item():.2f}x "
                  f"({time.time() - start:.0f} s)", flush=True)
        if time.time() - start > args.max_seconds:
            print(f"stopping at step {step}: --max-seconds reached", flush=True)
            break
    path = export_spectrum_model(
        net, N, args.out, args.id, "denoise-1d",
        {"shape": ["batch", 1, "points"], "dtype": "float32", "units": "spectrum / noise sigma; points a multiple of 8"},
        {"shape": ["batch", 1, "points"], "dtype": "float32", "units": "denoised spectrum / noise sigma"},
        {"script": "tools/training/denoise/train_denoiser.py", "steps": step + 1, "batch": args.batch,
         "seed": args.seed, "simulated": True, "stretch": N, "seconds": round(time.time() - start)},
    )
    print("wrote", path)


if __name__ == "__main__":
    main()
