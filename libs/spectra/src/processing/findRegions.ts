/**
 * Signal regions of a set of real spectra, from the envelope max_r |y_r| (lines strong in any row count, e.g. ones
 * that have nulled in the strongest row of an inversion recovery).
 *
 * Lines: local maxima of the envelope above `threshold`·σ and `minHeight` × the tallest point; a maximum that does
 * not dip more than the noise (or 2 %) below its neighbour is a wiggle on the same line.
 *
 * Signals (when `hzPerPoint` is given): neighbouring lines are one signal, a multiplet, when they are unresolved
 * (the envelope between them dips less than 20 % below the smaller line), or when they are resolved but
 * - closer than `maxCoupling` Hz (the largest couplings that split one ¹H signal),
 * - of comparable height (within `maxHeightRatio`: a multiplet's neighbouring lines follow binomial-like ratios,
 *   a small signal beside a methyl does not), and
 * - of the same shape across the rows (normalised row profiles within `maxProfileDistance` plus the noise's share:
 *   the lines of one multiplet relax or diffuse together; checked when `spectra` is given).
 * A neighbour whose row profile is the negative of a line's (a dispersive or truncation lobe of a strong line) is
 * joined to it whatever the distance. A run of joined lines wider than `maxSpan` Hz is more than one multiplet: it
 * is split at its weakest join (farthest apart for the coupling scale, most different in height). Without
 * `hzPerPoint` every contiguous run above the seed level is its own signal (the behaviour before grouping).
 *
 * Each signal's region runs from its outer lines outward while the envelope stays above both `edge`·σ and
 * `edgeFraction` × the signal's tallest line (Lorentzian wings of a strong line stay above a few σ for hundreds of
 * Hz, so a noise criterion alone would merge a whole spectrum), at most `maxGrowth` line widths, stopping in a
 * valley where the envelope climbs back above 1.5 × its lowest value so far; then it widens by `padding` × the
 * width of its tallest line's own extent on each side (the wings carry area). Where the padding of neighbours
 * would overlap, each keeps its unpadded edge on that side (a signal's own tail lost is the same share in every
 * row, a neighbour's tail taken in is not); unpadded regions that still overlap are cut at the envelope minimum
 * between their facing lines.
 */
export interface FindRegionsOptions {
  /** Seed level in noise σ (default 10). */
  threshold?: number;
  /** Growth stops below this level in σ (default 3). */
  edge?: number;
  /** Seeds must also reach this fraction of the tallest envelope point (default 0.005). */
  minHeight?: number;
  /** Growth also stops below this fraction of the seed's height (default 0.01). */
  edgeFraction?: number;
  /** Extra width on each side as a fraction of a line's width (default 0.5). */
  padding?: number;
  /** Regions narrower than this many points are dropped as spikes (default 3). */
  minWidth?: number;
  /** Keep at most this many regions, the highest first (default 64). */
  maxRegions?: number;
  /** Hz per envelope point: given, lines are grouped into signals (multiplets) as described above. */
  hzPerPoint?: number;
  /** Resolved lines farther apart than this many Hz are separate signals (default 20). */
  maxCoupling?: number;
  /** Resolved neighbouring lines whose heights differ by more than this factor are separate signals (default 8). */
  maxHeightRatio?: number;
  /** Resolved neighbouring lines whose unit row profiles differ more than this are separate signals (default 0.12). */
  maxProfileDistance?: number;
  /** The real rows behind the envelope, row-major rows × envelope length, for the profile check. */
  spectra?: Float64Array;
  /** A signal spans at most this many Hz between its outer lines; a longer run of lines is split (default 50). */
  maxSpan?: number;
  /** Growth stops this many line widths (FWHM) beyond a signal's outer line (default 5: a Lorentzian's 1 %). */
  maxGrowth?: number;
}

