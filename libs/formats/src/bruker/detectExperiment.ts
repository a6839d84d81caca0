/**
 * Which Laplace experiment a TopSpin pulse program runs, from its name (PULPROG) and, failing that, from the
 * comment lines of the `pulseprogram` copy. Names follow Bruker's library: t1ir…, t1sr or satrec…, cpmg… or t2…,
 * stegp… and stebpgp… (stimulated echo), ledgp… and ledbpgp… (longitudinal eddy-current delay); `bp` marks bipolar pairs.
 */
import type { KernelName } from '@lapis/contracts/vocabulary';

/** A kernel of the vocabulary, or what TopSpin runs that Lapis names but does not invert as one kernel. */
export type BrukerExperimentKind = KernelName | 'T1rho' | 'IR-CPMG' | 'unknown';

export interface DetectedExperiment {
  kind: BrukerExperimentKind;
  /** Pulse program name as found (PULPROG or the first `;name` line). */
  pulseProgram: string;
  /** Diffusion sequence with bipolar gradient pairs. */
  bipolar: boolean;
  /** Why this kind was chosen, for warnings and logs. */
  reason: string;
}

const RULES: [RegExp, BrukerExperimentKind][] = [
  [/(t1ir|ir).*(cpmg|t2)|(cpmg|t2).*ir|t1t2/, 'IR-CPMG'],
  [/^t1rho|t1rho/, 'T1rho'],
  [/^t1ir|invrec|inversion/, 'T1-IR'],
  [/^t1sr|satrec|^sr/, 'T1-SR'],
  [/cpmg|^t2/, 'T2'],
  [/^(d?ste|led|dosy|diff|pgse|bpled|onesh|dstebp)|ste(bp)?gp|led(bp)?gp/, 'D'],
];

const TEXT_RULES: [RegExp, BrukerExperimentKind][] = [
  [/inversion recovery.*(cpmg|t2)/, 'IR-CPMG'],
  [/t1rho/, 'T1rho'],
  [/inversion recovery/, 'T1-IR'],
  [/saturation recovery/, 'T1-SR'],
  [/cpmg|carr-purcell|t2 measurement/, 'T2'],
  [/diffusion|stimulated echo|dosy|eddy current/, 'D'],
];

export function detectBrukerExperiment(pulprog: string | undefined, pulseProgramText?: string): DetectedExperiment {
  let name = (pulprog ?? '').trim();
  if (name === '' && pulseProgramText) {
    const m = /^;\s*([\w.+-]+)\s*$/m.exec(pulseProgramText);
    if (m) name = m[1]!;
  }
  const lower = name.toLowerCase();
  const bipolar = /bp/.test(lower);
  for (const [re, kind] of RULES) {
    if (re.test(lower)) return { kind, pulseProgram: name, bipolar, reason: `pulse program name '${name}'` };
  }
  if (pulseProgramText) {
    const comments = pulseProgramText
      .split(/\r?\n/)
      .filter((l) => l.startsWith(';'))
      .join(' ')
      .toLowerCase();
    for (const [re, kind] of TEXT_RULES) {
      if (re.test(comments)) {
        return {
          kind,
          pulseProgram: name,
          bipolar: bipolar || /bipolar/.test(comments),
          reason: 'pulse program comments',
        };
      }
    }
  }
  return { kind: 'unknown', pulseProgram: name, bipolar, reason: `no rule matches '${name}'` };
}
