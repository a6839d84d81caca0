/**
 * Configuration of `lapis agent`, validated with zod before anything starts. Validation is pure: it never opens a
 * socket or resolves a host name, so a bad file fails fast and identically with or without a network.
 * apps/agent/lapis.agent.sample.yaml documents every field; keep the two in step.
 */
import { z } from 'zod';
import { experimentSchema, instrumentIdSchema } from '@lapis/contracts';

/** Inversion methods the classical pipeline accepts (same names as libs/physics `Method`). */
export const classicalMethodSchema = z.enum(['auto', 'tikhonov', 'upen', 'sparse', 'nnls']);
/** Every method a rule may name: the classical ones, and `dl` (the network pipeline). */
export const ruleMethodSchema = z.enum([...classicalMethodSchema.options, 'dl']);
/** Experiments the released networks are trained for (2D maps); `method: dl` rules may list only these. */
export const NETWORK_EXPERIMENTS = ['T1-T2', 'D-T2'] as const;

/** A rule maps experiment types to a pipeline and its parameters; the first matching rule wins. */
export const ruleSchema = z
  .strictObject({
    /** Experiment types this rule applies to; `'*'` (default) matches any. */
    experiments: z.union([z.literal('*'), z.array(experimentSchema).min(1)]).default('*'),
    /**
     * `classical`: regularised inversion (libs/physics). `network`: the network refines the classical map
     * (libs/inference `invertDl`), checked against the data, classical result as fallback. Implied by the method
     * when left out (`dl` → network).
     */
    pipeline: z.enum(['classical', 'network']).optional(),
    method: ruleMethodSchema.default('auto'),
    /** `method: dl`: the model manifest (lapis-model/1 JSON; default: the released model, or LAPIS_MODEL). */
    model: z.string().min(1).optional(),
    /** Grid points per output dimension (default: libs/physics' own, 64 for 2D and 128 for 1D). */
    grid: z.number().int().min(8).max(512).optional(),
    /** Bootstrap draws behind each peak's uncertainty (default 16; 0: none). */
    uncertainty: z.number().int().min(0).max(1000).optional(),
    /** Output range per dimension in SI units, `[lo, hi]`. */
    ranges: z
      .array(z.tuple([z.number().positive(), z.number().positive()]).nullable())
      .max(2)
      .optional(),
  })
  .superRefine((rule, ctx) => {
    if (rule.method === 'dl') {
      if (rule.pipeline === 'classical') {
        ctx.addIssue({
          code: 'custom',
          path: ['pipeline'],
          message: 'method dl runs the network pipeline: write pipeline: network, or leave pipeline out',
        });
      }
      const experiments = rule.experiments === '*' ? ['*'] : rule.experiments;
      const other = experiments.filter((e) => !(NETWORK_EXPERIMENTS as readonly string[]).includes(e));
      if (other.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['experiments'],
          message:
            `method dl is for ${NETWORK_EXPERIMENTS.join(' and ')} maps (the released networks are 2D), not ` +
            `${other.join(', ')}: list only those here and give the other experiments a classical rule`,
        });
      }
    } else {
      if (rule.pipeline === 'network') {
        ctx.addIssue({ code: 'custom', path: ['method'], message: 'pipeline network needs method: dl' });
      }
      if (rule.model !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['model'], message: 'model is for method: dl rules' });
      }
    }
  })
  .transform((rule) => ({ ...rule, pipeline: rule.pipeline ?? (rule.method === 'dl' ? 'network' : 'classical') }));
export type Rule = z.infer<typeof ruleSchema>;

const tlsSchema = z.strictObject({
  /** PEM file of the CA that signed the broker's certificate. */
  ca: z.string().min(1).optional(),
  /** Client certificate and key (PEM) for mutual TLS. */
  cert: z.string().min(1).optional(),
  key: z.string().min(1).optional(),
  /** Keep `true` outside tests: refusing unknown certificates is what TLS is for. */
  rejectUnauthorized: z.boolean().default(true),
});