export interface IndexRegion {
  /** First index (inclusive). */
  start: number;
  /** Last index (inclusive). */
  end: number;
  /** Index of the envelope maximum. */
  peak: number;
  /** Envelope maximum. */
  height: number;
  /** Lines (envelope maxima) grouped into this region. */
  lines?: number;
  /** Height-weighted mean index of those lines (fractional): a multiplet's centre. */
  center?: number;
}

export function findRegions(envelope: Float64Array, sigma: number, options: FindRegionsOptions = {}): IndexRegion[] {
  const threshold = options.threshold ?? 10;
  const minHeight = options.minHeight ?? 0.005;
  if (!(sigma > 0)) return [];
  const n = envelope.length;
  let tallest = 0;
  for (let k = 0; k < n; k++) if (envelope[k]! > tallest) tallest = envelope[k]!;
  const seedLevel = Math.max(threshold * sigma, minHeight * tallest);
  const hz = options.hzPerPoint;
  const groups =
    hz !== undefined && hz > 0 ? signalGroups(envelope, sigma, seedLevel, hz, options) : seedRuns(envelope, seedLevel);
  return finish(envelope, sigma, groups, options);
}

/** A signal before growth: its outer lines and its tallest line. */
interface Group {
  first: number;
  last: number;
  peak: number;
  lines: number;
  center: number;
}

/** Legacy seeds: every contiguous run above the seed level, its maximum as the peak. */
function seedRuns(env: Float64Array, seedLevel: number): Group[] {
  const out: Group[] = [];
  let i = 0;
  while (i < env.length) {
    if (env[i]! <= seedLevel) {
      i++;
      continue;
    }
    let end = i;
    while (end + 1 < env.length && env[end + 1]! > seedLevel) end++;
    let peak = i;
    for (let k = i; k <= end; k++) if (env[k]! > env[peak]!) peak = k;
    out.push({ first: i, last: end, peak, lines: 1, center: peak });
    i = end + 1;
  }
  return out;
}

/** Index of the envelope minimum in [a, b]. */
function valleyBetween(env: Float64Array, a: number, b: number): number {
  let v = a;
  for (let k = a; k <= b; k++) if (env[k]! < env[v]!) v = k;
  return v;
}

