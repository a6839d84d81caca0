/**
 * The layering of docs/ARCHITECTURE.md, checked on the sources: tools → apps → libs, no arrow back up.
 * (a) only apps/agent/src/cli imports apps/agent/src/cli — besides the entries (main.ts, index.ts); the Command
 * interface every command implements is apps/agent/src/commandContract.ts, outside the CLI; (b) no app, tests included, imports another
 * app's src (and libs import no app or tool); (c) no import cycle among libs/ and apps/agent/src (runtime imports:
 * relative and @lapis/* resolved to files; `import type` and dynamic `import()` do not run at load time);
 * (d) no non-test source in apps/ libs/ tools/ is longer than 450 lines (generated code excepted).
 * Each failure names the files, so the message is the to-do list.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const MAX_LINES = 450;
const SKIP_DIRS = new Set(['node_modules', '.next', 'dist', '.test-results']);
/** Generated sources: written by a tool, not by hand. */
const GENERATED = [/\/drizzle\/meta\//, /\/next-env\.d\.ts$/, /\.generated\.tsx?$/];

const posix = (p: string) => p.split(sep).join('/');

function sources(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || SKIP_DIRS.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sources(path, out);
    else if (/\.(ts|tsx|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(posix(relative(ROOT, path)));
  }
  return out;
}

const isTest = (file: string) => /\.(test|e2e\.test|spec)\.tsx?$/.test(file) || file.includes('/__tests__/');

interface Import {
  specifier: string;
  /** Executed when the module loads: not `import type`/`export type`, not a dynamic import(). */
  runtime: boolean;
}

function importsOf(file: string): Import[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const found: Import[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, runtime: !node.importClause?.isTypeOnly });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, runtime: !node.isTypeOnly });
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      found.push({ specifier: node.arguments[0].text, runtime: false });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const literal = node.argument.literal;
      if (ts.isStringLiteral(literal)) found.push({ specifier: literal.text, runtime: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** @lapis/NAME → its folder and exports map, read from the workspaces' package.json files. */
const packages = new Map<string, { dir: string; exports: Record<string, string> }>();
for (const group of ['libs', 'apps']) {
  for (const name of readdirSync(join(ROOT, group))) {
    const manifest = join(ROOT, group, name, 'package.json');
    if (!existsSync(manifest)) continue;
    const json = JSON.parse(readFileSync(manifest, 'utf8')) as { name: string; exports?: unknown };
    const exports =
      typeof json.exports === 'string'
        ? { '.': json.exports }
        : ((json.exports as Record<string, string> | undefined) ?? { '.': './src/index.ts' });
    packages.set(json.name, { dir: `${group}/${name}`, exports });
  }
}

function asFile(base: string): string | undefined {
  const stripped = base.replace(/\.(m?js|jsx)$/, '');
  for (const candidate of [
    base,
    `${stripped}.ts`,
    `${stripped}.tsx`,
    `${stripped}.mts`,
    `${base}/index.ts`,
    `${base}/index.tsx`,
  ]) {
    const path = join(ROOT, candidate);
    if (existsSync(path) && statSync(path).isFile()) return posix(relative(ROOT, path));
  }
  return undefined;
}

/** The repository file an import names, or undefined for node: builtins and third-party packages. */
function resolveImport(from: string, specifier: string): string | undefined {
  if (specifier.startsWith('.')) return asFile(posix(relative(ROOT, resolve(ROOT, dirname(from), specifier))));
  const match = /^(@lapis\/[^/]+)(\/.*)?$/.exec(specifier);
  if (!match) return undefined;
  const pkg = packages.get(match[1]!);
  if (!pkg) return undefined;
  const target = pkg.exports[match[2] ? `.${match[2]}` : '.'];
  return target ? asFile(posix(join(pkg.dir, target))) : asFile(posix(join(pkg.dir, `src${match[2] ?? '/index'}`)));
}

const files = [...sources(join(ROOT, 'apps')), ...sources(join(ROOT, 'libs')), ...sources(join(ROOT, 'tools'))];
const edges = new Map<string, { to: string; runtime: boolean }[]>();
for (const file of files) {
  edges.set(
    file,
    importsOf(file).flatMap(({ specifier, runtime }) => {
      const to = resolveImport(file, specifier);
      return to ? [{ to, runtime }] : [];
    }),
  );
}

/** Tarjan's strongly connected components: each component of more than one file (or a file importing itself) is a cycle. */
function findCycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const connect = (v: string) => {
    order.set(v, index);
    low.set(v, index);
    index += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!order.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, order.get(w)!));
    }
    if (low.get(v) === order.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!order.has(v)) connect(v);
  return cycles;
}

