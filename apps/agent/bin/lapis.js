#!/usr/bin/env node
// The `lapis` command. Lapis runs its TypeScript sources directly (no build step): register tsx's ESM loader,
// then hand over to src/main.ts.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
