"""
Train the NUS reconstruction network (issue 24), export ONNX (opset 13) and write its manifest.

  /usr/bin/python3 tools/training/nus/train_nus.py --out models [--steps 3500] [--batch 48] [--stages 10]
      [--hidden 6] [--seed 0] [--threads 2] [--max-seconds 1500] [--evaluate 256] [--fixture PATH]

The network is a learned IST: the same loop as libs/spectra's istColumn.ts with the virtual echo ('real-pair'
model) — transform, shrink the spectrum, transform back, put the measured points back — but the shrinkage of every
spectrum value is a mask in (0, 1) that a small convolutional network computes from the value's neighbourhood, the
spectrum's noise level and the stage's threshold (IST's schedule, geometric from the column's maximum to 3 sigma),
with the soft threshold's own mask as its prior. Unrolled for a fixed number of stages with one set of weights (the
threshold enters as an input channel); a spectrum wholly under its threshold is zeroed as IST would. Only the mask network is exported, the transforms and the
data consistency stay in TypeScript (libs/inference nusNetwork.ts), as in the published unrolled networks (X. Qu et
al., "Accelerated NMR spectroscopy with deep learning", Angew. Chem. Int. Ed. 59 (2020) 10297: a CNN with data
consistency, trained on simulated exponentials only).

Training columns are simulated here (numpy), never real data: the two States t1 signals of one F2 column, a and b,
sums of decaying complex exponentials with real amplitudes (column_lines: half cut from simulated 2D spectra, where
every peak reaches every column through its unwindowed F2 line's tails, half 0-6 independent lines), decays from
0.2 to 5 acquisition lengths, close pairs (F1 overlaps), the F1 phase off by a few degrees now and then, white noise
sigma 1 on each real value, sine-weighted Poisson-gap schedules (libs/spectra schedule.ts's generator) at 8-55 % of
256 t1 points. The target is the noise-free signal at the unsampled points. Loss: the squared error there over the
signal's energy (an RLNE^2), the intermediate stages weighted in less. The script ends by writing the parity fixture
of the model it exported (libs/inference/src/testing/fixtures/nus-parity.json; `--fixture-only` for a given model).
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

HALF = 256  # t1 points
L = 2 * HALF  # virtual echo length


def poisson_gap(rng, size, count):
    """Sine-weighted Poisson-gap schedule, the published generator (as libs/spectra schedule.ts)."""
    adjust = 2 * (size / count - 1)
    best = None
    for _ in range(20000):
        v = []
        i = 0
        while i < size:
            v.append(i)
            i += 1
            i += rng.poisson(max(adjust * np.sin((i + 0.5) / (size + 1) * np.pi / 2), 0))
        if len(v) == count:
            return np.array(v)
        if best is None or abs(len(v) - count) < abs(len(best) - count):
            best = v
        adjust = adjust * 1.02 if len(v) > count else adjust / 1.02
    return np.array(sorted(best[:count]))


def column_lines(rng, half):
    """The F1 lines of one F2 column: (frequency rad/point, decay time points, a amplitude, b amplitude).

    Half the columns are cut from a simulated 2D spectrum (1-60 peaks over 2.5 decades, F2 Lorentzians 0.3-5 columns
    wide at random places): every peak reaches every column through its F2 line's tails (the F2 transform is not
    windowed), its real part there the a amplitude, its imaginary part the b amplitude - many weak lines and a few
    strong ones, as a real HSQC's columns have them. The other half: 0-6 lines with independent amplitudes."""
    lines = []
    if rng.random() < 0.5:
        k = rng.integers(1, 61)
        top = np.exp(rng.uniform(np.log(3), np.log(3000)))
        pos = rng.uniform(-300, 300, k)
        gam = np.exp(rng.uniform(np.log(0.3), np.log(5), k))
        amp = top * np.exp(-rng.uniform(0, 2.5 * np.log(10), k)) * rng.choice([-1, 1], k)
        c = pos[rng.integers(k)] + rng.normal(0, 2) if rng.random() < 0.6 else rng.uniform(-300, 300)
        v = amp * gam / (gam + 1j * (c - pos))
        last = None
        for j in range(k):
            w = rng.uniform(-np.pi, np.pi)
            if last is not None and rng.random() < 0.3:
                w = last + rng.choice([-1, 1]) * rng.uniform(0.5, 2.5) * 2 * np.pi / half
            last = w
            lines.append((w, half * np.exp(rng.uniform(np.log(0.2), np.log(10))), v[j].real, v[j].imag))
        return lines
    k = rng.choice([0, 1, 1, 2, 2, 3, 3, 4, 5, 6])
    last = None
    for j in range(k):
        w = rng.uniform(-np.pi, np.pi)
        if last is not None and j % 3 == 2:
            w = last + rng.choice([-1, 1]) * rng.uniform(0.5, 2.5) * 2 * np.pi / half
        last = w
        amp = np.exp(rng.uniform(np.log(0.03), np.log(1000)))
        phi = rng.uniform(0, 2 * np.pi)
        lines.append((w, half * np.exp(rng.uniform(np.log(0.2), np.log(10))), amp * np.cos(phi), amp * np.sin(phi)))
    return lines


