# syntax=docker/dockerfile:1
# The Lapis dashboard (Next.js standalone output), for PostgreSQL (DATABASE_URL). Build from the repository root:
#   docker build -f docker/dashboard.Dockerfile -t lapis-dashboard:0.1.0 .
# The MQTT ingest runs inside this server process (see docs/dashboard.md). Runs as the unprivileged `node` user.
# Needs next.config.ts to set `output: 'standalone'` when LAPIS_NEXT_OUTPUT=standalone (see docs/deploy.md).
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1 \
    LAPIS_NEXT_OUTPUT=standalone
RUN npm ci --ignore-scripts \
 && npm run build -w @lapis/dashboard \
 && test -f apps/dashboard/.next/standalone/apps/dashboard/server.js

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0 \
    LAPIS_DASHBOARD_MIGRATIONS=/app/apps/dashboard/drizzle
WORKDIR /app
# The standalone server (with the traced node_modules), its static assets and the migration folder it applies at start.
COPY --from=build /app/apps/dashboard/.next/standalone ./
COPY --from=build /app/apps/dashboard/.next/static ./apps/dashboard/.next/static
COPY --from=build /app/apps/dashboard/drizzle ./apps/dashboard/drizzle
# Only used without DATABASE_URL (PGlite); kept writable for the runtime user.
RUN mkdir -p /var/lib/lapis-dashboard && chown node:node /var/lib/lapis-dashboard
ENV LAPIS_DASHBOARD_DB_DIR=/var/lib/lapis-dashboard/db
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/trpc/fleet.list').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "apps/dashboard/server.js"]
