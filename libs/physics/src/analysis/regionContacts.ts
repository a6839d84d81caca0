/**
 * How many cell borders two regions of a distribution share (8-neighbourhood in 2D, adjacent nodes in 1D; `n2` the
 * length of the second axis, 1 for 1D): 0 when they do not touch. Peaks of a watershed touch where a saddle split
 * them.
 */
export function regionContacts(a: ArrayLike<number>, b: ArrayLike<number>, n2: number): number {
  const inB = new Set(Array.from(b));
  let count = 0;
  for (let k = 0; k < a.length; k++) {
    const c = a[k]!;
    const i = Math.floor(c / n2);
    const j = c - i * n2;
    for (let di = -1; di <= 1; di++) {
      for (let dj = -1; dj <= 1; dj++) {
        if ((di === 0 && dj === 0) || j + dj < 0 || j + dj >= n2) continue;
        if (inB.has((i + di) * n2 + j + dj)) count++;
      }
    }
  }
  return count;
}
