/**
 * One simulated world as the page sees it: who is acting and where, the timeline of calls and
 * clock moves, what is selected, and what the action bar should prefill. The sandbox has one
 * session (saved to IndexedDB); each Learn scenario gets its own (not saved).
 *
 * The world itself is a plain engine object; `version` is bumped after every change so that
 * everything reading the world through this session re-renders.
 */
import {
  DEFAULT_REGION,
  HOME_ACCOUNT,
  type CallRecord,
  type CloudTrailEvent,
  type Duration,
  type KmsKey,
  type World,
  type WorldSnapshot,
} from '../../engine';
import { SvelteMap } from 'svelte/reactivity';
import { keyMetadata } from '../../engine/kms/key';
import type { KeyMetadata } from '../../engine/kms/shapes';
import { b64, errorMessage, formatContext, fromTagged, toTagged } from '../lib/codec';

export type CallEntry = { id: number; kind: 'call'; rec: CallRecord; atMs: number };
export type ClockEntry = { id: number; kind: 'clock'; fromMs: number; toMs: number; label: string; events: CloudTrailEvent[] };
export type Entry = CallEntry | ClockEntry;

export interface KeyView {
  key: KmsKey;
  meta: KeyMetadata;
  aliases: string[];
}

/** Where a ciphertext came from: lets the page explain a failed Decrypt precisely. */
export interface Provenance {
  action: string;
  keyArn: string;
  context?: Record<string, string>;
  entryId: number;
}

export interface Tamper {
  offset: number;
  from: number;
  to: number;
  /** The untouched blob, base64. */
  original: string;
}

/** A request from anywhere on the page to open an action in the action bar, prefilled. */
export interface ActionRequest {
  action: string;
  values: Record<string, string>;
  focus?: string;
  /** Send it at once instead of just filling the form. */
  send?: boolean;
  seq: number;
}

/** Where in a policy text a MalformedPolicyDocumentException points (the page marks that line). */
export interface PolicyLocation {
  line: number;
  column: number;
  path: string;
}

export type SendResult =
  { ok: true; output: Record<string, unknown> } | { ok: false; error: { name: string; message: string; policyLocation?: PolicyLocation } };

/** AWS services a principal can call KMS through (kms:ViaService = <service>.<region>.amazonaws.com). */
export const VIA_SERVICES = ['s3', 'ec2', 'secretsmanager', 'ssm', 'lambda'] as const;

export const ADMIN = `arn:aws:iam::${HOME_ACCOUNT}:role/Admin`;
const MAX_ENTRIES = 300;

export interface SavedUi {
  entries: unknown;
  region: string;
  principal: string;
  selectedKeyArn: string | null;
  nextId: number;
  via?: string;
}

export class Session {
  world: World = $state.raw(null as unknown as World);
  entries: Entry[] = $state.raw([]);
  version = $state(0);
  region = $state(DEFAULT_REGION);
  principal = $state(ADMIN);
  /** An AWS service the KMS calls go through on the principal's behalf ('' = called directly). */
  via = $state('');
  selectedEntryId: number | null = $state(null);
  selectedKeyArn: string | null = $state(null);
  /** Bumped whenever a key is picked (even the same one again), so forms refill its id. */
  keyPicks = $state(0);
  inspectorTab: 'call' | 'key' | 'iam' | 'trail' = $state('call');
  /** Prefill values from the latest outputs (CiphertextBlob, Signature, Mac, ...). */
  prefill: Record<string, string> = $state({});
  actionRequest: ActionRequest | null = $state.raw(null);
  /** A line of a key policy to show (from the authorization explanation's "line" links). */
  policyFocus: { keyArn: string; line: number; seq: number } | null = $state.raw(null);
  busy = $state(false);
  readonly provenance = new SvelteMap<string, Provenance>();
  readonly tampered = new SvelteMap<string, Tamper>();
  /** Called after every change (the sandbox saves itself here). */
  onChange: (() => void) | null = null;
  private nextId = 1;
  private seq = 0;
  private off: (() => void) | null = null;

