/**
 * sha256.ts against node:crypto: every length from 0 to 300 bytes (each padding case: the length field in the
 * message's last block or in a block of its own) and random lengths up to 20 000, over seeded random bytes.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRng } from '@lapis/physics';
import { sha256Hex } from './sha256';

const reference = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('sha256Hex', () => {
  it('gives the standard’s digests of "" and "abc"', () => {
    expect(sha256Hex(new Uint8Array())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex(new TextEncoder().encode('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('gives node:crypto’s digest for every length to 300 bytes and random lengths to 20 000', () => {
    const rng = createRng(20261208);
    const lengths = [
      ...Array.from({ length: 301 }, (_, n) => n),
      ...Array.from({ length: 40 }, () => rng.int(301, 20000)),
    ];
    for (const n of lengths) {
      const bytes = Uint8Array.from({ length: n }, () => rng.int(0, 255));
      expect(sha256Hex(bytes), `${n} bytes`).toBe(reference(bytes));
    }
  });
});
