/** Messages between the envelope lab and its Web Worker (the worker does the bulk crypto). */
import type { DecryptionMaterials, EncryptionMaterials, MessageHeader } from '../../engine/esdk';

export type WorkerRequest =
  | {
      op: 'encrypt';
      id: number;
      /** A file, or a generated input of this many bytes. */
      source: Blob | number;
      frameLength: number;
      materials: EncryptionMaterials;
      /** Keep the output (for download and decryption); huge generated runs may discard it. */
      keep: boolean;
    }
  | { op: 'decrypt'; id: number; source: Blob; materials: DecryptionMaterials; keep: boolean };

export type WorkerResponse =
  | { id: number; type: 'progress'; bytesIn: number; total: number }
  | {
      id: number;
      type: 'done';
      output?: Blob;
      /** The first bytes of the output (up to 4 MiB: a small message whole, else its header and first frames), or a plaintext preview. */
      head: Uint8Array;
      bytesIn: number;
      bytesOut: number;
      ms: number;
      messageHeader: MessageHeader;
    }
  | { id: number; type: 'error'; message: string; bytesOut: number };
