/**
 * Seeded identifiers (key ids, request ids, event ids) so a scenario replays the same way.
 * Never used for key material, IVs or data keys: those come from the CSPRNG in crypto/.
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
    while (out.length < chars) out += this.next32().toString(16).padStart(8, '0');
    return out.slice(0, chars);
  }

  /** A v4-shaped UUID, lower-case, 8-4-4-4-12. */
  uuid(): string {
    const h = this.hex(32).split('');
    h[12] = '4';
    h[16] = '89ab'[parseInt(h[16]!, 16) & 3]!;
    const s = h.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }
}
