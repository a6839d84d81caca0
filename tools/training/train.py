"""
Train the refinement network on pairs from generate.ts, export ONNX (opset 17) and write its manifest.

  /usr/bin/python3 tools/training/train.py --data DIR --train train1,train2 --val val --out models --id NAME
      [--epochs 20] [--batch 32] [--lr 2e-3] [--physics 0.1] [--target cell] [--seed 0] [--threads 1] [--max-seconds 480]

Loss = KL(truth ‖ prediction)
     + physics · mean over samples of log χ²: χ² = ‖c·A1·F·A2ᵀ − D̃‖² / (σ² · r1·r2), the re-simulated data residual
       in the compressed space of each sample's own kernels, in units of the noise (≈ 1 for a map that explains the
       data), with the amplitude c fitted by least squares — as invertDl does at inference (the classical map's total
       is ~1 % off the true amplitude, which at SNR 1000 alone is a χ² of tens).
Targets (--target cell, default): each true population's mass integrated over the grid cells (erf differences of
its log-normal), the discretisation that reproduces the data (χ² ≈ 1 on the validation set). The generator's
point-sampled, half-step-blurred map (--target blurred) is ~5 % wider for narrow peaks and fits the data worse
(median χ² 1.18 against 1.07, 90th percentile 8 against 1.8).
"""
import argparse
import hashlib
import json
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lapis_training.model import RefineNet  # noqa: E402

G = 64


def load(data_dir, names):
    """Records of generate.ts; the header's `channels` (absent in old data: map, mask) says the input layout."""
    parts = []
    meta = []
    channels = None
    for name in names:
        with open(os.path.join(data_dir, name + ".json")) as f:
            head = json.load(f)
        these = head.get("channels", [{"kind": "map"}, {"kind": "mask"}])
        if channels is not None and these != channels:
            raise ValueError(f"{name}: input channels {these} differ from the other parts' {channels}")
        channels = these
        raw = np.fromfile(os.path.join(data_dir, name + ".f32"), dtype=np.float32)
        per = head["sampleFloats"]
        n = raw.size // per
        parts.append(raw[: n * per].reshape(n, per))
        meta += head["samples"][:n]
        rank = head["rank"]
    arr = np.concatenate(parts)
    C = len(channels)
    o = 0
    x = arr[:, o : o + C * G * G].reshape(-1, C, G, G); o += C * G * G
    y = arr[:, o : o + G * G].reshape(-1, G, G); o += G * G
    a1 = arr[:, o : o + rank * G].reshape(-1, rank, G); o += rank * G
    a2 = arr[:, o : o + rank * G].reshape(-1, rank, G); o += rank * G
    dc = arr[:, o : o + rank * rank].reshape(-1, rank, rank); o += rank * rank
    sigma = arr[:, o]; r1 = arr[:, o + 1]; r2 = arr[:, o + 2]
    t = lambda v: torch.from_numpy(np.ascontiguousarray(v))
    return dict(x=t(x), y=t(y), a1=t(a1), a2=t(a2), dc=t(dc), sigma=t(sigma), dof=t(r1 * r2)), meta, channels


def cell_targets(meta, blur=0.0):
    """Per sample: each population's mass per grid cell (log-normal integrated over the cell), unit sum."""
    out = np.zeros((len(meta), G, G), dtype=np.float64)
    for s, m in enumerate(meta):
        logs = [np.linspace(np.log10(a), np.log10(b), G) for a, b in m["axes"]]
        total = sum(p["fraction"] for p in m["peaks"])
        for p in m["peaks"]:
            g = []
            for k in range(2):
                step = logs[k][1] - logs[k][0]
                mu = np.log10(p["position"][k])
                sd = np.hypot(p["width"][k], blur * step)
                edges = torch.from_numpy(np.append(logs[k] - step / 2, logs[k][-1] + step / 2))
                cdf = 0.5 * (1 + torch.special.erf((edges - mu) / (sd * np.sqrt(2)))).numpy()
                v = np.diff(cdf)
                g.append(v / max(v.sum(), 1e-300))
            out[s] += p["fraction"] / total * np.outer(g[0], g[1])
        out[s] /= out[s].sum()
    return torch.from_numpy(out.astype(np.float32))


