/** Version of the lapis command (from apps/agent/package.json), for --version and result provenance. */
import { readFileSync } from 'node:fs';

export const LAPIS_SOFTWARE = 'lapis';

export const LAPIS_VERSION: string = (() => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
})();
