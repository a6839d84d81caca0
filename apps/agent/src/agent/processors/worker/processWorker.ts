/**
 * Body of a processing worker thread: receives `{ id, path, rules }`, runs `processAcquisition`, replies
 * with the analysis or the error's message (errors do not cross threads with their class, so the message carries it).
 * It first warms the analysis up (warmUpAnalysis), so the first acquisition runs compiled code; requests that arrive
 * meanwhile wait for it.
 */
import { parentPort } from 'node:worker_threads';
import { warmUpAnalysis } from '../../../analysis/warmUp';
import type { Rule } from '../../config/schema';
import { processAcquisition, type SpectraSettings } from '../pipelineSteps';
import type { WorkerReady, WorkerReply } from '../workerPool';

interface Request {
  id: number;
  path: string;
  rules: Rule[];
  spectra?: SpectraSettings;
}

// Tells the pool when the warm-up is over (WorkerPoolSteps.ready): until then the worker's heap is still growing.
const warm = warmUpAnalysis().then(() => parentPort!.postMessage({ ready: true } satisfies WorkerReady));

parentPort!.on('message', (req: Request) => {
  warm
    .then(() => processAcquisition(req.path, req.rules, req.spectra))
    .then(
      (analysis) => parentPort!.postMessage({ id: req.id, ok: true, analysis } satisfies WorkerReply),
      (e: unknown) =>
        parentPort!.postMessage({
          id: req.id,
          ok: false,
          error: e instanceof Error ? e.message : String(e),
        } satisfies WorkerReply),
    );
});
