/** Version of the lapis command (from apps/agent/package.json), for --version and result provenance. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_DIR } from './appDir';

export const LAPIS_SOFTWARE = 'lapis';

export const LAPIS_VERSION: string = (() => {
  const pkg = JSON.parse(readFileSync(join(APP_DIR, 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
})();
