/**
 * `lapis demo`: inverts the bundled examples (examples/, simulated with libs/physics and written in the open
 * `lapis-acquisition/1` layout by tools/examples/generate.ts) and prints each peak table beside the populations the
 * example was made from — a first look at Lapis with nothing to install or configure. `npm start` starts the whole stack instead (`lapis stack`); this is the quick offline look.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from '../appDir';
import type { Command } from './command';
import { getCommand } from './command';
import { DEMO_HELP, DEMO_SUMMARY } from './demoHelp';

const examplesDir = resolve(REPO_ROOT, 'examples');

interface Truth {
  description: string;
  snr: number;
  populations: { label: string; position: number[]; fraction: number }[];
}

export const demoCommand: Command = {
  name: 'demo',
  summary: DEMO_SUMMARY,
  help: DEMO_HELP,
  async run(argv, io) {
    if (argv.includes('--help') || argv.includes('-h')) {
      io.stdout(DEMO_HELP);
      return 0;
    }
    const dir = argv[0] ? resolve(io.cwd, argv[0]) : examplesDir;
    if (!existsSync(dir)) {
      io.stderr(`lapis demo: ${dir}: no such directory\n`);
      return 2;
    }
    const entries = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'acquisition.json')))
      .map((e) => e.name)
      .sort();
    if (entries.length === 0) {
      io.stderr(`lapis demo: ${dir}: no lapis-acquisition/1 folders found\n`);
      return 2;
    }
    const invert = await getCommand('invert')!.load();
    let worst = 0;
    for (const name of entries) {
      const path = join(dir, name);
      const truthFile = join(path, 'truth.json');
      const truth = existsSync(truthFile) ? (JSON.parse(readFileSync(truthFile, 'utf8')) as Truth) : undefined;
      io.stdout(`\n━━ ${name}${truth ? ` — ${truth.description}` : ''}\n`);
      const code = await invert.run([path], io);
      worst = Math.max(worst, code);
      if (truth) {
        io.stdout(`simulated from (SNR ${truth.snr}):\n`);
        for (const p of truth.populations) {
          io.stdout(
            `      ${p.label.padEnd(22)} ${p.position
              .map((v) => v.toPrecision(3))
              .join(' / ')
              .padEnd(22)} fraction ${p.fraction.toFixed(2)}\n`,
          );
        }
      }
    }
    io.stdout(
      `\n${entries.length} examples inverted. Invert your own data: npx lapis invert PATH [--out result.json]\n`,
    );
    return worst;
  },
};
