"""
Train the 1D network peak picker (issue 23: "a network peak picker for 1D spectra"), export ONNX (opset 13) and
write its manifest.

  /usr/bin/python3 tools/training/picker/train_picker.py --out models [--steps 8000] [--batch 32] [--seed 0]
      [--threads 1] [--max-seconds 1300] [--channels 8,16,24,32]

Training stretches are simulated here (numpy), never real spectra: 1024 points of a processed 1D spectrum in units
of its noise sigma, as the picker gets it (baseline removed): pseudo-Voigt lines (Lorentzian fraction 0.3-1, full
widths 2-40 points, heights 3-1000 sigma, one line in five up to 1e5 sigma), singlets and multiplets (d, t 1:2:1, dd, q 1:3:3:1, couplings from half a
width to 50 points), overlapped partners half a width to 1.5 widths beside a line, a slow residual baseline, and
noise either white or made as Lapis' processing makes it (complex white noise on the acquired half of the points,
zero-filled and Fourier transformed, so neighbours are correlated).

The network (a small 1D U-Net, the input asinh-compressed inside it, as in the denoiser) answers per point, DEEP
Picker-like (Li et al., Nat. Commun. 12 (2021) 5229): channel 0 the logit of a line centre being at that point (the
target a Gaussian of 0.6 points around each true centre, so a centre between two points still peaks above 0.5),
channel 1 log(width / 1 point) of the line there (trained only near centres). Peaks are the local maxima of the
probability above 0.5; libs/spectra fits them back to the spectrum (pickPeaks1dFromCandidates).
"""
import argparse
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from lapis_training.export1d import export_spectrum_model  # noqa: E402

N = 1024
SPREAD = 0.6


def simulate(rng, batch, partner_min=0.5):
    """Noisy stretches (batch, N), the centre-probability targets, the log-width targets and the true lines."""
    x = np.arange(N)
    clean = np.zeros((batch, N))
    heat = np.zeros((batch, N))
    logw = np.zeros((batch, N))
    truth = []
    for b in range(batch):
        lines = []
        for _ in range(rng.integers(0, 9)):
            centre = rng.uniform(-10, N + 10)
            width = np.exp(rng.uniform(np.log(2), np.log(40)))
            # most lines 3-1000 sigma; one in five up to 1e5 sigma, whose skirts and the noise on them stay
            # tens of sigma high over hundreds of points (no line there to pick)
            top = 1000 if rng.uniform() < 0.8 else 1e5
            height = np.exp(rng.uniform(np.log(3), np.log(top)))
            eta = rng.uniform(0.3, 1)
            kind = rng.integers(0, 5)
            j1 = max(rng.uniform(3, 50), rng.uniform(0.5, 2) * width)
            j2 = max(rng.uniform(3, 50), rng.uniform(0.5, 2) * width)
            if kind == 0:
                pat = [(0, 1)]
            elif kind == 1:
                pat = [(-j1 / 2, 1), (j1 / 2, 1)]
            elif kind == 2:
                pat = [(-j1, 0.5), (0, 1), (j1, 0.5)]
            elif kind == 3:
                pat = [(-(j1 + j2) / 2, 1), (-(j1 - j2) / 2, 1), ((j1 - j2) / 2, 1), ((j1 + j2) / 2, 1)]
            else:
                pat = [(-1.5 * j1, 1 / 3), (-0.5 * j1, 1), (0.5 * j1, 1), (1.5 * j1, 1 / 3)]
            for o, w in pat:
                lines.append((centre + o, height * w, width, eta))
            if rng.uniform() < 0.3:
                side = 1 if rng.uniform() < 0.5 else -1
                lines.append((centre + side * rng.uniform(partner_min, 1.5) * width, height * rng.uniform(0.2, 1), width, eta))
        # two lines closer than a third of the narrower width are one (nothing could tell them apart)
        lines.sort()
        merged = []
        for l in lines:
            if merged and l[0] - merged[-1][0] < 0.33 * min(l[2], merged[-1][2]):
                p = merged[-1]
                h = p[1] + l[1]
                merged[-1] = ((p[0] * p[1] + l[0] * l[1]) / h, h, (p[2] * p[1] + l[2] * l[1]) / h, p[3])
            else:
                merged.append(l)
        kept = []
        for c, h, w, eta in merged:
            u = (x - c) / w
            clean[b] += h * (eta / (1 + 4 * u * u) + (1 - eta) * np.exp(-4 * np.log(2) * u * u))
            if 0 <= c <= N - 1:
                g = np.exp(-((x - c) ** 2) / (2 * SPREAD ** 2))
                near = g > heat[b]
                heat[b] = np.where(near, g, heat[b])
                logw[b] = np.where(near, np.log(w), logw[b])
                kept.append((c, h, w))
        truth.append(kept)
        clean[b] += rng.normal(0, 0.3) * np.sin(2 * np.pi * x / rng.uniform(800, 4000) + rng.uniform(0, 6.3))
        clean[b] += rng.normal(0, 0.2)
    half = N // 2
    fid = rng.normal(size=(batch, half)) + 1j * rng.normal(size=(batch, half))
    fid *= np.exp(-rng.uniform(0, 3, size=(batch, 1)) * np.arange(half) / half)
    correlated = np.fft.fft(np.concatenate([fid, np.zeros((batch, N - half))], axis=1), axis=1).real
    white = rng.normal(size=(batch, N))
    noise = np.where(rng.uniform(size=(batch, 1)) < 0.5, white, correlated)
    noise = noise / noise.std(axis=1, keepdims=True)
    return (clean + noise).astype(np.float32), heat.astype(np.float32), logw.astype(np.float32), truth


