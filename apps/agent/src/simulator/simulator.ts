/**
 * The instrument simulator of `lapis stack`: every `intervalMs` the next instrument (round robin) writes its next
 * acquisition into `demoDir/<instrument id>/…`, progressively, as the real one would. Every `brokenEvery`-th
 * acquisition is broken on purpose. The counters live in `demoDir/.simulator.json`, so a second run continues the
 * samples' stories instead of starting over; staging happens in `demoDir/.staging` (same file system, outside the
 * instrument folders the agents watch).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_INSTRUMENTS, planAcquisition } from './plans';
import type { PlannedAcquisition, SimulatedInstrument } from './plans';

export interface InstrumentSimulatorOptions {
  /** Root of the demo folder; each instrument writes below `demoDir/<id>`. */
  demoDir: string;
  /** Pause between two acquisitions (any instrument), ms (default 4000). */
  intervalMs?: number;
  /** Pause between rows written, ms (default 150; keep it well below intervalMs / rows). */
  rowIntervalMs?: number;
  /** Every n-th acquisition is broken (default 10; 0: never). */
  brokenEvery?: number;
  /** Instruments simulated (default DEMO_INSTRUMENTS). */
  instruments?: readonly SimulatedInstrument[];
  /** Seed of the noise (default 7); each acquisition gets seed + its global index. */
  seed?: number;
  /** One line per acquisition written (default: nothing). */
  log?: (line: string, level?: 'info' | 'warn') => void;
}

interface SimulatorState {
  version: 1;
  /** Acquisitions written so far, all instruments. */
  total: number;
  /** Per instrument id. */
  counts: Record<string, number>;
}

const STATE_FILE = '.simulator.json';

function readState(file: string): SimulatorState {
  if (!existsSync(file)) return { version: 1, total: 0, counts: {} };
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as Partial<SimulatorState>;
    if (s.version === 1 && typeof s.total === 'number' && s.counts && typeof s.counts === 'object') {
      return { version: 1, total: s.total, counts: { ...s.counts } };
    }
  } catch {
    // unreadable: start over below (the acquisitions already written stay where they are)
  }
  return { version: 1, total: 0, counts: {} };
}

export class InstrumentSimulator {
  private readonly state: SimulatorState;
  private readonly stateFile: string;
  private readonly stagingDir: string;
  private readonly instruments: readonly SimulatedInstrument[];
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> | undefined;
  private readonly abort = new AbortController();
  private stopped = false;
  /** Acquisitions written by this run. */
  written: PlannedAcquisition[] = [];

  private constructor(private readonly o: InstrumentSimulatorOptions) {
    if (o.intervalMs !== undefined && !(o.intervalMs > 0))
      throw new RangeError(`intervalMs must be > 0, got ${o.intervalMs}`);
    if (o.brokenEvery !== undefined && !(Number.isInteger(o.brokenEvery) && o.brokenEvery >= 0)) {
      throw new RangeError(`brokenEvery must be a whole number ≥ 0, got ${o.brokenEvery}`);
    }
    this.instruments = o.instruments ?? DEMO_INSTRUMENTS;
    if (this.instruments.length === 0) throw new RangeError('InstrumentSimulator: no instruments');
    this.stateFile = join(o.demoDir, STATE_FILE);
    this.stagingDir = join(o.demoDir, '.staging');
    this.state = readState(this.stateFile);
  }

  /** Creates the instrument folders (the agents need them to exist); writes nothing until `run()` or `tick()`. */
  static create(o: InstrumentSimulatorOptions): InstrumentSimulator {
    const sim = new InstrumentSimulator(o);
    for (const dir of Object.values(sim.roots())) mkdirSync(dir, { recursive: true });
    rmSync(sim.stagingDir, { recursive: true, force: true });
    mkdirSync(sim.stagingDir, { recursive: true });
    return sim;
  }

  /** `create` and `run`. */
  static start(o: InstrumentSimulatorOptions): InstrumentSimulator {
    return InstrumentSimulator.create(o).run();
  }

  /** Starts writing: the first acquisition within a second, then one every `intervalMs`. */
  run(): this {
    if (this.timer === undefined && !this.stopped) this.schedule(Math.min(1000, this.o.intervalMs ?? 4000));
    return this;
  }

  /** Instrument id → the folder it writes into. */
  roots(): Record<string, string> {
    return Object.fromEntries(this.instruments.map((i) => [i.id, join(this.o.demoDir, i.id)]));
  }

  /** Acquisitions written so far, all runs. */
  get total(): number {
    return this.state.total;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.current = this.tick()
        .then(
          () => undefined,
          () => undefined,
        ) // logged in tick; the next one is tried all the same
        .finally(() => {
          this.current = undefined;
          this.schedule(this.o.intervalMs ?? 4000);
        });
    }, ms);
  }

  /** Writes one acquisition now (the next instrument's next one); resolves with its plan. */
  async tick(): Promise<PlannedAcquisition> {
    const index = this.state.total;
    const instrument = this.instruments[index % this.instruments.length]!;
    const n = this.state.counts[instrument.id] ?? 0;
    const every = this.o.brokenEvery ?? 10;
    const broken = every > 0 && index % every === every - 1;
    const plan = planAcquisition(instrument, n, broken, (this.o.seed ?? 7) + index);
    const dir = join(this.o.demoDir, instrument.id, plan.relPath);
    // A folder left half-written by a stopped run (its counter was not advanced): the simulator's own output,
    // written again from scratch.
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    const started = Date.now();
    try {
      await plan.write(dir, {
        stagingDir: this.stagingDir,
        rowIntervalMs: this.o.rowIntervalMs ?? 150,
        acquiredAt: new Date(),
        signal: this.abort.signal,
      });
    } catch (e) {
      this.o.log?.(`${instrument.id}: could not write ${plan.relPath}: ${(e as Error).message}`, 'warn');
      throw e;
    }
    if (this.abort.signal.aborted) return plan;
    this.state.total = index + 1;
    this.state.counts[instrument.id] = n + 1;
    writeFileSync(this.stateFile, JSON.stringify(this.state, null, 2) + '\n');
    this.written.push(plan);
    this.o.log?.(
      `${instrument.id}: wrote ${plan.experiment} of ${plan.sample} (day ${plan.day}) → ${instrument.id}/${plan.relPath}` +
        ` in ${Date.now() - started} ms${broken ? ' — BROKEN on purpose' : ''}`,
      broken ? 'warn' : 'info',
    );
    return plan;
  }

  /** Stops after (and aborts) the acquisition being written; resolves when nothing is being written. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.abort.abort();
    await this.current?.catch(() => undefined);
  }
}
