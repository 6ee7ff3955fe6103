/**
 * The envelope lab's page-side logic: which keyring the learner picked, the simulated KMS clients,
 * and a small promise API over the worker. Key material for the raw keyrings lives only here.
 */
import type { World } from '../../engine';
import { generateKeyPair, pem, randomBytes } from '../../engine/crypto';
import {
  type CMM,
  type DecryptionMaterials,
  type EncryptionMaterials,
  type Keyring,
  type RsaPadding,
  kmsKeyring,
  multiKeyring,
  rawAesKeyring,
  rawRsaKeyring,
} from '../../engine/esdk';
import type { WorkerRequest, WorkerResponse } from './protocol';

export type KeyringChoice = 'kms' | 'kms-two-regions' | 'kms-east' | 'kms-west' | 'raw-aes' | 'raw-aes-other' | 'raw-rsa';

export const KEYRING_LABELS: Record<KeyringChoice, string> = {
  kms: 'AWS KMS keyring: the selected KMS key',
  'kms-two-regions': 'Multi-keyring: KMS keys in us-east-1 and us-west-2',
  'kms-east': 'AWS KMS keyring: the us-east-1 lab key only',
  'kms-west': 'AWS KMS keyring: the us-west-2 lab key only',
  'raw-aes': 'Raw AES keyring (a 256-bit wrapping key held in this page)',
  'raw-aes-other': 'Raw AES keyring, same name, a different wrapping key',
  'raw-rsa': 'Raw RSA keyring (RSA-2048 held in this page)',
};

const REGIONS = { east: 'us-east-1', west: 'us-west-2' } as const;

export class LabKeys {
  private aes = randomBytes(32);
  private otherAes = randomBytes(32);
  private rsa?: { privateKeyPem: string; publicKeyPem: string };
  private regionKeys: Partial<Record<'east' | 'west', string>> = {};

  constructor(
    private world: () => World,
    private principal: () => string,
  ) {}

  client(region: string) {
    return this.world().client('kms', { region, principal: this.principal() });
  }

  /** The lab's own key in a Region, created on first use (CreateKey shows on the timeline). */
  async regionKey(which: 'east' | 'west'): Promise<string> {
    const have = this.regionKeys[which];
    if (have && this.world().kms.keys.has(have)) return have;
    const out = await this.client(REGIONS[which]).send('CreateKey', { Description: `envelope lab key (${REGIONS[which]})` });
    return (this.regionKeys[which] = out.KeyMetadata.Arn!);
  }

  async keyring(choice: KeyringChoice, selectedKeyArn: string | undefined, padding: RsaPadding): Promise<Keyring> {
    const perRegion = (region: string) => this.client(region);
    switch (choice) {
      case 'kms': {
        if (!selectedKeyArn) throw new Error('Select or create a symmetric KMS key first');
        const region = selectedKeyArn.split(':')[3]!;
        return kmsKeyring({ client: this.client(region), generatorKeyId: selectedKeyArn });
      }
      case 'kms-two-regions':
        return multiKeyring(
          kmsKeyring({ client: perRegion, generatorKeyId: await this.regionKey('east') }),
          kmsKeyring({ client: perRegion, keyIds: [await this.regionKey('west')] }),
        );
      case 'kms-east':
        return kmsKeyring({ client: perRegion, keyIds: [await this.regionKey('east')] });
      case 'kms-west':
        return kmsKeyring({ client: perRegion, keyIds: [await this.regionKey('west')] });
      case 'raw-aes':
        return rawAesKeyring({ keyNamespace: 'envelope-lab', keyName: 'aes-256', wrappingKey: this.aes });
      case 'raw-aes-other':
        return rawAesKeyring({ keyNamespace: 'envelope-lab', keyName: 'aes-256', wrappingKey: this.otherAes });
      case 'raw-rsa': {
        if (!this.rsa) {
          const kp = await generateKeyPair('RSA_2048');
          this.rsa = { privateKeyPem: pem('PRIVATE KEY', kp.privateKeyPkcs8), publicKeyPem: pem('PUBLIC KEY', kp.publicKeySpki) };
        }
        return rawRsaKeyring({ keyNamespace: 'envelope-lab', keyName: 'rsa-2048', padding, ...this.rsa });
      }
    }
  }
}

export function parseContext(text: string): Record<string, string> {
  const ec: Record<string, string> = {};
  for (const line of text.split(/\n|,/)) {
    const t = line.trim();
    if (!t) continue;
    const i = t.indexOf('=');
    if (i <= 0) throw new Error(`"${t}" is not key=value`);
    ec[t.slice(0, i).trim()] = t.slice(i + 1).trim();
  }
  return ec;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export type Done = Extract<WorkerResponse, { type: 'done' }>;

/** One worker for the page; each request gets its own id. */
export class LabWorker {
  private worker?: Worker;
  private next = 1;
  private pending = new Map<
    number,
    { resolve: (d: Done) => void; reject: (e: Error) => void; progress: (inBytes: number, total: number) => void }
  >();

  private get w(): Worker {
    if (!this.worker) {
      this.worker = new Worker(new URL('./esdk.worker.ts', import.meta.url), { type: 'module' });
      this.worker.onmessage = (e: MessageEvent<WorkerResponse>) => {
        const m = e.data;
        const p = this.pending.get(m.id);
        if (!p) return;
        if (m.type === 'progress') p.progress(m.bytesIn, m.total);
        else {
          this.pending.delete(m.id);
          if (m.type === 'done') p.resolve(m);
          else p.reject(new Error(m.message));
        }
      };
    }
    return this.worker;
  }

  private run(req: DistributiveOmit<WorkerRequest, 'id'>, progress: (inBytes: number, total: number) => void): Promise<Done> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, progress });
      this.w.postMessage({ ...req, id } as WorkerRequest);
    });
  }

  encrypt(
    source: Blob | number,
    frameLength: number,
    materials: EncryptionMaterials,
    keep: boolean,
    progress: (i: number, t: number) => void,
  ) {
    return this.run({ op: 'encrypt', source, frameLength, materials, keep }, progress);
  }

  decrypt(source: Blob, materials: DecryptionMaterials, progress: (i: number, t: number) => void) {
    return this.run({ op: 'decrypt', source, materials, keep: true }, progress);
  }
}

export function bytesLabel(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(2)} GiB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}

export type { CMM };