def describe(feature):
    kind = feature["kind"]
    if kind == "map":
        return "classical Tikhonov map on the invert() 64x64 automatic log grid, clipped at 0, divided by its sum"
    if kind == "mask":
        return "1 where both axes lie inside the sensitive range of the acquisition, else 0"
    if kind == "snr":
        return "constant log10(SNR)/4, SNR = classical map total / the classical solver's noise sigma"
    if kind == "map-alpha":
        return (f"Tikhonov map re-solved on the same grid at alpha = discrepancy alpha / {feature['alphaDivisor']:g}"
                " (same beta and sigma), clipped at 0, divided by its own sum")
    raise ValueError(f"unknown input channel {feature}")


def kl(y, p):
    return (y * (torch.log(y + 1e-12) - torch.log(p + 1e-12))).flatten(1).sum(1)


def chi(b, p):
    ap = torch.einsum("nri,nij,nsj->nrs", b["a1"], p, b["a2"])
    c = (ap * b["dc"]).flatten(1).sum(1) / (ap * ap).flatten(1).sum(1).clamp_min(1e-30)
    r = c[:, None, None] * ap - b["dc"]
    return (r ** 2).flatten(1).sum(1) / (b["sigma"] ** 2 * b["dof"]).clamp_min(1e-30)


def batch(d, idx):
    return {k: v[idx] for k, v in d.items()}


