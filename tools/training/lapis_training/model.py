"""
The refinement network: it sharpens the fast classical (Tikhonov) map instead of inverting the data from scratch.

Input  [N, C, 64, 64]: channel 0 the Tikhonov map clipped at 0 and normalised to unit sum; channel 1 the mask of grid
       cells inside the range the acquisition constrains (autoGrid's `sensitive`) on both axes; with C = 3, channel 2
       the constant log10(SNR)/4, SNR = map total / the classical solver's noise σ (how much the classical map is
       blurred depends on it, and the map alone does not say). Any channel layout: `kinds` lists them as the manifest's
       input.features do (map, mask, snr, map-alpha); a `map-alpha` channel (the Tikhonov map re-solved at a smaller
       α, unit sum) enters like channel 0, scaled by its peak and as a normalised log.
Output [N, 64, 64]: a map with unit sum (softmax over all cells); the caller multiplies it by the classical map's total.

logits = log(map + eps) + g(features): the last layer starts at zero, so an untrained network returns the Tikhonov
map, and training only learns a correction — which is what makes CPU-sized training reach anything at all.
Why one model for T1–T2 (IR, SR) and D–T2: the input already lives on the distribution grid, where what differs
between kernels is only the shape of the classical blur; the mask channel says where the data constrain the map.
"""
import torch
from torch import nn

EPS = 1e-6


def default_kinds(channels):
    if channels == 2:
        return ["map", "mask"]
    if channels == 3:
        return ["map", "mask", "snr"]
    raise ValueError(f"{channels} input channels need their kinds listed")


def log_feature(m):
    prior = torch.log(m + EPS)
    return (prior - prior.flatten(1).amax(dim=1)[:, None, None, None]) / 10


def peak_scaled(m):
    return m / m.flatten(1).amax(dim=1).clamp_min(1e-12)[:, None, None, None]


class RefineNet(nn.Module):
    def __init__(self, width=32, dilations=(1, 2, 4, 8, 4, 2, 1), channels=2, kinds=None):
        super().__init__()
        self.channels = channels
        self.kinds = list(kinds) if kinds is not None else default_kinds(channels)
        if len(self.kinds) != channels or self.kinds[:2] != ["map", "mask"]:
            raise ValueError(f"channels must start with map, mask and number {channels}: {self.kinds}")
        features = 3 + sum(2 if k == "map-alpha" else 1 for k in self.kinds[2:])
        layers = [nn.Conv2d(features, width, 3, padding=1), nn.GELU()]
        for d in dilations:
            layers += [nn.Conv2d(width, width, 3, padding=d, dilation=d), nn.GELU()]
        self.body = nn.Sequential(*layers)
        self.head = nn.Conv2d(width, 1, 3, padding=1)
        nn.init.zeros_(self.head.weight)
        nn.init.zeros_(self.head.bias)

    def forward(self, x):
        m = x[:, 0:1]
        mask = x[:, 1:2]
        prior = torch.log(m + EPS)
        feats = [peak_scaled(m), mask, log_feature(m)]
        for c, kind in enumerate(self.kinds[2:], start=2):
            if kind == "map-alpha":
                feats += [peak_scaled(x[:, c : c + 1]), log_feature(x[:, c : c + 1])]
            else:
                feats.append(x[:, c : c + 1])
        feats = torch.cat(feats, dim=1)
        logits = prior + self.head(self.body(feats))
        n = x.shape[0]
        return torch.softmax(logits.reshape(n, -1), dim=1).reshape(n, x.shape[2], x.shape[3])
