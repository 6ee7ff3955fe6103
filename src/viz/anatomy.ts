/**
 * The ciphertext anatomy view: a bar of coloured byte ranges with their labels, the
 * encryption context drawn beside it as AAD (bound by the tag, not stored in the blob), and
 * an optional marker on a tampered byte. The table of the same fields is the text equivalent
 * (drawn by the page).
 */
import { select } from 'd3-selection';
import { anatomyLayout, locateByte, type AnatomyField, type Segment } from './anatomy-layout';

export * from './anatomy-layout';

export interface AnatomyOptions {
  /** Total blob length, for the caption. */
  length: number;
  /** The encryption context sent with the call (AAD), if any. */
  context?: Record<string, string> | null;
  /** A byte that was changed on purpose (tamper), to mark. */
  tamperedOffset?: number | null;
}

const W = 560;
const BAR_Y = 26;
const BAR_H = 46;

export function renderAnatomy(svg: SVGSVGElement, fields: AnatomyField[], opts: AnatomyOptions): Segment[] {
  const segs = anatomyLayout(fields, W - 20, 44);
  const ctxEntries = Object.entries(opts.context ?? {});
  const H = BAR_Y + BAR_H + 96;
  const s = select(svg)
    .attr('viewBox', `0 0 ${W} ${H}`)
    .attr('preserveAspectRatio', 'xMidYMid meet')
    .attr('role', 'img')
    .attr('aria-label', `Ciphertext blob of ${opts.length} bytes, in ${fields.length} labelled parts`);
  s.selectAll('*').remove();
  const g = s.append('g').attr('transform', 'translate(10,0)');

  g.append('text')
    .attr('class', 'an-caption')
    .attr('x', 0)
    .attr('y', 16)
    .text(`CiphertextBlob: ${opts.length} bytes (simulated layout; real KMS blobs are opaque)`);

  const seg = g
    .selectAll<SVGGElement, Segment>('g.an-seg')
    .data(segs)
    .join('g')
    .attr('class', 'an-seg')
    .attr('data-field', (d) => d.name)
    .attr('transform', (d) => `translate(${d.x},${BAR_Y})`);
  seg.append('title').text((d) => `${d.name}: bytes ${d.start}–${d.end - 1} (${d.bytes}). ${d.explain}`);
  seg
    .append('rect')
    .attr('width', (d) => Math.max(0, d.w - 2))
    .attr('height', BAR_H)
    .attr('rx', 4)
    .attr('fill', (d) => d.color);
  seg
    .append('text')
    .attr('class', 'an-seg-name')
    .attr('x', (d) => d.w / 2)
    .attr('y', 19)
    .attr('text-anchor', 'middle')
    .text((d) => shortName(d.name, d.w));
  seg
    .append('text')
    .attr('class', 'an-seg-len')
    .attr('x', (d) => d.w / 2)
    .attr('y', 36)
    .attr('text-anchor', 'middle')
    .text((d) => `${d.bytes} B`);

  if (opts.tamperedOffset != null) {
    const loc = locateByte(segs, opts.tamperedOffset);
    if (loc) {
      const x = loc.segment.x + loc.at * loc.segment.w;
      const t = g.append('g').attr('class', 'an-tamper').attr('transform', `translate(${x},${BAR_Y})`);
      t.append('path').attr('d', `M0,-2 L-6,-12 L6,-12 Z`);
      t.append('line').attr('x1', 0).attr('x2', 0).attr('y1', 0).attr('y2', BAR_H);
      t.append('text').attr('x', 8).attr('y', -4).text(`byte ${opts.tamperedOffset} changed`);
    }
  }

  // The AAD box: the encryption context is authenticated by the tag but never stored in the blob.
  const tag = segs.find((d) => /tag/i.test(d.name));
  const boxY = BAR_Y + BAR_H + 28;
  const box = g.append('g').attr('class', 'an-aad');
  box
    .append('rect')
    .attr('x', 0)
    .attr('y', boxY)
    .attr('width', W - 20)
    .attr('height', 52)
    .attr('rx', 6);
  const ctxText = ctxEntries.length
    ? `Encryption context ${ctxEntries.map(([k, v]) => `${k}=${v}`).join(', ')}`
    : 'Encryption context: none (empty)';
  box
    .append('text')
    .attr('x', 12)
    .attr('y', boxY + 21)
    .attr('class', 'an-aad-title')
    .text(truncate(ctxText, 62));
  box
    .append('text')
    .attr('x', 12)
    .attr('y', boxY + 40)
    .text('Bound as AAD, not stored in the blob: Decrypt needs the same context.');
  if (tag) {
    const tx = tag.x + tag.w / 2;
    box
      .append('path')
      .attr('class', 'an-aad-link')
      .attr('d', `M${tx},${BAR_Y + BAR_H + 2} L${tx},${boxY - 2}`);
  }
  return segs;
}

function shortName(name: string, w: number): string {
  const maxChars = Math.floor(w / 8.5);
  if (name.length <= maxChars) return name;
  const short: Record<string, string> = {
    'Format version': 'Ver',
    'Key reference type': 'Ref',
    'Key id': 'Key id',
    'Key material id': 'Material',
    'Authentication tag': 'Tag',
    Ciphertext: 'Ciphertext',
    IV: 'IV',
  };
  const s = short[name] ?? name;
  return s.length <= maxChars ? s : s.slice(0, Math.max(1, maxChars - 1)) + '…';
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
