# syntax=docker/dockerfile:1
# The Lapis agent with onnxruntime-node's CUDA execution provider, for the learned inversion (libs/inference) on an
# NVIDIA GPU. Build from the repository root:
#   docker build -f docker/agent-cuda.Dockerfile -t lapis-agent:0.1.0-cuda .
# Run with the NVIDIA Container Toolkit: docker run --gpus all … (compose: deploy.resources.reservations.devices).
#
# Where the CUDA binaries come from: onnxruntime-node bundles only its CPU binaries in the npm package; its install
# script downloads the CUDA provider (libonnxruntime_providers_cuda.so, …_shared.so) from Microsoft's NuGet feed.
# This repository never runs that script on `npm install` (allowScripts: onnxruntime-node false, i.e.
# ONNXRUNTIME_NODE_INSTALL skipped), so this image runs it explicitly, once, at build time, with
# ONNXRUNTIME_NODE_INSTALL=cuda12 — the build needs network access to api.nuget.org. The CUDA runtime and cuDNN 9
# the provider links against come from the nvidia/cuda base image; the driver comes from the host.
ARG NODE_IMAGE=node:20.20.2-bookworm-slim
ARG CUDA_IMAGE=nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04

# The built `lapis` command (apps/agent/scripts/build.mjs), made with the dev dependencies; see agent.Dockerfile.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY . .
RUN npm ci --ignore-scripts --no-audit --no-fund && node apps/agent/scripts/build.mjs

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY . .
RUN npm ci --omit=dev --ignore-scripts --workspace @lapis/agent --workspace @lapis/inference \
 && npm rebuild better-sqlite3 \
 && ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install.js \
 && ls node_modules/onnxruntime-node/bin/napi-v*/linux/x64/ | grep -q providers_cuda \
 && npm cache clean --force
# Built after the sources were copied, so bin/lapis.js finds it current (newer than every source it read).
COPY --from=build /app/apps/agent/dist apps/agent/dist

FROM ${NODE_IMAGE} AS node

FROM ${CUDA_IMAGE}
# Node from the official image (same glibc family; Ubuntu 24.04's is newer than bookworm's).
COPY --from=node /usr/local/bin/node /usr/local/bin/node
ENV NODE_ENV=production \
    LAPIS_EXECUTION_PROVIDERS=cuda,cpu \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility
WORKDIR /app
COPY --from=deps /app /app
RUN groupadd --gid 10001 lapis && useradd --uid 10001 --gid lapis --no-create-home --shell /usr/sbin/nologin lapis \
 && mkdir -p /var/lib/lapis-agent /etc/lapis /data/acquisitions \
 && chown lapis:lapis /var/lib/lapis-agent
USER lapis
VOLUME ["/var/lib/lapis-agent"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9464/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "/app/apps/agent/bin/lapis.js"]
CMD ["agent", "--config", "/etc/lapis/agent.yaml"]
