# syntax=docker/dockerfile:1
# The Lapis agent (`lapis agent`), CPU. Build from the repository root:
#   docker build -f docker/agent.Dockerfile -t lapis-agent:0.1.0 .
# The `lapis` command runs the JavaScript that apps/agent/scripts/build.mjs bundles (stage `build`, with the dev
# dependencies), beside the production dependencies of the agent and its libraries. Runs as the unprivileged `node`
# user (uid 1000).
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY . .
# esbuild's binary comes with its platform package; no install script is needed to bundle.
RUN npm ci --ignore-scripts --no-audit --no-fund && node apps/agent/scripts/build.mjs

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# Compilers only for better-sqlite3 when no prebuilt binary matches the platform; they stay in this stage.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY . .
# --ignore-scripts: install scripts run only where named (the repository's allowScripts policy): better-sqlite3's
# native binary. onnxruntime-node's bundled CPU binaries need no script.
RUN npm ci --omit=dev --ignore-scripts --workspace @lapis/agent --workspace @lapis/inference \
 && npm rebuild better-sqlite3 \
 && npm cache clean --force
# Built after the sources were copied, so bin/lapis.js finds it current (newer than every source it read).
COPY --from=build /app/apps/agent/dist apps/agent/dist

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    LAPIS_EXECUTION_PROVIDERS=cpu
WORKDIR /app
COPY --from=deps /app /app
# State (outbox, processed keys) lives in a volume owned by the runtime user; the configuration is mounted read-only.
RUN mkdir -p /var/lib/lapis-agent /etc/lapis /data/acquisitions \
 && chown node:node /var/lib/lapis-agent
USER node
VOLUME ["/var/lib/lapis-agent"]
# /healthz on http.host:http.port of the configuration (default 127.0.0.1:9464); 503 when the outbox is full.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9464/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "/app/apps/agent/bin/lapis.js"]
CMD ["agent", "--config", "/etc/lapis/agent.yaml"]