def evaluate(model, d, physics):
    model.eval()
    with torch.no_grad():
        out = {"kl": [], "kl_tik": [], "chi": [], "chi_tik": []}
        for s in range(0, d["x"].shape[0], 64):
            b = batch(d, slice(s, s + 64))
            p = model(b["x"])
            tik = b["x"][:, 0]
            out["kl"].append(kl(b["y"], p)); out["kl_tik"].append(kl(b["y"], tik))
            out["chi"].append(chi(b, p)); out["chi_tik"].append(chi(b, tik))
    model.train()
    r = {k: torch.cat(v) for k, v in out.items()}
    return {
        "klMean": float(r["kl"].mean()), "klMeanTikhonov": float(r["kl_tik"].mean()),
        "chiMedian": float(r["chi"].median()), "chiMedianTikhonov": float(r["chi_tik"].median()),
        "chiQ90": float(r["chi"].quantile(0.9)), "chiQ90Tikhonov": float(r["chi_tik"].quantile(0.9)),
        "loss": float((r["kl"] + physics * torch.log(r["chi"])).mean()),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--train", default="train")
    ap.add_argument("--val", default="val")
    ap.add_argument("--out", default="models")
    ap.add_argument("--id", default="lapis-refine2d")
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--physics", type=float, default=0.1)
    ap.add_argument("--target", choices=["cell", "blurred"], default="cell")
    ap.add_argument("--snr-channel", action="store_true", help="third input channel: log10(total/σ)/4")
    ap.add_argument("--width", type=int, default=32)
    ap.add_argument("--dilations", default="1,2,4,8,4,2,1", help="dilations of the 3×3 body convolutions")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--max-seconds", type=float, default=480)
    ap.add_argument("--recipe", default="")
    ap.add_argument("--device", default="auto", help="auto (cuda when available), cpu or cuda")
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    torch.set_num_threads(args.threads)
    device = torch.device("cuda" if args.device == "auto" and torch.cuda.is_available() else args.device if args.device != "auto" else "cpu")
    t0 = time.time()
    train, train_meta, features = load(args.data, args.train.split(","))
    val, val_meta, val_features = load(args.data, args.val.split(","))
    if val_features != features:
        raise ValueError(f"validation channels {val_features} differ from the training channels {features}")
    kinds = [f["kind"] for f in features]
    if args.snr_channel and "snr" not in kinds:
        features = features + [{"kind": "snr"}]
        kinds.append("snr")
        for d in (train, val):
            feat = torch.log10(1 / d["sigma"].clamp_min(1e-12)) / 4
            d["x"] = torch.cat([d["x"], feat[:, None, None, None].expand(-1, 1, G, G)], dim=1)
    channels = len(kinds)
    if args.target == "cell":
        train["y"] = cell_targets(train_meta)
        val["y"] = cell_targets(val_meta)
    train = {k: v.to(device) for k, v in train.items()}
    val = {k: v.to(device) for k, v in val.items()}
    n = train["x"].shape[0]
    dilations = tuple(int(v) for v in args.dilations.split(","))
    model = RefineNet(width=args.width, dilations=dilations, channels=channels, kinds=kinds).to(device)
    params = sum(p.numel() for p in model.parameters())
    print(f"{n} training pairs, {val['x'].shape[0]} validation; {params} parameters", flush=True)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    steps = args.epochs * ((n + args.batch - 1) // args.batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=max(steps, 1))
    history = []
    step = 0
    stopped = False
    for epoch in range(args.epochs):
        perm = torch.randperm(n, device=device)
        for s in range(0, n, args.batch):
            b = batch(train, perm[s : s + args.batch])
            p = model(b["x"])
            loss = (kl(b["y"], p) + args.physics * torch.log(chi(b, p))).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            if time.time() - t0 > args.max_seconds:
                stopped = True
                break
        ev = evaluate(model, val, args.physics)
        ev.update(epoch=epoch + 1, seconds=round(time.time() - t0, 1))
        history.append(ev)
        print(json.dumps(ev), flush=True)
        if stopped:
            print(f"stopped at the time limit ({args.max_seconds} s)", flush=True)
            break
    train_seconds = time.time() - t0

    os.makedirs(args.out, exist_ok=True)
    onnx_path = os.path.join(args.out, args.id + ".onnx")
    model.eval()
    model = model.cpu()
    torch.onnx.export(
        model, torch.zeros(1, channels, G, G), onnx_path, opset_version=17,
        input_names=["input"], output_names=["map"],
        dynamic_axes={"input": {0: "batch"}, "map": {0: "batch"}},
    )
    blob = open(onnx_path, "rb").read()
    with open(os.path.join(args.data, args.train.split(",")[0] + ".json")) as f:
        head = json.load(f)
    gen_seed = head["seed"]
    # what the training data covered: from the first shard that records it (shards written before generate.ts
    # recorded it have none; every shard comes from the same design)
    domain = None
    for name in args.train.split(","):
        with open(os.path.join(args.data, name + ".json")) as f:
            domain = json.load(f).get("domain")
        if domain:
            break
    manifest = {
        "format": "lapis-model/1",
        "id": args.id,
        "file": os.path.basename(onnx_path),
        "sha256": hashlib.sha256(blob).hexdigest(),
        "bytes": len(blob),
        "parameters": params,
        "task": "refine-2d",
        "experiments": ["T1-T2", "D-T2"],
        "kernels": [["T1-IR", "T2"], ["T1-SR", "T2"], ["D", "T2"]],
        "prior": "tikhonov",
        "input": {
            "name": "input", "shape": ["batch", channels, G, G], "dtype": "float32",
            "channels": [describe(f) for f in features],
            **({"features": features} if kinds not in (["map", "mask"], ["map", "mask", "snr"]) else {}),
            "normalisation": "unit sum (the map total is divided out and multiplied back); no per-sample scale factor",
        },
        "output": {
            "name": "map", "shape": ["batch", G, G], "dtype": "float32",
            "grid": {"points": G, "spacing": "log10, invert() autoGrid ranges (rows: first axis, columns: T2)"},
            "normalisation": "unit sum; multiply by the classical map's total, then refit that amplitude to the data by least squares (invertDl)",
        },
        "training": {
            "recipe": args.recipe or " ".join(sys.argv[1:]),
            "seed": args.seed, "dataSeed": gen_seed, "samples": int(n), "validationSamples": int(val["x"].shape[0]),
            "epochs": len(history), "steps": step, "batch": args.batch, "lr": args.lr, "physicsWeight": args.physics, "target": args.target, "width": args.width,
            "dilations": list(dilations),
            "seconds": round(train_seconds, 1), "device": str(device), "threads": args.threads,
            "torch": torch.__version__, "opset": 17,
        },
        "metrics": {"validation": history[-1] if history else {}},
        # what the training data covered (generate.ts), for invertDl's out-of-domain warning
        **({"domain": domain} if domain else {}),
    }
    with open(os.path.join(args.out, args.id + ".json"), "w") as f:
        json.dump(manifest, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {onnx_path} ({len(blob)} bytes) and its manifest in {train_seconds:.1f} s", flush=True)


if __name__ == "__main__":
    main()