const mqttUrlSchema = z
  .string()
  .url()
  .refine((u) => /^(mqtts?|wss?|tcp|ssl):\/\//.test(u), 'mqtt.url must start with mqtt://, mqtts://, ws:// or wss://');

/** How ordinary spectra are processed (the configuration's `spectra`; every setting has its default). */
const spectraSchema = z.strictObject({
  /** Least peak height over the noise σ for a peak to be listed. */
  minSnr: z.number().min(1).max(1e6).default(5),
  /** Exponential line broadening, Hz; absent: the folder's procs LB, else 0.3 Hz. */
  lineBroadeningHz: z.number().min(0).max(1000).optional(),
  /** Values of the spectrum sent over MQTT (min–max buckets); peaks are found on the full spectrum. */
  transportValues: z.number().int().min(512).max(16_384).default(8192),
  /**
   * A denoised copy of each 1D spectrum for display (the dashboard's overlay): `network` (models/lapis-denoise1d;
   * the wavelet when it cannot run), `wavelet` (classical) or `off`. Peaks and integrals never use it.
   */
  denoise: z.enum(['off', 'wavelet', 'network']).default('network'),
  /**
   * 1D peak picker: `classical` (second derivative and line fits) or `network` (models/lapis-pick1d's lines,
   * fitted back, the classical answer kept where it explains the data better; docs/spectra.md).
   */
  picker: z.enum(['classical', 'network']).default('classical'),
  /** NUS 2D reconstruction: `ist`, or `network` (models/lapis-nus1d; IST where it cannot run; docs/nus.md). */
  nus: z.enum(['ist', 'network']).default('ist'),
  /**
   * MiB of full-resolution spectra kept in `dataDir/spectra` for viewers that zoom in (`cmd/spectrum`); the
   * oldest go first; 0 keeps none. Not part of any key: it changes what is kept, not what is computed.
   */
  keepFullMiB: z.number().min(0).max(1_048_576).default(1024),
});

/** The spectra settings when the configuration says nothing. */
export const DEFAULT_SPECTRA = spectraSchema.parse({});

/** The spectra settings that shape what is computed: all but `keepFullMiB`, how much of it is kept on disk. */
export function computedSpectraSettings(
  spectra: z.infer<typeof spectraSchema>,
): Omit<z.infer<typeof spectraSchema>, 'keepFullMiB'> {
  const { keepFullMiB: _kept, ...computed } = spectra;
  return computed;
}

export const agentConfigSchema = z.strictObject({
  instrument: instrumentIdSchema,
  /** Free text naming where the instrument stands (building, lab). */
  site: z.string().max(200).optional(),
  watch: z.strictObject({
    /** Directories the spectrometer writes acquisitions into; each must exist. */
    roots: z.array(z.string().min(1)).min(1),
    /** `events` uses the operating system's notifications; `polling` is for network shares (SMB/NFS) where those never arrive. */
    mode: z.enum(['events', 'polling']).default('events'),
    /** Polling interval, ms (only for `polling`). */
    pollIntervalMs: z.number().int().min(100).max(600_000).default(2000),
    /**
     * How long an acquisition's files must stay unchanged before it is checked, ms. A debounce only: completeness is
     * judged from the files themselves (see completion.ts), so this can stay short and keep latency low.
     */
    settleMs: z.number().int().min(0).max(600_000).default(500),
    /** How deep below a root acquisitions may lie. */
    depth: z.number().int().min(0).max(32).default(8),
    /**
     * Walk the roots this often (ms) for acquisitions the notifications missed; 0 turns it off. A safety net:
     * polling misses folders created as it starts, inotify drops events when its queue overflows.
     */
    rescanIntervalMs: z.number().int().min(0).max(86_400_000).default(60_000),
    /** Process what is already in the roots at start-up (keys already processed are skipped). */
    initialScan: z.boolean().default(true),
  }),
  rules: z.array(ruleSchema).default([{ experiments: '*', pipeline: 'classical', method: 'auto' }]),
  pipeline: z
    .strictObject({
      /** Acquisitions processed at once. Inversion is CPU-bound: more than the number of cores only adds latency. */
      concurrency: z.number().int().min(1).max(64).default(1),
      /**
       * `worker`: processing runs in `concurrency` worker threads, so the agent keeps answering the broker and
       * /healthz during a long inversion. `inline`: in the main thread (debugging).
       */
      isolation: z.enum(['worker', 'inline']).default('worker'),
      /** Acquisitions queued for processing; beyond it the watcher holds completed paths back until there is room (back-pressure). */
      maxQueued: z.number().int().min(1).max(1_000_000).default(10_000),
    })
    .default({ concurrency: 1, isolation: 'worker', maxQueued: 10_000 }),
  mqtt: z
    .strictObject({
      /** Broker URL. Absent: an embedded broker is started on localhost (see `embeddedBroker`). */
      url: mqttUrlSchema.optional(),
      username: z.string().optional(),
      password: z.string().optional(),
      /** File holding the password (first line), so the YAML can be world-readable. */
      passwordFile: z.string().optional(),
      tls: tlsSchema.optional(),
      /** `auto` tries MQTT 5 and falls back to 3.1.1 when the broker refuses it. */
      protocol: z.enum(['auto', '5', '3.1.1']).default('auto'),
      clientId: z.string().min(1).max(128).optional(),
      keepaliveSeconds: z.number().int().min(5).max(3600).default(30),
      heartbeatSeconds: z.number().int().min(1).max(86_400).default(30),
      /** Results in flight (published, PUBACK pending) at once. */
      inflight: z.number().int().min(1).max(1000).default(32),
      /** Reconnect back-off, ms: doubles from min up to max. */
      reconnectMinMs: z.number().int().min(50).default(500),
      reconnectMaxMs: z.number().int().min(100).default(10_000),
    })
    .refine((m) => !(m.password && m.passwordFile), 'give mqtt.password or mqtt.passwordFile, not both')
    .default({
      protocol: 'auto',
      keepaliveSeconds: 30,
      heartbeatSeconds: 30,
      inflight: 32,
      reconnectMinMs: 500,
      reconnectMaxMs: 10_000,
    }),
  /**
   * Ordinary spectra (a TopSpin 1D `fid`: ¹H, ¹³C …): processed and peak-picked as `lapis process` does, published on
   * `spectrum`. Relaxation and diffusion acquisitions follow `rules`.
   */
  spectra: spectraSchema.default(DEFAULT_SPECTRA),
  embeddedBroker: z
    .strictObject({
      /** Used only when `mqtt.url` is absent. Binds 127.0.0.1 unless `host` says otherwise. */
      host: z.string().default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(1883),
    })
    .default({ host: '127.0.0.1', port: 1883 }),
  /** Where the agent keeps its state (SQLite outbox and result log). Created if missing. */
  dataDir: z.string().min(1),
  outbox: z
    .strictObject({
      /** Disk the outbox may use, bytes. Above `warnFraction` of it a warning is logged on every commit; when full, processing pauses. */
      quotaBytes: z
        .number()
        .int()
        .min(1024)
        .default(512 * 1024 * 1024),
      warnFraction: z.number().min(0.1).max(1).default(0.8),
    })
    .default({ quotaBytes: 512 * 1024 * 1024, warnFraction: 0.8 }),
  http: z
    .strictObject({
      /** `/healthz` and `/metrics`; `enabled: false` to run without. */
      enabled: z.boolean().default(true),
      host: z.string().default('127.0.0.1'),
      /** 0 picks a free port (logged at start-up). */
      port: z.number().int().min(0).max(65535).default(9464),
    })
    .default({ enabled: true, host: '127.0.0.1', port: 9464 }),
  log: z
    .strictObject({
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    })
    .default({ level: 'info' }),
});

export type AgentConfigInput = z.input<typeof agentConfigSchema>;
export type AgentConfig = z.infer<typeof agentConfigSchema>;
