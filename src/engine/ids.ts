/**
 * Seeded identifiers (key ids, request ids, event ids) so a scenario replays the same way.
 * Never used for key material, IVs or data keys: those come from the world's random source (the
 * CSPRNG, or crypto/drbg.ts in a world with reproducible crypto).
 * The generator is sfc32 seeded through splitmix32; its whole state is four numbers,
 * which is what the world saves.
 */
export type IdState = [number, number, number, number];

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class SeededIds {
  private s: IdState;

  constructor(seedOrState: number | IdState = 1) {
    if (Array.isArray(seedOrState)) {
      this.s = [...seedOrState] as IdState;
    } else {
      const sm = splitmix32(seedOrState);
      this.s = [sm(), sm(), sm(), sm()];
    }
  }

  state(): IdState {
    return [...this.s] as IdState;
  }

  /** sfc32: one 32-bit unsigned integer. */
  next32(): number {
    let [a, b, c, d] = this.s;
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    this.s = [a >>> 0, b, c, d];
    return t;
  }

  hex(chars: number): string {
    let out = '';
    while (out.length < chars) out += hex8(this.next32());
    return out.length === chars ? out : out.slice(0, chars);
  }

  /** A v4-shaped UUID, lower-case, 8-4-4-4-12 (version nibble 4, variant bits 10). */
  uuid(): string {
    const a = hex8(this.next32());
    const b = hex8(((this.next32() & 0xffff0fff) | 0x00004000) >>> 0);
    const c = hex8(((this.next32() & 0x3fffffff) | 0x80000000) >>> 0);
    const d = hex8(this.next32());
    return `${a}-${b.slice(0, 4)}-${b.slice(4)}-${c.slice(0, 4)}-${c.slice(4)}${d}`;
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Eight hex digits of a 32-bit number; ids are made on every call, so this is a table lookup. */
function hex8(n: number): string {
  return HEX[n >>> 24]! + HEX[(n >>> 16) & 255]! + HEX[(n >>> 8) & 255]! + HEX[n & 255]!;
}
