/**
 * Child process of bench:physics' full-analysis section: reads one acquisition folder and times its first full
 * analysis in this fresh process (the cost `lapis invert` pays, with the V8 tiering it sets up), then prints one JSON
 * line. Args: DIR METHOD.
 */
import { tuneForOneShot } from '../../../apps/agent/scripts/v8Tiering.mjs';

tuneForOneShot(process.env, process.argv.slice(2, 3));
const { detectAndRead } = await import('@lapis/formats');
const { analyseAcquisition } = await import('../../../apps/agent/src/analysis/analyseAcquisition');
const { loadAnalysisDeps } = await import('../../../apps/agent/src/analysis/deps');

const [dir, method] = process.argv.slice(2);
const deps = await loadAnalysisDeps();
const t0 = performance.now();
const acq = await detectAndRead(dir!);
const t1 = performance.now();
const r = await analyseAcquisition(acq, { method: method as 'auto' }, { software: 'bench' } as never, deps);
const t2 = performance.now();
console.log(JSON.stringify({ readMs: t1 - t0, analysisMs: t2 - t1, method: r.method, peaks: r.document.peaks.length }));
