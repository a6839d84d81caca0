"""
The refinement network: it sharpens the fast classical (Tikhonov) map instead of inverting the data from scratch.

Input  [N, C, 64, 64]: channel 0 the Tikhonov map clipped at 0 and normalised to unit sum; channel 1 the mask of grid
       cells inside the range the acquisition constrains (autoGrid's `sensitive`) on both axes; with C = 3, channel 2
       the constant log10(SNR)/4, SNR = map total / the classical solver's noise σ (how much the classical map is
       blurred depends on it, and the map alone does not say).
Output [N, 64, 64]: a map with unit sum (softmax over all cells); the caller multiplies it by the classical map's total.

logits = log(map + eps) + g(features): the last layer starts at zero, so an untrained network returns the Tikhonov
map, and training only learns a correction — which is what makes CPU-sized training reach anything at all.
Why one model for T1–T2 (IR, SR) and D–T2: the input already lives on the distribution grid, where what differs
between kernels is only the shape of the classical blur; the mask channel says where the data constrain the map.
"""
import torch
from torch import nn

EPS = 1e-6


class RefineNet(nn.Module):
    def __init__(self, width=32, dilations=(1, 2, 4, 8, 4, 2, 1), channels=2):
        super().__init__()
        self.channels = channels
        layers = [nn.Conv2d(channels + 1, width, 3, padding=1), nn.GELU()]
        for d in dilations:
            layers += [nn.Conv2d(width, width, 3, padding=d, dilation=d), nn.GELU()]
        self.body = nn.Sequential(*layers)
        self.head = nn.Conv2d(width, 1, 3, padding=1)
        nn.init.zeros_(self.head.weight)
        nn.init.zeros_(self.head.bias)

    def forward(self, x):
        m = x[:, 0:1]
        mask = x[:, 1:2]
        peak = m.flatten(1).amax(dim=1).clamp_min(1e-12)[:, None, None, None]
        scaled = m / peak
        prior = torch.log(m + EPS)
        feats = [scaled, mask, (prior - prior.flatten(1).amax(dim=1)[:, None, None, None]) / 10]
        if self.channels > 2:
            feats.append(x[:, 2:3])
        feats = torch.cat(feats, dim=1)
        logits = prior + self.head(self.body(feats))
        n = x.shape[0]
        return torch.softmax(logits.reshape(n, -1), dim=1).reshape(n, x.shape[2], x.shape[3])