class Block(nn.Module):
    def __init__(self, cin, cout, k1=5, k2=3):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv1d(cin, cout, k1, padding=k1 // 2), nn.ReLU(), nn.Conv1d(cout, cout, k2, padding=k2 // 2), nn.ReLU()
        )

    def forward(self, x):
        return self.body(x)


class Picker(nn.Module):
    """1D U-Net, 4 levels (channels c1-c2-c3-c4, default 8-16-24-32; a receptive field of ~200 points, wider than
    the broadest lines); input (batch, 1, n), n a multiple of 8, in units of the noise sigma; output (batch, 2, n):
    centre logit, log width."""

    def __init__(self, channels=(8, 16, 24, 32)):
        super().__init__()
        c1, c2, c3, c4 = channels
        self.e1, self.e2, self.e3, self.e4 = Block(1, c1), Block(c1, c2), Block(c2, c3, 5, 5), Block(c3, c4, 5, 5)
        self.down = nn.MaxPool1d(2)
        self.u3 = nn.ConvTranspose1d(c4, c3, 2, stride=2)
        self.d3 = Block(2 * c3, c3, 3, 3)
        self.u2 = nn.ConvTranspose1d(c3, c2, 2, stride=2)
        self.d2 = Block(2 * c2, c2, 3, 3)
        self.u1 = nn.ConvTranspose1d(c2, c1, 2, stride=2)
        self.d1 = Block(2 * c1, c1, 3, 3)
        self.out = nn.Conv1d(c1, 2, 1)

    def forward(self, x):
        # asinh written out: the ONNX exporter of torch 1.13 has no asinh
        z = torch.sign(x) * torch.log(x.abs() + torch.sqrt(x * x + 1))
        a = self.e1(z)
        b = self.e2(self.down(a))
        c = self.e3(self.down(b))
        c = self.d3(torch.cat([self.u3(self.e4(self.down(c))), c], 1))
        d = self.d2(torch.cat([self.u2(c), b], 1))
        e = self.d1(torch.cat([self.u1(d), a], 1))
        return self.out(e)