  constructor(world: World, saved?: SavedUi) {
    this.attach(world);
    if (saved) this.restoreUi(saved);
  }

  /** Switches to another world (import, reset, a new scenario step); the timeline starts over. */
  attach(world: World): void {
    this.off?.();
    this.world = world;
    this.entries = [];
    this.selectedEntryId = null;
    this.selectedKeyArn = null;
    this.provenance.clear();
    this.tampered.clear();
    this.prefill = {};
    this.off = world.onCall((rec) => this.record(rec));
    if (!world.principal(this.principal)) this.principal = ADMIN;
    this.version++;
  }

  detach(): void {
    this.off?.();
    this.off = null;
  }

  get account(): string {
    return this.world.principal(this.principal)?.account ?? HOME_ACCOUNT;
  }

  get now(): Date {
    void this.version;
    return this.world.clock.now();
  }

  /** Keys of the acting account in the current region, oldest first, with their aliases. */
  readonly keys: KeyView[] = $derived.by(() => {
    void this.version;
    const account = this.account;
    const region = this.region;
    const aliases = [...this.world.kms.aliases.values()].filter((a) => a.account === account && a.region === region);
    return [...this.world.kms.keys.values()]
      .filter((k) => k.account === account && k.region === region)
      .sort((a, b) => a.creationMs - b.creationMs)
      .map((key) => ({
        key,
        meta: keyMetadata(key),
        aliases: aliases
          .filter((a) => a.targetKeyId === key.keyId)
          .map((a) => a.name)
          .sort(),
      }));
  });

  get selectedKey(): KeyView | null {
    const arn = this.selectedKeyArn;
    if (!arn) return null;
    return this.keys.find((k) => k.key.arn === arn) ?? null;
  }

  /** The selected key's ARN points at a key that no longer exists (it was deleted). */
  get selectedKeyGone(): boolean {
    void this.version;
    return !!this.selectedKeyArn && !this.world.kms.keys.has(this.selectedKeyArn);
  }

  get selectedEntry(): Entry | null {
    const id = this.selectedEntryId;
    return id == null ? null : (this.entries.find((e) => e.id === id) ?? null);
  }

  selectKey(arn: string | null): void {
    this.selectedKeyArn = arn;
    this.keyPicks++;
    this.inspectorTab = 'key';
  }

  selectEntry(id: number | null): void {
    this.selectedEntryId = id;
    this.inspectorTab = 'call';
  }

  /** Opens the key inspector on a key policy's line (when the key is in the current account and region). */
  showPolicyLine(keyArn: string, line: number): boolean {
    if (!this.keys.some((k) => k.key.arn === keyArn)) return false;
    this.selectKey(keyArn);
    this.policyFocus = { keyArn, line, seq: ++this.seq };
    return true;
  }

  /** Opens an action in the action bar with these values (and optionally sends it). */
  request(action: string, values: Record<string, string> = {}, opts: { focus?: string; send?: boolean } = {}): void {
    this.actionRequest = { action, values, seq: ++this.seq, ...opts };
  }

  /** Permissive mode: every call is evaluated and explained, but nothing is denied (saved with the world). */
  get permissive(): boolean {
    void this.version;
    return this.world.permissive;
  }

  set permissive(on: boolean) {
    this.world.permissive = on;
    this.changed();
  }

  /**
   * Request quotas in the sandbox (saved with the world). Off by default: the virtual clock
   * stands still between clicks, so every call of a session would fall into one second.
   */
  get quotas(): boolean {
    void this.version;
    return this.world.quotas.enforce;
  }

  set quotas(on: boolean) {
    this.world.quotas.configure({ enforce: on });
    this.changed();
  }

  client() {
    return this.world.client('kms', { region: this.region, principal: this.principal, ...(this.via ? { via: this.via } : {}) });
  }

