/** How the peak tests' notes print fractions and positions. */
export const pct = (f: number) => `${(100 * f).toFixed(1)} %`;
export const fmtPosition = (pos: number[]) => pos.map((v) => v.toPrecision(3)).join(' × ');