def decode(prob):
    """Local maxima of the probability above 0.5, positions refined by a parabola through three points."""
    out = []
    for i in range(1, len(prob) - 1):
        p = prob[i]
        if p > 0.5 and p >= prob[i - 1] and p > prob[i + 1]:
            a, c = prob[i - 1], prob[i + 1]
            den = a - 2 * p + c
            out.append(i + (0.5 * (a - c) / den if den < 0 else 0))
    return out


def score(truth, picks, min_snr=20):
    """Recall of lines at S/N >= min_snr and precision of the picks (within half a width), as bench:spectra."""
    found = total = matched = picked = 0
    for lines, ps in zip(truth, picks):
        used = set()
        picked += len(ps)
        for c, h, w in sorted(lines, key=lambda l: -l[1]):
            best = None
            for k, p in enumerate(ps):
                if k not in used and abs(p - c) <= 0.5 * w and (best is None or abs(p - c) < abs(ps[best] - c)):
                    best = k
            if best is not None:
                used.add(best)
                matched += 1
            if h >= min_snr:
                total += 1
                found += best is not None
    return found / max(total, 1), matched / max(picked, 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="models")
    ap.add_argument("--id", default="lapis-pick1d")
    ap.add_argument("--steps", type=int, default=8000)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--max-seconds", type=float, default=1300)
    ap.add_argument("--channels", default="8,16,24,32", help="U-Net channels per level, 4 numbers")
    ap.add_argument("--partner-min", type=float, default=0.5, help="closest overlapped partner, in line widths")
    args = ap.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(args.seed)
    channels = tuple(int(c) for c in args.channels.split(","))
    net = Picker(channels)
    opt = torch.optim.Adam(net.parameters(), lr=args.lr)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=args.steps)
    val_rng = np.random.default_rng(10_000 + args.seed)
    vx, _, _, vtruth = simulate(val_rng, 128)
    vx = torch.from_numpy(vx)[:, None]
    start = time.time()
    step = 0
    for step in range(args.steps):
        x, heat, logw, _ = simulate(rng, args.batch, args.partner_min)
        x, heat, logw = torch.from_numpy(x)[:, None], torch.from_numpy(heat), torch.from_numpy(logw)
        out = net(x)
        weight = 1 + 9 * heat
        bce = F.binary_cross_entropy_with_logits(out[:, 0], heat, weight=weight)
        near = (heat > 0.5).float()
        wl = ((out[:, 1] - logw).abs() * near).sum() / (near.sum() + 1)
        loss = bce + 0.1 * wl
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        last = step == args.steps - 1 or time.time() - start > args.max_seconds
        if step % 250 == 0 or last:
            with torch.no_grad():
                vp = torch.sigmoid(net(vx)[:, 0]).numpy()
            recall, precision = score(vtruth, [decode(p) for p in vp])
            print(f"step {step} loss {loss.item():.4f} bce {bce.item():.4f} logw {wl.item():.3f} "
                  f"val S/N>=20 recall {recall:.3f} precision(all picks) {precision:.3f} ({time.time() - start:.0f} s)",
                  flush=True)
        if time.time() - start > args.max_seconds:
            print(f"stopping at step {step}: --max-seconds reached", flush=True)
            break
    path = export_spectrum_model(
        net, N, args.out, args.id, "pick-1d",
        {"shape": ["batch", 1, "points"], "dtype": "float32",
         "units": "spectrum / noise sigma, baseline removed; points a multiple of 8"},
        {"shape": ["batch", 2, "points"], "dtype": "float32",
         "units": "channel 0: logit of a line centre at the point; channel 1: ln(line width / point)"},
        {"script": "tools/training/picker/train_picker.py", "steps": step + 1, "batch": args.batch,
         "seed": args.seed, "simulated": True, "stretch": N, "spread": SPREAD, "channels": list(channels),
         "partnerMin": args.partner_min,
         "seconds": round(time.time() - start)},
    )
    print("wrote", path)


if __name__ == "__main__":
    main()
