// Next.js config. The workspace libraries are TypeScript sources (no build step), so Next transpiles them;
// database and MQTT drivers stay outside the bundle (PGlite loads its WASM and data files from its package).
import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';
import { STATIC_SECURITY_HEADERS } from './src/server/http/securityHeaders';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

const config: NextConfig = {
  transpilePackages: ['@lapis/contracts', '@lapis/physics'],
  serverExternalPackages: ['@electric-sql/pglite', 'pg', 'mqtt', 'aedes', '@node-rs/argon2'],
  // forbidden() for a signed-in person whose role is too low (server/auth/pageGuard.ts).
  experimental: { authInterrupts: true },
  outputFileTracingRoot: repoRoot,
  turbopack: { root: repoRoot },
  // A second server on the same checkout (the end-to-end test beside a developer's `next dev`) needs its own.
  distDir: process.env.LAPIS_NEXT_DIST_DIR ?? '.next',
  // `next build` with LAPIS_NEXT_OUTPUT=standalone produces the self-contained server the Docker image runs.
  ...(process.env.LAPIS_NEXT_OUTPUT === 'standalone' ? { output: 'standalone' as const } : {}),
  poweredByHeader: false,
  devIndicators: false,
  // The security headers that do not depend on the request, on every response; src/proxy.ts sets them too, with
  // the per-request CSP and the Host check, so a response is covered even where one of the two does not run.
  headers: async () => [
    { source: '/:path*', headers: Object.entries(STATIC_SECURITY_HEADERS).map(([key, value]) => ({ key, value })) },
  ],
};

export default config;