def schedule(rng, size, count):
    """A t1 schedule of `count` of `size` points, t1 = 0 always: sine-weighted Poisson gaps (half the time; what
    Lapis simulates), else random points under an exponential weight e^(-t/w), w from 0.3 acquisitions to flat (as
    TopSpin's NUSLIST <automatic> writes them: the bruker-data-test HSQC's first gap is 11 of 512)."""
    if rng.random() < 0.5:
        return poisson_gap(rng, size, count)
    weight = np.exp(-np.arange(1, size) / (size * np.exp(rng.uniform(np.log(0.3), np.log(30)))))
    rest = rng.choice(np.arange(1, size), count - 1, replace=False, p=weight / weight.sum())
    return np.sort(np.concatenate([[0], rest]))


def simulate(rng, batch, levels=(0.08, 0.55), half=None):
    """Known values (the virtual echo z at the known positions, zeros elsewhere), the known-position mask, the
    noise-free z, and the spectrum-value noise sigma (2 sigma sqrt(m), as istReconstruct.ts's floor) per column. The
    length: `half` t1 points, else 128, 256 or 512 (1 : 2 : 1) for the whole batch."""
    if half is None:
        half = int(rng.choice([128, 256, 256, 512]))
    HALF, L = half, 2 * half
    t = np.arange(HALF)
    zk = np.zeros((batch, L), dtype=np.complex128)
    zt = np.zeros((batch, L), dtype=np.complex128)
    mask = np.zeros((batch, L), dtype=bool)
    sig = np.zeros(batch)
    for b in range(batch):
        a = np.zeros(HALF, dtype=np.complex128)
        bb = np.zeros(HALF, dtype=np.complex128)
        for w, tau, ca, cb in column_lines(rng, HALF):
            e = np.exp((1j * w - 1 / tau) * t)
            a += ca * e
            bb += cb * e
        # F1 phase slightly off now and then (a real acquisition's phase is known to a few degrees)
        if rng.random() < 0.3:
            p = np.exp(1j * rng.normal(0, 0.05))
            a, bb = a * p, bb * p
        n = rng.normal(size=(4, HALF))
        an = a + n[0] + 1j * n[1]
        bn = bb + n[2] + 1j * n[3]
        m = int(round(HALF * rng.uniform(*levels)))
        sched = schedule(rng, HALF, m)

        # virtual echo z(t) = a(t) + i b(t), z(-t) = conj(a(t)) + i conj(b(t)); t = 0: real parts only
        def echo(sa, sb):
            z = np.zeros(L, dtype=np.complex128)
            z[:HALF] = sa + 1j * sb
            z[L - HALF + 1:] = (np.conj(sa[1:]) + 1j * np.conj(sb[1:]))[::-1]
            z[0] = sa[0].real + 1j * sb[0].real
            return z
        zf = echo(an, bn)
        zt[b] = echo(a, bb)
        known = np.zeros(L, dtype=bool)
        known[sched] = True
        known[(L - sched[sched > 0]) % L] = True
        known[HALF] = True  # zero past the acquisition
        zk[b] = np.where(known, zf, 0)
        zk[b, HALF] = 0
        zt[b, HALF] = 0
        mask[b] = known
        sig[b] = 2 * np.sqrt(m)
    return zk, mask, zt, sig


