// Typed access to linear memory: the kernels take byte offsets of arrays the JavaScript side has placed there.

export function ld(base: usize, i: i32): f64 {
  return load<f64>(base + ((<usize>i) << 3));
}

export function st(base: usize, i: i32, v: f64): void {
  store<f64>(base + ((<usize>i) << 3), v);
}

export function ldu8(base: usize, i: i32): u8 {
  return load<u8>(base + <usize>i);
}

export function stu8(base: usize, i: i32, v: u8): void {
  store<u8>(base + <usize>i, v);
}

export function ldi32(base: usize, i: i32): i32 {
  return load<i32>(base + ((<usize>i) << 2));
}

export function sti32(base: usize, i: i32, v: i32): void {
  store<i32>(base + ((<usize>i) << 2), v);
}