  /**
   * Sends one KMS call. Never throws: an AWS error (or anything else) comes back as a value.
   * `keepTab`: a panel of the inspector (the policy editor, grants, IAM) sent it and shows the
   * answer itself, so the inspector stays on that panel instead of switching to the call.
   */
  async send(action: string, input: unknown, opts: { keepTab?: boolean } = {}): Promise<SendResult> {
    return this.sendWith(() => this.client().send(action as never, input as never), opts.keepTab);
  }

  /** Sends one IAM call as the acting principal (IAM is global: never through a service). */
  async sendIam(action: string, input: unknown, opts: { keepTab?: boolean } = {}): Promise<SendResult> {
    const iam = this.world.client('iam', { principal: this.principal });
    return this.sendWith(() => iam.send(action as never, input as never), opts.keepTab);
  }

  /** Sends one S3 call as the acting principal in the current region (S3 calls KMS itself). */
  async sendS3(action: string, input: unknown, opts: { keepTab?: boolean; insecure?: boolean } = {}): Promise<SendResult> {
    const s3 = this.world.client('s3', { principal: this.principal, region: this.region, ...(opts.insecure ? { insecure: true } : {}) });
    return this.sendWith(() => s3.send(action as never, input as never), opts.keepTab);
  }

  private holdTab = 0;

  private async sendWith(call: () => Promise<unknown>, keepTab = false): Promise<SendResult> {
    this.busy = true;
    if (keepTab) this.holdTab++;
    try {
      const output = (await call()) as Record<string, unknown>;
      return { ok: true, output: output ?? {} };
    } catch (e) {
      const err = e as { name?: unknown; message?: unknown; policyLocation?: PolicyLocation };
      const error: { name: string; message: string; policyLocation?: PolicyLocation } = {
        name: typeof err?.name === 'string' ? err.name : 'Error',
        message: typeof err?.message === 'string' ? err.message : errorMessage(e),
      };
      if (err?.policyLocation && typeof err.policyLocation.line === 'number') error.policyLocation = err.policyLocation;
      return { ok: false, error };
    } finally {
      if (keepTab) this.holdTab--;
      this.busy = false;
      this.changed();
    }
  }

  /** Puts a grant token in the action bar's GrantTokens field (shared by every action that takes it). */
  useGrantToken(token: string, action = 'Encrypt'): void {
    this.request(action, { GrantTokens: token }, { focus: 'GrantTokens' });
  }

  /** Moves the virtual clock; scheduled deletions and automatic rotations that fall due happen. */
  advance(d: Duration, label: string): { ok: true } | { ok: false; error: string } {
    try {
      const events = this.world.cloudtrail.events;
      const lastId = events[events.length - 1]?.eventID;
      const fromMs = this.world.clock.nowMs();
      this.world.advance(d);
      const all = this.world.cloudtrail.events;
      const idx = lastId ? all.findIndex((e) => e.eventID === lastId) : -1;
      const happened = all.slice(idx + 1);
      const entry: ClockEntry = { id: this.nextId++, kind: 'clock', fromMs, toMs: this.world.clock.nowMs(), label, events: happened };
      this.push(entry);
      this.selectedEntryId = entry.id;
      return { ok: true };
    } catch (e) {
      return { ok: false, error: errorMessage(e) };
    } finally {
      this.changed();
    }
  }

  markTampered(tampered: Uint8Array, t: Tamper): void {
    this.tampered.set(b64(tampered), t);
  }

  changed(): void {
    this.version++;
    try {
      this.onChange?.();
    } catch {
      /* saving must never break the page */
    }
  }

  private push(e: Entry): void {
    const list = [...this.entries, e];
    this.entries = list.length > MAX_ENTRIES ? list.slice(list.length - MAX_ENTRIES) : list;
  }

  private record(rec: CallRecord): void {
    const entry: CallEntry = { id: this.nextId++, kind: 'call', rec, atMs: this.world.clock.nowMs() };
    this.push(entry);
    this.selectedEntryId = entry.id;
    if (!this.holdTab) this.inspectorTab = 'call';
    this.index(entry, true);
  }

