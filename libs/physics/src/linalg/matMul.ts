/** C (m × n) = A (m × k) · B (k × n), all row-major. */
export function matMul(
  a: Float64Array,
  b: Float64Array,
  m: number,
  k: number,
  n: number,
  output?: Float64Array,
): Float64Array {
  const c = output ?? new Float64Array(m * n);
  c.fill(0);
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    const ai = i * k;
    for (let p = 0; p < k; p++) {
      const aip = a[ai + p]!;
      if (aip === 0) continue;
      const bp = p * n;
      for (let j = 0; j < n; j++) c[ci + j]! += aip * b[bp + j]!;
    }
  }
  return c;
}

/** C (m × n) = Aᵀ · B with A stored k × m and B k × n, row-major. */
export function matMulTransA(
  a: Float64Array,
  b: Float64Array,
  k: number,
  m: number,
  n: number,
  output?: Float64Array,
): Float64Array {
  const c = output ?? new Float64Array(m * n);
  c.fill(0);
  for (let p = 0; p < k; p++) {
    const ap = p * m;
    const bp = p * n;
    for (let i = 0; i < m; i++) {
      const api = a[ap + i]!;
      if (api === 0) continue;
      const ci = i * n;
      for (let j = 0; j < n; j++) c[ci + j]! += api * b[bp + j]!;
    }
  }
  return c;
}

/** C (m × n) = A · Bᵀ with A m × k and B n × k, row-major. */
export function matMulTransB(
  a: Float64Array,
  b: Float64Array,
  m: number,
  k: number,
  n: number,
  output?: Float64Array,
): Float64Array {
  const c = output ?? new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const ai = i * k;
    for (let j = 0; j < n; j++) {
      const bj = j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ai + p]! * b[bj + p]!;
      c[i * n + j] = s;
    }
  }
  return c;
}
