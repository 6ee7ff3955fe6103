/**
 * The throttling lab's settings (what the sliders hold) and how they become a load simulator
 * config. Plain data, so that the page, the worker and the tests share it.
 */
import { strategy, type LoadConfig, type MixEntry, type RateProfile } from '../../engine/loadsim';
import { symmetricQuota, type QuotaPreset } from '../../engine/quotas';

export interface LabSettings {
  seed: number;
  region: string;
  preset: QuotaPreset;
  clients: number;
  /** Each client's peak rate, requests per second. */
  rps: number;
  profile: RateProfile['kind'];
  durationS: number;
  mix: string;
  strategies: string[];
  cacheMaxAgeS: number;
  cacheMaxMessages: number;
  raiseFactor: number;
  /** Which strategy's client to replay. */
  replay: string;
  /** For the bill: customer managed keys and the rotations each has had. */
  keys: number;
  rotations: number;
}

export const DEFAULT_SETTINGS: LabSettings = {
  seed: 1,
  region: 'sa-east-1',
  preset: 'current',
  clients: 100,
  rps: 200,
  profile: 'steady',
  durationS: 60,
  mix: 'envelope',
  strategies: ['no-retry', 'sdk-standard', 'sdk-adaptive'],
  cacheMaxAgeS: 60,
  cacheMaxMessages: 100,
  raiseFactor: 2,
  replay: 'sdk-standard',
  keys: 1,
  rotations: 0,
};

export const MIXES: Record<string, { label: string; mix: MixEntry[] }> = {
  envelope: {
    label: 'Envelope encryption: GenerateDataKey + Decrypt',
    mix: [
      { action: 'GenerateDataKey', weight: 1 },
      { action: 'Decrypt', weight: 1 },
    ],
  },
  'encrypt-decrypt': {
    label: 'Encrypt + Decrypt (symmetric key)',
    mix: [
      { action: 'Encrypt', weight: 1 },
      { action: 'Decrypt', weight: 1 },
    ],
  },
  'guide-example': {
    label: "The guide's example: 9,500 GenerateDataKey : 1,000 Encrypt",
    mix: [
      { action: 'GenerateDataKey', weight: 9.5 },
      { action: 'Encrypt', weight: 1 },
    ],
  },
  mixed: {
    label: 'Mixed: 85% symmetric, 5% RSA sign, 5% ECC sign, 5% DescribeKey',
    mix: [
      { action: 'GenerateDataKey', weight: 45 },
      { action: 'Decrypt', weight: 40 },
      { action: 'Sign', keySpec: 'RSA_2048', weight: 5 },
      { action: 'Sign', keySpec: 'ECC_NIST_P256', weight: 5 },
      { action: 'DescribeKey', weight: 5 },
    ],
  },
  rsa: { label: 'RSA_2048 Sign only', mix: [{ action: 'Sign', keySpec: 'RSA_2048', weight: 1 }] },
  ecc: { label: 'ECC_NIST_P256 Verify only', mix: [{ action: 'Verify', keySpec: 'ECC_NIST_P256', weight: 1 }] },
};

export function rateProfile(s: LabSettings): RateProfile {
  switch (s.profile) {
    case 'steady':
      return { kind: 'steady', rps: s.rps };
    case 'ramp':
      return { kind: 'ramp', from: 0, to: s.rps };
    case 'burst': {
      const forS = Math.max(1, Math.round(s.durationS / 6));
      return { kind: 'burst', base: s.rps / 5, peak: s.rps, atS: Math.round(s.durationS / 3), forS };
    }
  }
}

export function loadConfig(s: LabSettings): LoadConfig {
  return {
    seed: s.seed,
    region: s.region,
    preset: s.preset,
    durationS: s.durationS,
    clients: s.clients,
    rate: rateProfile(s),
    mix: MIXES[s.mix]?.mix ?? MIXES.envelope!.mix,
    strategies: s.strategies.map((id) => {
      const st = strategy(id, { symmetricQuota: symmetricQuota(s.preset, s.region), raiseFactor: s.raiseFactor });
      if (st.caching) st.caching = { maxAgeS: s.cacheMaxAgeS, maxMessages: s.cacheMaxMessages };
      if (id === 'raised-quota') st.label = `Quota increase (×${s.raiseFactor}) + SDK standard`;
      return st;
    }),
    replayCalls: 150,
    keys: s.keys,
    rotationsPerKey: s.rotations,
  };
}
