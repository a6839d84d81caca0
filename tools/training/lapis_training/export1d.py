"""
Export of a 1D spectrum network (the denoiser, the peak picker): ONNX opset 13 with a dynamic batch and length,
and its `lapis-model/1` manifest beside it (sha256 and size of the file, parameter count, what the caller says of
its task, input, output and training), as libs/inference's spectrumModel.ts loads them.
"""
import hashlib
import json
import os

import torch


def export_spectrum_model(net, points, out, model_id, task, input_meta, output_meta, training, channels=1):
    """Writes OUT/MODEL_ID.onnx (traced on one stretch of `points`) and OUT/MODEL_ID.json; returns the ONNX path."""
    net.eval()
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, model_id + ".onnx")
    torch.onnx.export(
        net, torch.zeros(1, channels, points), path, input_names=["input"], output_names=["output"], opset_version=13,
        dynamic_axes={"input": {0: "batch", 2: "points"}, "output": {0: "batch", 2: "points"}},
    )
    data = open(path, "rb").read()
    manifest = {
        "format": "lapis-model/1",
        "id": model_id,
        "file": os.path.basename(path),
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
        "parameters": sum(p.numel() for p in net.parameters()),
        "task": task,
        "input": {"name": "input", **input_meta},
        "output": {"name": "output", **output_meta},
        "training": training,
    }
    with open(os.path.join(out, model_id + ".json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    return path
