/**
 * A message's anatomy without any key: which byte range is which field. For the lab's byte-range
 * view; decryption never depends on it. Stops with a `problem` field where the bytes stop making
 * sense, and summarises runs of regular frames past `maxFrames` so a 2 GB message stays cheap.
 */
import { toBase64, toHex } from '../crypto';
import { FINAL_FRAME_MARKER, parseEncryptionContext, readU32, readU64 } from './serialize';
import { SUITES, hexId } from './suites';

export interface MessageField {
  start: number;
  end: number;
  /** 'header' | 'edk' | 'header-auth' | 'frame' | 'final-frame' | 'body' | 'footer' | 'problem' */
  section: string;
  label: string;
  /** A short, human reading of the bytes. */
  value: string;
}

const lossy = new TextDecoder();

export function describeMessage(b: Uint8Array, maxFrames = 64): MessageField[] {
  const out: MessageField[] = [];
  let p = 0;
  const field = (n: number, section: string, label: string, value: (x: Uint8Array) => string) => {
    if (p + n > b.length) throw new Error(`truncated: ${label} needs ${n} bytes at offset ${p}`);
    const x = b.subarray(p, p + n);
    out.push({ start: p, end: p + n, section, label, value: value(x) });
    p += n;
    return x;
  };
  const num = (x: Uint8Array) => x.reduce((a, c) => a * 256 + c, 0);
  const hex = (x: Uint8Array) => (x.length > 48 ? `${toHex(x.subarray(0, 24))}… (${x.length} bytes)` : toHex(x));
  try {
    const version = field(1, 'header', 'Version', (x) => `${x[0]} (message format v${x[0]})`)[0];
    if (version !== 1 && version !== 2) throw new Error('unknown version');
    if (version === 1) field(1, 'header', 'Type', (x) => `0x${x[0]!.toString(16)} (customer authenticated encrypted data)`);
    const suiteId = num(field(2, 'header', 'Algorithm suite ID', (x) => `${hexId(num(x))} ${SUITES.get(num(x))?.name ?? '(unknown)'}`));
    const suite = SUITES.get(suiteId);
    if (!suite) throw new Error(`unknown suite ${hexId(suiteId)}`);
    field(suite.messageIdLength, 'header', 'Message ID', hex);
    const aadLen = num(field(2, 'header', 'Encryption context length', (x) => `${num(x)} bytes`));
    if (aadLen) field(aadLen, 'header', 'Encryption context', (x) => JSON.stringify(parseEncryptionContext(x)));
    const count = num(field(2, 'header', 'Encrypted data key count', (x) => String(num(x))));
    for (let i = 1; i <= count; i++) {
      const s = `edk`;
      const idLen = num(field(2, s, `EDK #${i} provider ID length`, (x) => String(num(x))));
      const pid = lossy.decode(field(idLen, s, `EDK #${i} provider ID`, (x) => lossy.decode(x)));
      const infoLen = num(field(2, s, `EDK #${i} provider info length`, (x) => String(num(x))));
      field(infoLen, s, `EDK #${i} provider info`, (x) => (pid === 'aws-kms' ? lossy.decode(x) : hex(x)));
      const kLen = num(field(2, s, `EDK #${i} encrypted data key length`, (x) => String(num(x))));
      field(kLen, s, `EDK #${i} encrypted data key`, hex);
    }
    const ct = field(1, 'header', 'Content type', (x) => (x[0] === 2 ? '2 (framed)' : x[0] === 1 ? '1 (non-framed)' : String(x[0])))[0];
    if (version === 1) {
      field(4, 'header', 'Reserved', hex);
      field(1, 'header', 'IV length', (x) => String(x[0]));
    }
    const frameLength = num(field(4, 'header', 'Frame length', (x) => `${num(x)} bytes`));
    if (suite.suiteDataLength) field(suite.suiteDataLength, 'header', 'Algorithm suite data (commit key)', hex);
    if (version === 1) field(12, 'header-auth', 'Header IV', hex);
    field(16, 'header-auth', 'Header authentication tag', hex);
    if (ct === 1) {
      field(12, 'body', 'IV', hex);
      const len = readU64(field(8, 'body', 'Encrypted content length', (x) => `${readU64(x)} bytes`));
      field(len, 'body', 'Encrypted content', (x) => `${x.length} bytes`);
      field(16, 'body', 'Authentication tag', hex);
    } else {
      for (let seq = 1; ; seq++) {
        if (p + 4 > b.length) throw new Error('truncated before the final frame');
        if (readU32(b, p) === FINAL_FRAME_MARKER) {
          const s = 'final-frame';
          field(4, s, 'Final frame marker', () => 'FFFFFFFF');
          field(4, s, 'Final frame sequence number', (x) => String(readU32(x)));
          field(12, s, 'Final frame IV', hex);
          const len = readU32(field(4, s, 'Final frame content length', (x) => `${readU32(x)} bytes`));
          field(len, s, 'Final frame encrypted content', (x) => `${x.length} bytes`);
          field(16, s, 'Final frame authentication tag', hex);
          break;
        }
        const size = 4 + 12 + frameLength + 16;
        if (seq > maxFrames) {
          // Summarise the regular frames that remain as one range.
          const finalAt = findFinal(b, p, size);
          const n = (finalAt - p) / size;
          out.push({
            start: p,
            end: finalAt,
            section: 'frame',
            label: `Frames ${seq}–${seq + n - 1}`,
            value: `${n} frames of ${frameLength} bytes`,
          });
          p = finalAt;
          seq += n - 1;
          continue;
        }
        field(4, 'frame', `Frame ${seq} sequence number`, (x) => String(readU32(x)));
        field(12, 'frame', `Frame ${seq} IV`, hex);
        field(frameLength, 'frame', `Frame ${seq} encrypted content`, (x) => `${x.length} bytes`);
        field(16, 'frame', `Frame ${seq} authentication tag`, hex);
      }
    }
    if (suite.signature) {
      const len = num(field(2, 'footer', 'Signature length', (x) => `${num(x)} bytes`));
      field(len, 'footer', `Signature (ECDSA ${suite.signature.curve}, DER)`, (x) => toBase64(x).slice(0, 40) + '…');
    }
    if (p < b.length)
      out.push({ start: p, end: b.length, section: 'problem', label: 'Trailing bytes', value: `${b.length - p} bytes after the message` });
  } catch (e) {
    out.push({ start: p, end: b.length, section: 'problem', label: 'Unreadable', value: e instanceof Error ? e.message : String(e) });
  }
  return out;
}

function findFinal(b: Uint8Array, p: number, size: number): number {
  while (p + 4 <= b.length && readU32(b, p) !== FINAL_FRAME_MARKER) p += size;
  if (p + 4 > b.length) throw new Error('truncated before the final frame');
  return p;
}
