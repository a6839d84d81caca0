"""
Two tiny ONNX models with exactly known behaviour, for libs/inference's tests of the safety net (committed under
libs/inference/src/testing/fixtures with their manifests; regenerate with
/usr/bin/python3 tools/training/make_test_models.py):
  identity  returns the input map itself — its re-simulated χ² equals the classical fit's, so it must be accepted;
  shifted   returns the map moved 12 cells along both axes — a map that cannot explain the data: it must be refused.
and two for the input channels a manifest selects (prepareInput / inputChannels):
  snr3      a 3-channel model of the first format (no input.features): map · snr / mean(snr) = the map itself;
  alpha4    input [map, mask, map-alpha/300, snr] (input.features): returns channel 2, the re-solved small-α map.
`make_test_models.py NAME…` rewrites only those (the committed fixtures keep their hashes).
"""
import hashlib
import json
import os

import torch
from torch import nn

G = 64
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "libs", "inference", "src", "testing", "fixtures")


class Identity(nn.Module):
    def forward(self, x):
        return x[:, 0] * 1.0


class Shifted(nn.Module):
    def forward(self, x):
        return torch.roll(x[:, 0], shifts=(12, 12), dims=(1, 2))


class Snr3(nn.Module):
    def forward(self, x):
        return x[:, 0] * x[:, 2] / x[:, 2].mean(dim=(1, 2), keepdim=True)


class Alpha4(nn.Module):
    def forward(self, x):
        return x[:, 2] * 1.0


ALPHA4 = [{"kind": "map"}, {"kind": "mask"}, {"kind": "map-alpha", "alphaDivisor": 300}, {"kind": "snr"}]


def export(model, name, what, channels=2, features=None):
    path = os.path.join(OUT, name + ".onnx")
    torch.onnx.export(model, torch.ones(1, channels, G, G), path, opset_version=17, input_names=["input"],
                      output_names=["map"], dynamic_axes={"input": {0: "batch"}, "map": {0: "batch"}})
    blob = open(path, "rb").read()
    manifest = {
        "format": "lapis-model/1", "id": name, "file": name + ".onnx",
        "sha256": hashlib.sha256(blob).hexdigest(), "bytes": len(blob), "parameters": 0, "task": "refine-2d",
        "experiments": ["T1-T2", "D-T2"], "kernels": [["T1-IR", "T2"], ["T1-SR", "T2"], ["D", "T2"]],
        "prior": "tikhonov",
        "input": {"name": "input", "shape": ["batch", channels, G, G], "normalisation": "unit sum",
                  **({"features": features} if features else {})},
        "output": {"name": "map", "shape": ["batch", G, G], "normalisation": "unit sum", "grid": {"points": G}},
        "training": {"recipe": "none: " + what}, "metrics": {},
    }
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    print(path, len(blob), "bytes")


if __name__ == "__main__":
    import sys
    os.makedirs(OUT, exist_ok=True)
    models = {
        "test-identity": lambda: export(Identity(), "test-identity", "returns the input map"),
        "test-shifted": lambda: export(Shifted(), "test-shifted", "returns the input map rolled by 12 cells on both axes"),
        "test-snr3": lambda: export(Snr3(), "test-snr3", "3 channels (map, mask, snr): returns the map", 3),
        "test-alpha4": lambda: export(Alpha4(), "test-alpha4", "4 channels: returns channel 2 (map-alpha/300)", 4, ALPHA4),
    }
    for name in sys.argv[1:] or models:
        models[name]()