const appOf = (file: string) => /^apps\/([^/]+)\//.exec(file)?.[1];

describe('architecture (docs/ARCHITECTURE.md)', () => {
  it('finds the sources it checks', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(resolveImport('apps/agent/src/main.ts', './cli/command')).toBe('apps/agent/src/cli/command.ts');
    expect(resolveImport('apps/agent/src/main.ts', '@lapis/contracts')).toBe('libs/contracts/src/index.ts');
    const cycle = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', []],
    ]);
    expect(findCycles(cycle)).toEqual([['a', 'b', 'c']]);
  });

  it('(a) only apps/agent/src/cli and the entries import apps/agent/src/cli', () => {
    const CLI = 'apps/agent/src/cli/';
    // main.ts (the bin's entry: it dispatches to the registry) and index.ts (the package's entry: @lapis/agent) sit
    // above the CLI; nothing else imports it, not even types.
    const entry = new Set(['apps/agent/src/main.ts', 'apps/agent/src/index.ts']);
    const offenders = files.flatMap((file) =>
      file.startsWith(CLI) || entry.has(file)
        ? []
        : edges
            .get(file)!
            .filter((e) => e.to.startsWith(CLI))
            .map((e) => `${file} → ${e.to}`),
    );
    expect([...new Set(offenders)]).toEqual([]);
  });

  it("(b) no app imports another app's src", () => {
    const offenders = files.flatMap((file) => {
      const app = appOf(file);
      if (!app) return [];
      return edges
        .get(file)!
        .filter((e) => appOf(e.to) !== undefined && appOf(e.to) !== app)
        .map((e) => `${file} → ${e.to}`);
    });
    expect([...new Set(offenders)]).toEqual([]);
  });

  it('(b′) libs import no app and no tool; app sources import no tool (tests, test helpers and benches may)', () => {
    const helper = (f: string) => isTest(f) || /\/(test|testing|bench)\//.test(f);
    const offenders = files.flatMap((file) => {
      const layer = file.split('/')[0];
      return edges
        .get(file)!
        .filter((e) => {
          const target = e.to.split('/')[0];
          return (layer === 'libs' && target !== 'libs') || (layer === 'apps' && target === 'tools' && !helper(file));
        })
        .map((e) => `${file} → ${e.to}`);
    });
    expect([...new Set(offenders)]).toEqual([]);
  });

  it('(c) no import cycle among libs/ and apps/agent/src', () => {
    const inScope = (f: string) => f.startsWith('libs/') || f.startsWith('apps/agent/src/');
    const graph = new Map<string, string[]>();
    for (const file of files.filter(inScope)) {
      graph.set(
        file,
        edges
          .get(file)!
          .filter((e) => e.runtime && inScope(e.to))
          .map((e) => e.to),
      );
    }
    const cycles = findCycles(graph);
    expect(cycles.map((c) => c.join(' ⇄ '))).toEqual([]);
  });

  it(`(d) no hand-written source over ${MAX_LINES} lines`, () => {
    const long = files
      .filter((f) => !isTest(f) && !GENERATED.some((g) => g.test(`/${f}`)))
      .map((f) => ({ f, lines: readFileSync(join(ROOT, f), 'utf8').split('\n').length - 1 }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ f, lines }) => `${f}: ${lines}`);
    expect(long).toEqual([]);
  });
});
