/** bench:physics' reference tools: the cases FLINT and MUPen2D run on, written as lapis-acquisition/1, and their runs. */
import { writeFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invert } from '@lapis/physics';
import { caseInput, dataLimited, scoreCase, simulateCase, type BenchCase } from './cases';
import { LAPIS_SPEED_METHODS, refCases } from './options';
import { runReference } from './reference';
import { rowBase, type Row } from './row';

/**
 * The cases the references run on (they take seconds per map): T1IR–T2 and D–T2 at SNR ≥ 100, one per (kind, SNR) in
 * turn, each group contributing its next design (one peak, then the pairs 0.5, 0.75, 1 decade apart) — so that the
 * subset spans the SNRs, and with them both branches of `auto`, instead of the first few cases of one kind.
 */
function referenceCases(suite: BenchCase[], count: number): BenchCase[] {
  const groups = new Map<string, BenchCase[]>();
  for (const c of suite) {
    if (c.axes.length !== 2 || c.snr < 100 || (c.kind !== 'T1IR-T2' && c.kind !== 'D-T2')) continue;
    const key = `${c.kind}/${c.snr}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const lists = [...groups.values()];
  const picked: BenchCase[] = [];
  for (let round = 0; picked.length < count && lists.some((l) => l.length > round); round++) {
    lists.forEach((list, g) => {
      const c = list[(g + round) % list.length];
      if (c && picked.length < count && !picked.includes(c)) picked.push(c);
    });
  }
  return picked;
}

/** The case as a lapis-acquisition/1 folder for the reference tools; an IR axis carries the β Lapis estimated. */
async function writeCase(dir: string, c: BenchCase, data: Float64Array, beta?: number): Promise<void> {
  const m2 = c.axes[1]?.values.length ?? 1;
  const lines: string[] = [];
  for (let i = 0; i < c.axes[0]!.values.length; i++)
    lines.push(Array.from(data.subarray(i * m2, (i + 1) * m2), (v) => v.toPrecision(17)).join(' '));
  await writeFile(join(dir, 'data.txt'), lines.join('\n') + '\n');
  const doc = {
    format: 'lapis-acquisition/1',
    experiment: c.kind === 'D-T2' ? 'D-T2' : c.axes.length === 2 ? 'T1-T2' : c.kind === 'T2' ? 'T2' : 'T1',
    sample: c.id,
    axes: c.axes.map((a) => ({
      kernel: a.kernel,
      values: Array.from(a.values),
      unit: a.kernel === 'D' ? 's/m2' : 's',
      ...(a.kernel === 'T1-IR' && beta !== undefined ? { beta } : {}),
    })),
    data: 'data.txt',
  };
  await writeFile(join(dir, 'acquisition.json'), JSON.stringify(doc));
}

/** FLINT and MUPen2D (when installed) on a subset of the 2D cases, appending their rows beside Lapis' own. */
export async function runReferences(suite: BenchCase[], rows: Row[]): Promise<void> {
  const subset = referenceCases(suite, refCases);
  // flint-matched: FLINT on the very problem Lapis solved (Lapis' α) to Lapis' accuracy (tol 1e-9: at its default
  // tol FLINT stops ~10 % away from the optimum) — the like-for-like speed comparison of the two solvers.
  for (const variant of ['flint', 'flint-matched', 'mupen2d'] as const) {
    const tool = variant === 'flint-matched' ? 'flint' : variant;
    for (const c of subset) {
      const dir = await mkdtemp(join(tmpdir(), 'lapis-bench-'));
      try {
        // Simulated again (seeded, identical data) rather than kept: holding every case's data through the suite
        // grew the heap by 54 MB and lengthened the garbage-collection pauses that land on the timed inversions.
        const sim = simulateCase(c);
        // Tikhonov explicitly: flint-matched hands FLINT Lapis' Tikhonov α (the grid ranges are every method's);
        // neither tool estimates β, so both get Lapis' estimate.
        const lapis = invert(caseInput(c, sim.data), { method: 'tikhonov' });
        await writeCase(dir, c, sim.data, lapis.beta?.value);
        const ranges = lapis.axes.map((a) => [a.values[0]!, a.values[a.values.length - 1]!] as [number, number]);
        const ref = await runReference(
          tool,
          dir,
          ranges[0]!,
          ranges[1]!,
          variant === 'flint-matched' ? { alpha: lapis.solver.alpha, tol: 1e-9 } : {},
        );
        const base = rowBase(c, variant);
        if ('unavailable' in ref) {
          console.log(`${variant}: unavailable — ${ref.unavailable}`);
          break;
        }
        // The reference's map analysed as Lapis' own: same peak finder, same data-SNR check (Lapis' σ̂ of the data).
        const s = scoreCase(c, caseInput(c, sim.data), {
          ...lapis,
          axes: [
            { ...lapis.axes[0]!, values: ref.grid1 },
            { ...lapis.axes[1]!, values: ref.grid2 },
          ],
          distribution: ref.distribution.map((v) => Math.max(v, 0)),
        });
        rows.push({
          ...base,
          ms: ref.elapsedMs,
          cpuMs: Number((ref.details as { cpuMs?: number }).cpuMs ?? NaN),
          worstPosition: s.worstPositionError,
          mapWorstPosition: s.map.worstPositionError,
          mapSpurious: s.map.spurious.length,
          worstFraction: s.worstFractionError,
          missed: s.missed.length,
          missedDataLimited: dataLimited(s),
          spurious: s.spurious.length,
          resolved: s.resolved,
          ...(ref.alpha ? { alpha: ref.alpha } : {}),
        });
        console.log(
          `${variant} ${c.id}: ${ref.elapsedMs.toFixed(0)} ms (Lapis ${LAPIS_SPEED_METHODS.map((m) => `${m} ${rows.find((r) => r.caseId === c.id && r.method === m)?.ms.toFixed(0)} ms`).join(', ')})`,
        );
      } catch (error) {
        console.log(`${variant} ${c.id}: failed — ${String(error).split('\n')[0]}`);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
  }
}