/** Lines (significant local maxima above the seed level), then runs of lines that form one signal. */
function signalGroups(env: Float64Array, sigma: number, seedLevel: number, hz: number, o: FindRegionsOptions): Group[] {
  const n = env.length;
  const floor = (o.edge ?? 3) * sigma;
  const lines: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = env[i]!;
    if (v <= seedLevel || (i > 0 && env[i - 1]! > v) || (i + 1 < n && env[i + 1]! >= v)) continue;
    // A maximum that does not dip below its neighbour by more than the noise (or 2 %) is the same line: the higher.
    let keep = true;
    for (let a = lines[lines.length - 1]; a !== undefined; a = lines[lines.length - 1]) {
      const lo = Math.min(env[a]!, v);
      if (lo - env[valleyBetween(env, a, i)]! >= Math.max(floor, 0.02 * lo)) break;
      if (env[a]! >= v) {
        keep = false;
        break;
      }
      lines.pop();
    }
    if (keep) lines.push(i);
  }
  if (lines.length === 0) return [];

  const maxCoupling = o.maxCoupling ?? 20;
  const maxRatio = o.maxHeightRatio ?? 8;
  const maxProfile = o.maxProfileDistance ?? 0.12;
  const spectra = o.spectra;
  const rows = spectra && spectra.length % n === 0 ? spectra.length / n : 0;
  const profile = (i: number): Float64Array => {
    const p = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let k = Math.max(0, i - 1); k <= Math.min(n - 1, i + 1); k++) s += spectra![r * n + k]!;
      p[r] = s;
    }
    return p;
  };
  /** Distance of the two unit row profiles, its noise allowance and their cosine (undefined without rows). */
  const compare = (a: number, b: number): { d: number; noise: number; cos: number } | undefined => {
    if (rows < 2) return undefined;
    const pa = profile(a);
    const pb = profile(b);
    let na = 0;
    let nb = 0;
    let dot = 0;
    for (let r = 0; r < rows; r++) {
      na += pa[r]! * pa[r]!;
      nb += pb[r]! * pb[r]!;
      dot += pa[r]! * pb[r]!;
    }
    na = Math.sqrt(na);
    nb = Math.sqrt(nb);
    if (!(na > 0) || !(nb > 0)) return undefined;
    const cos = dot / (na * nb);
    // each profile value sums 3 points of noise σ: its unit vector carries about σ·√(3·rows)/|p| of noise
    const noise = 3 * sigma * Math.sqrt(3 * rows) * (1 / na + 1 / nb);
    return { d: Math.sqrt(Math.max(0, 2 - 2 * cos)), noise, cos };
  };
  const joined = (a: number, b: number): boolean => {
    const ha = env[a]!;
    const hb = env[b]!;
    const lo = Math.min(ha, hb);
    if (env[valleyBetween(env, a, b)]! >= 0.8 * lo) return true; // unresolved: cannot be integrated apart
    const c = compare(a, b);
    // A neighbour that is the exact negative of a line in every row is that line's dispersive or truncation lobe:
    // no relaxation or diffusion series has two real signals of opposite sign throughout.
    if (c && c.cos < -0.9) return true;
    if ((b - a) * hz > maxCoupling) return false;
    if (Math.max(ha, hb) / lo > maxRatio) return false;
    return !c || !Number.isFinite(maxProfile) || c.d <= maxProfile + c.noise;
  };

  const maxSpan = (o.maxSpan ?? 50) / hz;
  // How weak the join between neighbouring lines is: coupling-scale distance plus height mismatch, each 1 at its limit.
  const weakness = (a: number, b: number): number =>
    ((b - a) * hz) / maxCoupling +
    Math.log(Math.max(env[a]!, env[b]!) / Math.min(env[a]!, env[b]!)) / Math.log(maxRatio);
  const groups: Group[] = [];
  const close = (run: number[]): void => {
    // a run wider than a multiplet can be is more than one signal: split at its weakest join, then look again
    if (run.length > 1 && run[run.length - 1]! - run[0]! > maxSpan) {
      let cut = 1;
      for (let k = 2; k < run.length; k++)
        if (weakness(run[k - 1]!, run[k]!) > weakness(run[cut - 1]!, run[cut]!)) cut = k;
      close(run.slice(0, cut));
      close(run.slice(cut));
      return;
    }
    let peak = run[0]!;
    let sum = 0;
    let moment = 0;
    for (const i of run) {
      if (env[i]! > env[peak]!) peak = i;
      sum += env[i]!;
      moment += env[i]! * i;
    }
    groups.push({ first: run[0]!, last: run[run.length - 1]!, peak, lines: run.length, center: moment / sum });
  };
  let run: number[] = [lines[0]!];
  for (let k = 1; k < lines.length; k++) {
    const b = lines[k]!;
    if (joined(run[run.length - 1]!, b)) run.push(b);
    else {
      close(run);
      run = [b];
    }
  }
  close(run);
  return groups;
}

