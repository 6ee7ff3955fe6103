/**
 * Reads exact byte counts from a message that arrives in chunks (a Web Stream, or one buffer).
 * Memory holds only what has been asked for: a huge length field in a hostile message does not
 * allocate anything; it fails as a truncation when the input ends, or at once when the total
 * input length is known.
 */
export class EsdkTruncated extends Error {}

export class ByteReader {
  private chunks: Uint8Array[] = [];
  private head = 0; // offset into chunks[0]
  private available = 0;
  private ended = false;
  /** Bytes consumed so far (the offset of the next byte in the message). */
  position = 0;

  constructor(
    private readonly source: AsyncIterator<Uint8Array> | Iterator<Uint8Array>,
    /** Total input length when known (a buffer): lets impossible lengths fail before any reading. */
    readonly totalLength?: number,
  ) {}

  static of(bytes: Uint8Array): ByteReader {
    return new ByteReader([bytes][Symbol.iterator](), bytes.length);
  }

  static fromStream(stream: ReadableStream<Uint8Array>): ByteReader {
    const reader = stream.getReader();
    return new ByteReader({
      next: () => reader.read() as Promise<IteratorResult<Uint8Array>>,
      return: async () => {
        await reader.cancel().catch(() => {});
        return { done: true, value: undefined };
      },
    });
  }

  private async pull(): Promise<boolean> {
    if (this.ended) return false;
    const r = await this.source.next();
    if (r.done) {
      this.ended = true;
      return false;
    }
    if (!(r.value instanceof Uint8Array)) throw new TypeError('ESDK input chunks must be Uint8Array');
    if (r.value.length) {
      // A plain view even for Node Buffers, whose slice() would not copy.
      this.chunks.push(
        r.value.constructor === Uint8Array ? r.value : new Uint8Array(r.value.buffer, r.value.byteOffset, r.value.byteLength),
      );
      this.available += r.value.length;
    }
    return true;
  }

  /** Exactly n bytes; throws EsdkTruncated (naming `what`) if the input ends first. */
  async read(n: number, what: string): Promise<Uint8Array> {
    if (!Number.isSafeInteger(n) || n < 0) throw new EsdkTruncated(`Truncated message: ${what} claims an impossible length ${n}`);
    if (this.totalLength !== undefined && this.position + n > this.totalLength) throw this.truncated(what, n);
    while (this.available < n) if (!(await this.pull())) throw this.truncated(what, n);
    this.position += n;
    this.available -= n;
    const first = this.chunks[0];
    if (n === 0) return new Uint8Array(0);
    if (first && first.length - this.head >= n) {
      const out = first.subarray(this.head, this.head + n);
      this.head += n;
      if (this.head === first.length) {
        this.chunks.shift();
        this.head = 0;
      }
      return out;
    }
    const out = new Uint8Array(n);
    let off = 0;
    while (off < n) {
      const c = this.chunks[0]!;
      const take = Math.min(n - off, c.length - this.head);
      out.set(c.subarray(this.head, this.head + take), off);
      off += take;
      this.head += take;
      if (this.head === c.length) {
        this.chunks.shift();
        this.head = 0;
      }
    }
    return out;
  }

  async u8(what: string): Promise<number> {
    return (await this.read(1, what))[0]!;
  }
  async u16(what: string): Promise<number> {
    const b = await this.read(2, what);
    return (b[0]! << 8) | b[1]!;
  }
  async u32(what: string): Promise<number> {
    const b = await this.read(4, what);
    return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  }

  /** True when no byte is left. */
  async atEnd(): Promise<boolean> {
    while (this.available === 0) if (!(await this.pull())) return true;
    return false;
  }

  /** Stops the underlying source (on error or early exit). */
  async cancel(): Promise<void> {
    await this.source.return?.();
  }

  private truncated(what: string, n: number): EsdkTruncated {
    return new EsdkTruncated(`Truncated message: the input ended while reading ${what} (${n} bytes needed at offset ${this.position})`);
  }
}