class MaskNet(nn.Module):
    """Input (batch, 2, n): a real spectrum in units of its noise sigma, and the stage's threshold in the same units
    as a constant channel; output (batch, 1, n): the mask in (0, 1) each value is multiplied by. The soft threshold's
    own mask, max(0, 1 - threshold/|value|), is both a feature and the prior the network corrects (its logit is
    added to the network's): with the last layer at zero the network is IST."""

    def __init__(self, hidden=8, kernel=5, dilations=(1, 2, 4)):
        super().__init__()
        layers = []
        c = 4
        for d in dilations:
            layers += [nn.Conv1d(c, hidden, kernel, padding=d * (kernel // 2), dilation=d), nn.ReLU()]
            c = hidden
        last = nn.Conv1d(c, 1, kernel, padding=kernel // 2)
        nn.init.zeros_(last.weight)
        nn.init.zeros_(last.bias)
        layers += [last]
        self.body = nn.Sequential(*layers)

    def forward(self, x):
        s = x[:, :1]
        lam = x[:, 1:2]
        # asinh written out (the ONNX exporter of torch 1.13 has none)
        z = torch.sign(s) * torch.log(s.abs() + torch.sqrt(s * s + 1)) / 4
        zl = torch.log(lam + torch.sqrt(lam * lam + 1)) / 4
        r = s / (s.abs().amax(dim=2, keepdim=True) + 1e-6)
        m = torch.clamp(1 - lam / (s.abs() + 1e-6), 0, 1)
        prior = torch.log(m + 1e-6) - torch.log(1 - m + 1e-6)
        return torch.sigmoid(self.body(torch.cat([z, r, zl, m], 1)) + prior)


def thresholds(X, sig, stages, floor=3.0, final=2):
    """Per column and stage, the threshold in noise sigma: from just under the zero-filled spectrum's maximum down
    to `floor` geometrically in stages - final steps, then `final` stages at the floor (nusNetwork.ts does the
    same)."""
    top = torch.maximum(X.real.abs().amax(1), X.imag.abs().amax(1)) / sig
    f = torch.clamp((floor / torch.clamp(top, min=floor)) ** (1.0 / max(stages - final - 1, 1)), max=0.95)
    return [torch.clamp(top * f ** (k + 1), min=floor) for k in range(stages)]


def unrolled(net, zk, mask, sig, stages, keep_all=False):
    x = zk.clone()
    outs = []
    B, L = x.shape
    lams = thresholds(torch.fft.fft(x), sig, stages)
    sc = sig.repeat_interleave(2)[:, None, None]
    for k in range(stages):
        X = torch.fft.fft(x)
        S = torch.stack([X.real, X.imag], 1).reshape(2 * B, 1, L)
        lam = lams[k].repeat_interleave(2)[:, None, None].expand(2 * B, 1, L)
        g = net(torch.cat([S / sc, lam], 1))
        # a spectrum entirely under the threshold is zeroed without the network, as IST would (nusNetwork.ts skips it)
        g = torch.where(S.abs().amax(2, keepdim=True) / sc > lam[:, :, :1], g, torch.zeros_like(g))
        S = (g * S).reshape(B, 2, L)
        x = torch.fft.ifft(torch.complex(S[:, 0], S[:, 1]))
        x = torch.where(mask, zk, x)
        if keep_all:
            outs.append(x)
    return outs if keep_all else x


def ist(zk, mask, sig, floor=3.0, factor=0.9, final=10, max_it=400):
    """istColumn.ts's real-pair IST, batched (each column its own threshold schedule; a column that has reached its
    floor and done its final iterations keeps iterating at the floor, which only settles it further)."""
    x = zk.clone()
    X = torch.fft.fft(x)
    top = torch.maximum(X.real.abs().amax(1), X.imag.abs().amax(1))
    fl = floor * sig
    lam = torch.maximum(fl, top * factor)
    n = int(np.max(np.ceil(np.log(np.maximum(fl.numpy() / np.maximum(top.numpy(), 1e-9), 1e-9)) / np.log(factor)))) + final
    n = max(1, min(n, max_it))
    for _ in range(n):
        X = torch.fft.fft(x)
        re = torch.sign(X.real) * torch.clamp(X.real.abs() - lam[:, None], min=0)
        im = torch.sign(X.imag) * torch.clamp(X.imag.abs() - lam[:, None], min=0)
        x = torch.fft.ifft(torch.complex(re, im))
        x = torch.where(mask, zk, x)
        lam = torch.maximum(fl, lam * factor)
    # columns never above the floor: left as measured
    quiet = top <= fl
    x[quiet] = zk[quiet]
    return x


def rlne(x, zt, mask):
    """Per column: ||spectrum error|| / ||true spectrum|| (real parts: the two absorptive spectra)."""
    E = torch.fft.fft(x - zt)
    T = torch.fft.fft(zt)
    return torch.sqrt((E.real ** 2 + E.imag ** 2).sum(1) / ((T.real ** 2 + T.imag ** 2).sum(1) + 1e-9))


def loss_of(x, zt, mask, sig):
    """RLNE^2 at the unsampled points, plus the error there against the noise (log-compressed): the first alone
    does not see a 0.1 % error of a line at S/N 10^4, which is 10 sigma in the spectrum."""
    un = ~mask
    err = (x - zt).abs() ** 2 * un
    energy = (zt.abs() ** 2).sum(1) + 4 * zt.shape[1]  # + the noise energy: quiet columns do not blow up
    to_noise = err.sum(1) / (4 * un.sum(1))  # a virtual-echo value's noise variance is 4 sigma^2
    return (err.sum(1) / energy).mean() + 0.02 * torch.log1p(to_noise).mean()


def to_t(zk, mask, zt, sig):
    return (torch.from_numpy(zk).to(torch.complex64), torch.from_numpy(mask), torch.from_numpy(zt).to(torch.complex64),
            torch.from_numpy(sig).float())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="models")
    ap.add_argument("--id", default="lapis-nus1d")
    ap.add_argument("--steps", type=int, default=3500)
    ap.add_argument("--batch", type=int, default=48)
    ap.add_argument("--stages", type=int, default=10)
    ap.add_argument("--hidden", type=int, default=6)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--max-seconds", type=float, default=1500)
    ap.add_argument("--evaluate", type=int, default=256)
    ap.add_argument("--fixture", default="libs/inference/src/testing/fixtures/nus-parity.json")
    ap.add_argument("--fixture-only", metavar="MANIFEST",
                    help="no training: load this exported model and write its parity fixture")
    args = ap.parse_args()
    if args.fixture_only:
        print("wrote", write_parity_fixture(*load_exported(args.fixture_only), args.fixture))
        return
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(args.seed)
    net = MaskNet(hidden=args.hidden)
    opt = torch.optim.Adam(net.parameters(), lr=args.lr)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=args.steps)
    val = {lv: to_t(*simulate(np.random.default_rng(10_000 + int(lv * 100)), args.evaluate, (lv, lv), 256))
           for lv in (0.1, 0.25, 0.5)}
    base = {lv: rlne(ist(*[v[0], v[1], v[3]]), v[2], v[1]) for lv, v in val.items()}
    start = time.time()
    step = 0
    for step in range(args.steps):
        zk, mask, zt, sig = to_t(*simulate(rng, args.batch))
        outs = unrolled(net, zk, mask, sig, args.stages, keep_all=True)
        loss = sum((0.3 if i < len(outs) - 1 else 1.0) * loss_of(o, zt, mask, sig) for i, o in enumerate(outs[1:], 1))
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
        sched.step()
        last = step == args.steps - 1 or time.time() - start > args.max_seconds
        if step % 250 == 0 or last:
            with torch.no_grad():
                parts = []
                for lv, v in val.items():
                    r = rlne(unrolled(net, v[0], v[1], v[3], args.stages), v[2], v[1])
                    parts.append(f"{int(lv * 100)}%: net {r.median():.3f} ist {base[lv].median():.3f}")
            print(f"step {step} loss {loss.item():.4f} | " + " | ".join(parts) + f" ({time.time() - start:.0f} s)",
                  flush=True)
        if last:
            break
    path = export_spectrum_model(
        net, L, args.out, args.id, "nus-mask-1d",
        {"shape": ["batch", 2, "points"], "dtype": "float32",
         "units": "channel 0: a real F1 spectrum (virtual echo) / its noise sigma; channel 1: the threshold / the noise sigma"},
        {"shape": ["batch", 1, "points"], "dtype": "float32", "units": "mask, 0-1, to multiply the spectrum by"},
        {"script": "tools/training/nus/train_nus.py", "steps": step + 1, "batch": args.batch, "stages": args.stages, "hidden": args.hidden,
         "seed": args.seed, "simulated": True, "t1Points": [128, 256, 512], "seconds": round(time.time() - start)},
        channels=2,
    )
    print("wrote", path)
    fixture = write_parity_fixture(net, args.stages, args.fixture)
    print("wrote", fixture)


def load_exported(manifest_path):
    """The MaskNet of an exported model (its ONNX initializers keep the parameter names) and its stage count."""
    import json
    import onnx
    from onnx import numpy_helper
    manifest = json.load(open(manifest_path))
    net = MaskNet(hidden=manifest["training"].get("hidden", 8))
    model = onnx.load(os.path.join(os.path.dirname(manifest_path), manifest["file"]))
    weights = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in model.graph.initializer}
    net.load_state_dict({k: weights[k] for k in net.state_dict()})
    return net, manifest["training"]["stages"]


def write_parity_fixture(net, stages, path):
    """Four simulated columns at 25 % (seeded), their known values and this network's reconstruction, for the
    TypeScript loop's parity test (libs/inference nusNetwork.parity.test.ts): the same model must give the same
    signal there to float32 precision."""
    import json
    zk, mask, zt, sig = simulate(np.random.default_rng(5), 4, (0.25, 0.25), 256)
    tk, tm, _, ts = to_t(zk, mask, zt, sig)
    with torch.no_grad():
        x = unrolled(net.eval(), tk, tm, ts, stages).numpy().astype(np.complex128)
    r6 = lambda v: [float(f"{u:.7g}") for u in v]  # noqa: E731
    cases = [{"known": [int(k) for k in np.where(mask[b])[0]], "sigma": float(sig[b]),
              "zRe": r6(zk[b].real), "zIm": r6(zk[b].imag), "xRe": r6(x[b].real), "xIm": r6(x[b].imag)}
             for b in range(len(zk))]
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump({"model": "lapis-nus1d", "stages": stages, "cases": cases}, f)
        f.write("\n")
    return path


if __name__ == "__main__":
    main()
