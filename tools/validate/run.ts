/**
 * `npm run validate` — Lapis on real public data against reference answers (tools/validate/README.md).
 * Options: --only NAME (one dataset), --json FILE (the report as JSON), --help.
 * Exit 0 unless Lapis crashed: a value outside its target is reported, not a failure of the run.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORPUS } from './corpus';
import { summaryLine } from './table';
import { runValidation } from './validate';

const HELP = `npm run validate [-- --only NAME] [-- --json FILE]

Inverts real public datasets with \`lapis invert\` and compares Lapis' numbers with each set's reference answer.
Sets not under .refs/ are skipped with the command that fetches them (tools/validate/README.md).

  --only NAME   run one dataset: ${CORPUS.map((d) => d.name).join(', ')}
  --json FILE   also write the report as JSON
  -h, --help    this help

Exit 0 unless Lapis crashed (a value outside its target is reported, not an error); 2 for bad options.`;

function parseArgs(argv: string[]): { only?: string; json?: string; help?: boolean } {
  const o: { only?: string; json?: string; help?: boolean } = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a];
    if (flag === '-h' || flag === '--help') o.help = true;
    else if (flag === '--only' || flag === '--json') {
      const v = inline ?? argv[++i];
      if (!v) throw new Error(`${flag} needs a value`);
      if (flag === '--only') o.only = v;
      else o.json = v;
    } else throw new Error(`unknown option ${a}`);
  }
  return o;
}

async function main(): Promise<number> {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`validate: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (opts.help) {
    console.log(HELP);
    return 0;
  }
  if (opts.only && !CORPUS.some((d) => d.name === opts.only)) {
    console.error(`validate: no dataset named ${opts.only}; the corpus: ${CORPUS.map((d) => d.name).join(', ')}`);
    return 2;
  }
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  const report = await runValidation({
    root,
    only: opts.only,
    onSection: (lines) => console.log(lines.join('\n') + '\n'),
  });
  console.log(summaryLine(report.summary));
  if (opts.json) {
    const file = resolve(process.cwd(), opts.json);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify(report, null, 2) + '\n');
    console.log(`report written to ${opts.json}`);
  }
  return report.summary.crashed > 0 ? 1 : 0;
}

process.exitCode = await main();