/** Growth, padding, spike filter, overlap cuts and the region cap. */
function finish(env: Float64Array, sigma: number, groups: Group[], o: FindRegionsOptions): IndexRegion[] {
  const n = env.length;
  const edge = o.edge ?? 3;
  const padding = o.padding ?? 0.5;
  const edgeFraction = o.edgeFraction ?? 0.01;
  const minWidth = o.minWidth ?? 3;
  const maxRegions = o.maxRegions ?? 64;
  const floor = sigma * edge;
  const maxGrowth = o.maxGrowth ?? 5;
  const cap = (i: number) => Math.ceil(maxGrowth * fwhm(env, i));
  type Extent = IndexRegion & { first: number; last: number; grownStart: number; grownEnd: number };
  const padded: Extent[] = [];
  for (const g of groups) {
    const height = env[g.peak]!;
    const stop = Math.max(floor, edgeFraction * height);
    const start = grow(env, g.first, -1, stop, floor, cap(g.first));
    const end = grow(env, g.last, 1, stop, floor, cap(g.last));
    if (end - start + 1 < minWidth) continue;
    // the tallest line's own extent sets the padding: for a single line, the region's width
    const c = cap(g.peak);
    const own = grow(env, g.peak, 1, stop, floor, c) - grow(env, g.peak, -1, stop, floor, c) + 1;
    const width = g.lines > 1 ? own : end - start + 1;
    const pad = Math.ceil(width * padding);
    padded.push({
      start: Math.max(0, start - pad),
      end: Math.min(n - 1, end + pad),
      peak: g.peak,
      height,
      lines: g.lines,
      center: g.center,
      first: g.first,
      last: g.last,
      grownStart: start,
      grownEnd: end,
    });
  }
  // Neighbours whose padding would overlap keep their grown extents on that side (the points between stay out of
  // both: each region's own tail is lost in proportion, the other signal's tail would not be); grown extents that
  // still overlap are cut at the envelope minimum between the facing lines.
  const merged: Extent[] = [];
  for (const r of padded) {
    const last = merged[merged.length - 1];
    const next = { ...r };
    if (last && next.start <= last.end) {
      last.end = Math.max(last.last, Math.min(last.end, last.grownEnd));
      next.start = Math.min(next.first, Math.max(next.start, next.grownStart));
      if (next.start <= last.end) {
        const cut = valleyBetween(env, last.last, next.first);
        last.end = Math.max(last.last, cut - 1);
        next.start = Math.min(next.first, cut);
      }
    }
    merged.push(next);
  }
  const out: IndexRegion[] = merged.map(({ start, end, peak, height, lines, center }) => ({
    start,
    end,
    peak,
    height,
    lines,
    center,
  }));
  if (out.length <= maxRegions) return out;
  return out
    .slice()
    .sort((a, b) => b.height - a.height)
    .slice(0, maxRegions)
    .sort((a, b) => a.start - b.start);
}

/**
 * Walks from `from` in direction `dir` while above `stop`, not climbing out of a valley and at most `maxSteps`
 * points; returns the last index.
 */
function grow(
  env: Float64Array,
  from: number,
  dir: 1 | -1,
  stop: number,
  noiseFloor: number,
  maxSteps = Infinity,
): number {
  let k = from;
  let low = env[from]!;
  while (k + dir >= 0 && k + dir < env.length && Math.abs(k + dir - from) <= maxSteps) {
    const v = env[k + dir]!;
    if (v <= stop || v > 1.5 * low + noiseFloor) break;
    k += dir;
    if (v < low) low = v;
  }
  return k;
}

/**
 * Full width at half height of the line at `i`, in points (at least 1): from the half-height crossings, or twice
 * the free side's half width where a neighbour's valley comes first.
 */
function fwhm(env: Float64Array, i: number): number {
  const half = env[i]! / 2;
  const side = (dir: 1 | -1): { w: number; free: boolean } => {
    let k = i;
    let low = env[i]!;
    while (k + dir >= 0 && k + dir < env.length) {
      const v = env[k + dir]!;
      if (v <= half) return { w: Math.abs(k + dir - i), free: true };
      if (v > low) return { w: Math.abs(k - i), free: false };
      low = v;
      k += dir;
    }
    return { w: Math.abs(k - i), free: false };
  };
  const l = side(-1);
  const r = side(1);
  const w = l.free && r.free ? l.w + r.w : l.free ? 2 * l.w : r.free ? 2 * r.w : l.w + r.w;
  return Math.max(1, w);
}
