/**
 * What the WebAssembly kernels export (libs/physics/assembly/index.ts), as the TypeScript side calls them: byte
 * offsets into the kernels' memory, sizes and scalars. kernels.ts loads the module and checks every name is there.
 */

/** The parts of the WebAssembly API used here (the project's TypeScript libraries do not declare it). */
export interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}
export interface WasmGlobal {
  value: number;
}
export interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}

export interface KernelExports {
  memory: WasmMemory;
  nnls(
    a: number,
    b: number,
    m: number,
    n: number,
    x: number,
    passive: number,
    useStart: number,
    maxIterations: number,
    tolerance: number,
    scratch: number,
  ): number;
  nnlsScratchBytes(m: number, n: number): number;
  nnlsIterations: WasmGlobal;
  nnlsConverged: WasmGlobal;
  symmetricEigen(a: number, n: number, values: number, vectors: number, scratch: number): number;
  symmetricEigenScratchBytes(n: number): number;
  transpose(src: number, rows: number, cols: number, dst: number): void;
  packPanels(b: number, k: number, n: number, rowsAreColumns: number, panel: number): void;
  productPacked(a: number, panel: number, m: number, k: number, n: number, c: number): void;
  choleskyInPlace(a: number, n: number): number;
  choleskySolveInPlace(l: number, n: number, b: number): void;
  dualPrimal(z: number, n: number, lambda1: number, lambda2: number, f: number, mask: number, idx: number): number;
  addScaled(y: number, t: number, x: number, n: number): void;
  laplacian(n1: number, n2: number, f: number, out: number): void;
  applyPenalty(n1: number, n2: number, lambda: number, v: number, out: number, work: number): void;
  penaltyDiagonal(n1: number, n2: number, lambda: number, out: number): void;
  upenWeights(
    n1: number,
    n2: number,
    f: number,
    energy: number,
    beta0: number,
    betaP: number,
    betaC: number,
    out: number,
    work: number,
  ): void;
  applyScratchBytes(n1: number, n2: number, r1: number, r2: number): number;
  compressedApply(
    f: number,
    n1: number,
    n2: number,
    a1: number,
    a2: number,
    r1: number,
    r2: number,
    pi: number,
    pj: number,
    s: number,
    rowsUsed: number,
    nRows: number,
    jUsed: number,
    out: number,
    scratch: number,
  ): void;
  compressedHalfApplyT(
    c: number,
    pairs: number,
    s: number,
    a1: number,
    n1: number,
    r1: number,
    r2: number,
    rowsUsed: number,
    nRows: number,
    colsUsed: number,
    jUsed: number,
    cFull: number,
    t2: number,
  ): void;
  exactStep(
    a0: number,
    a1: number,
    z: number,
    dz: number,
    lambda1: number,
    n: number,
    cell: number,
    brk: number,
  ): number;
  operatorGramScratchBytes(n1: number, n2: number, p1Count: number, p2Count: number): number;
  operatorGram(
    w: number,
    n1: number,
    n2: number,
    a1Pair: number,
    p1Count: number,
    q2: number,
    p2Count: number,
    p1UsedList: number,
    nUsed: number,
    pi: number,
    pj: number,
    s: number,
    pIndex1: number,
    r1: number,
    pIndex2: number,
    r2: number,
    out: number,
    scratch: number,
  ): void;
  groupedOuterSums(a: number, n: number, g: number, rows: number, starts: number, out: number): void;
  rowPairProducts(a: number, r: number, n: number, out: number): void;
  cellGramEntries(
    q1: number,
    q2: number,
    g: number,
    n1: number,
    n2: number,
    idx: number,
    q: number,
    out: number,
    scratch: number,
  ): void;
  freeSetFactor(...args: number[]): number;
  matchedCurve(a: number, rows: number, cols: number, u: number, w: number, curve: number): void;
  recoveryKernel(e: number, len: number, beta: number, k: number): void;
  columnGram(data: number, m: number, n: number, gram: number): void;
  gramDiagonal(...args: number[]): void;
  absRowColSums(data: number, m1: number, m2: number, rowSum: number, colSum: number): void;
  v8ExpArray(x: number, n: number, out: number): void;
  componentWindow(...args: number[]): void;
  scaleColumns(x: number, rows: number, cols: number, scale: number): void;
  geometricMean(a: number, b: number, n: number): void;
  componentResidual(target: number, s: number, sigs: number, amps: number, count: number, r: number): number;
  unconstrainedResidual2(sv2: number, m: number, n: number, alpha: number): number;
  exponentialRows(
    x: number,
    m: number,
    rate: number,
    n: number,
    decay: number,
    c0: number,
    c1: number,
    d: number,
  ): void;
  evenKernelRows(
    anchors: number,
    step: number,
    m: number,
    n: number,
    decay: number,
    c0: number,
    c1: number,
    d: number,
  ): void;
  normalEquations(jac: number, r: number, n: number, s: number, jtj: number, jtr: number): void;
  componentProject(
    g: number,
    lo: number,
    hi: number,
    na: number,
    nb: number,
    b0: number,
    a2: number,
    r2: number,
    n2: number,
    a1: number,
    n1: number,
    base: number,
    pi: number,
    pj: number,
    s: number,
    u: number,
    sig: number,
  ): void;
  componentJacobian(...args: number[]): void;
  upenFreeSet(
    n1: number,
    n2: number,
    f: number,
    g: number,
    pf: number,
    kDiag: number,
    pDiag: number,
    free: number,
  ): number;
  upenProgress(f: number, previous: number, free: number, n: number, out: number): void;
  /** The numeric text layout's fast path over Latin-1 bytes (libs/formats' NumberTextParser). */
  decimalRun(text: number, start: number, end: number, out: number, capacity: number): number;
  decimalRunCount: WasmGlobal;
  maxAbsFinite(data: number, n: number): number;
  positivePart(src: number, n: number, dst: number, out: number): void;
  watershedScratchBytes(n: number): number;
  watershedRegions(
    v: number,
    n1: number,
    n2: number,
    level: number,
    saddleRatio: number,
    minSplitMass: number,
    diagonals: number,
    regionStarts: number,
    regionCells: number,
    scratch: number,
  ): number;
  residualEnergy(data: number, fitted: number, n: number, out: number): void;
  squaresAndMaxAbs(data: number, n: number, out: number): void;
  residualStatistics(
    data: number,
    fitted: number,
    n: number,
    shape: number,
    axes: number,
    lagWanted: number,
    residual: number,
    out: number,
  ): number;
}