  /** Learns from a call: where ciphertexts came from, what to prefill next, which key is new. */
  /**
   * `live`: a call that just happened (it may also select the key it created); otherwise an
   * entry restored from storage (it only refills provenance and prefills, oldest first).
   */
  private index(entry: CallEntry, live: boolean): void {
    const { rec } = entry;
    if (rec.error) return;
    const input = (rec.input ?? {}) as Record<string, unknown>;
    const output = (rec.output ?? {}) as Record<string, unknown>;
    const blob = output.CiphertextBlob;
    if (blob instanceof Uint8Array) {
      const context = (rec.action === 'ReEncrypt' ? input.DestinationEncryptionContext : input.EncryptionContext) as
        Record<string, string> | undefined;
      const p: Provenance = { action: rec.action, keyArn: String(output.KeyId ?? ''), entryId: entry.id };
      if (context) p.context = context;
      this.provenance.set(b64(blob), p);
      // Decrypt of an RSA ciphertext needs the key and the algorithm; a symmetric one needs neither.
      const alg = rec.action === 'Encrypt' && typeof output.EncryptionAlgorithm === 'string' ? output.EncryptionAlgorithm : '';
      const rsa = alg.startsWith('RSAES');
      this.prefill = {
        ...this.prefill,
        CiphertextBlob: b64(blob),
        EncryptionContext: formatContext(context),
        EncryptionAlgorithm: rsa ? alg : '',
        DecryptKeyId: rsa ? String(output.KeyId ?? '') : '',
      };
    }
    if (rec.action === 'Sign' && output.Signature instanceof Uint8Array) {
      this.prefill = { ...this.prefill, Signature: b64(output.Signature), SigningAlgorithm: String(output.SigningAlgorithm ?? '') };
    }
    if (rec.action === 'GenerateMac' && output.Mac instanceof Uint8Array) {
      this.prefill = { ...this.prefill, Mac: b64(output.Mac), MacAlgorithm: String(output.MacAlgorithm ?? '') };
    }
    if (rec.action === 'CreateGrant' && typeof output.GrantId === 'string') {
      this.prefill = { ...this.prefill, GrantId: output.GrantId, GrantToken: String(output.GrantToken ?? '') };
    }
    if (rec.action === 'GetKeyPolicy' && typeof output.Policy === 'string') {
      this.prefill = { ...this.prefill, Policy: output.Policy };
    }
    if (live && rec.action === 'CreateKey') {
      const md = output.KeyMetadata as { Arn?: string } | undefined;
      if (md?.Arn) {
        this.selectedKeyArn = md.Arn;
        this.keyPicks++;
      }
    }
  }

  saveUi(): SavedUi {
    return {
      entries: toTagged(this.entries),
      region: this.region,
      principal: this.principal,
      selectedKeyArn: this.selectedKeyArn,
      nextId: this.nextId,
      via: this.via,
    };
  }

  private restoreUi(s: SavedUi): void {
    try {
      if (typeof s.region === 'string' && (this.world.regions as readonly string[]).includes(s.region)) this.region = s.region;
      if (typeof s.principal === 'string' && this.world.principal(s.principal)) this.principal = s.principal;
      if (typeof s.selectedKeyArn === 'string') this.selectedKeyArn = s.selectedKeyArn;
      if (typeof s.via === 'string' && (s.via === '' || (VIA_SERVICES as readonly string[]).includes(s.via))) this.via = s.via;
      const r = fromTagged(s.entries);
      if (r.ok && Array.isArray(r.value)) {
        const entries = (r.value as Entry[]).filter((e) => e && (e.kind === 'call' || e.kind === 'clock') && typeof e.id === 'number');
        this.entries = entries;
        for (const e of entries) if (e.kind === 'call') this.index(e, false);
        this.nextId = Math.max(typeof s.nextId === 'number' ? s.nextId : 1, ...entries.map((e) => e.id + 1));
        this.selectedEntryId = entries[entries.length - 1]?.id ?? null;
      }
    } catch {
      /* a damaged saved timeline is dropped; the world itself was restored */
    }
    this.version++;
  }

  snapshot(): WorldSnapshot {
    return this.world.snapshot();
  }
}