/** Every function the TypeScript side calls: a kernels.wasm older than its sources (one lacking any) is not used. */
export const FUNCTIONS = [
  'nnls',
  'nnlsScratchBytes',
  'symmetricEigen',
  'symmetricEigenScratchBytes',
  'transpose',
  'packPanels',
  'productPacked',
  'choleskyInPlace',
  'choleskySolveInPlace',
  'dualPrimal',
  'addScaled',
  'laplacian',
  'applyPenalty',
  'penaltyDiagonal',
  'upenWeights',
  'applyScratchBytes',
  'compressedApply',
  'compressedHalfApplyT',
  'exactStep',
  'operatorGramScratchBytes',
  'operatorGram',
  'groupedOuterSums',
  'rowPairProducts',
  'cellGramEntries',
  'freeSetFactor',
  'matchedCurve',
  'recoveryKernel',
  'evenKernelRows',
  'columnGram',
  'gramDiagonal',
  'absRowColSums',
  'v8ExpArray',
  'componentWindow',
  'exponentialRows',
  'scaleColumns',
  'geometricMean',
  'componentResidual',
  'unconstrainedResidual2',
  'normalEquations',
  'componentProject',
  'componentJacobian',
  'upenFreeSet',
  'upenProgress',
  'residualStatistics',
  'decimalRun',
  'maxAbsFinite',
  'positivePart',
  'watershedScratchBytes',
  'watershedRegions',
  'residualEnergy',
  'squaresAndMaxAbs',
] as const;
