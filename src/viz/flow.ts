/**
 * The flow view: Client → IAM → KMS → HSM → CloudTrail drawn with D3, and a token that
 * travels the nodes a call's trace passed through. The player (an XState machine in the UI)
 * decides which hop to play; this module only draws and animates one hop at a time.
 */
import { select, type Selection } from 'd3-selection';
import 'd3-transition';
import { easeCubicInOut } from 'd3-ease';
import type { FlowNode, Trace } from '../engine/trace';
import {
  ALL_FLOW_NODES,
  FLOW_HEIGHT,
  flowNodesFor,
  FLOW_WIDTH,
  NODE_H,
  NODE_POS,
  NODE_W,
  TRAVEL_MS,
  flowPlan,
  hopPath,
  pauseMs,
  type Hop,
} from './flow-plan';

export * from './flow-plan';

const SUBLABEL: Record<FlowNode, string> = {
  Client: 'you / your app',
  IAM: 'who? allowed?',
  KMS: 'key service',
  HSM: 'keys never leave',
  CloudTrail: 'audit log',
  S3: 'object storage',
};

type G = Selection<SVGGElement, unknown, null, undefined>;

export class FlowView {
  private root: G;
  private token: Selection<SVGCircleElement, unknown, null, undefined>;
  private motion: Selection<SVGPathElement, unknown, null, undefined>;
  private badges: G;
  private regionLabel: Selection<SVGTextElement, unknown, null, undefined>;
  private plan: Hop[] = [];
  private at: FlowNode = 'Client';
  private generation = 0;
  /** Draw the S3 node even for a trace that does not pass through it (the S3 lab). */
  alwaysS3 = false;

  constructor(svg: SVGSVGElement) {
    const s = select(svg)
      .attr('viewBox', `0 0 ${FLOW_WIDTH} ${FLOW_HEIGHT}`)
      .attr('preserveAspectRatio', 'xMidYMid meet')
      .attr('role', 'img')
      .attr('aria-label', 'Flow of the selected call through Client, IAM, KMS, HSM and CloudTrail');
    s.selectAll('*').remove();
    const defs = s.append('defs');
    defs
      .append('marker')
      .attr('id', 'flow-arrow')
      .attr('viewBox', '0 0 10 10')
      .attr('refX', 9)
      .attr('refY', 5)
      .attr('markerWidth', 7)
      .attr('markerHeight', 7)
      .attr('orient', 'auto-start-reverse')
      .append('path')
      .attr('d', 'M0,0 L10,5 L0,10 z')
      .attr('class', 'flow-arrowhead');
    this.root = s.append('g').attr('class', 'flow');

    // The KMS region box holds KMS and its HSM fleet.
    const k = NODE_POS.KMS;
    const h = NODE_POS.HSM;
    this.root
      .append('rect')
      .attr('class', 'flow-region')
      .attr('x', k.x - NODE_W / 2 - 22)
      .attr('y', k.y - NODE_H / 2 - 30)
      .attr('width', NODE_W + 44)
      .attr('height', h.y - k.y + NODE_H + 42)
      .attr('rx', 12);
    this.regionLabel = this.root
      .append('text')
      .attr('class', 'flow-region-label')
      .attr('x', k.x - NODE_W / 2 - 14)
      .attr('y', k.y - NODE_H / 2 - 12)
      .text('us-east-1');

    const links: [FlowNode, FlowNode][] = [
      ['Client', 'IAM'],
      ['IAM', 'KMS'],
      ['KMS', 'HSM'],
      ['KMS', 'CloudTrail'],
    ];
    this.root
      .append('g')
      .attr('class', 'flow-links')
      .selectAll('path')
      .data(links)
      .join('path')
      .attr('class', 'flow-link')
      .attr('d', ([a, b]) => hopPath(a, b));
    // S3 sits under IAM: it is asked after IAM authenticates, and asks KMS itself.
    const s3Links: [FlowNode, FlowNode][] = [
      ['IAM', 'S3'],
      ['S3', 'KMS'],
    ];
    this.root
      .append('g')
      .attr('class', 'flow-links flow-s3-only')
      .selectAll('path')
      .data(s3Links)
      .join('path')
      .attr('class', 'flow-link')
      .attr('d', ([a, b]) => hopPath(a, b));
    this.root
      .append('path')
      .attr('class', 'flow-link flow-return')
      .attr('d', hopPath('KMS', 'Client'))
      .attr('marker-end', 'url(#flow-arrow)');

    const nodes = this.root
      .append('g')
      .attr('class', 'flow-nodes')
      .selectAll<SVGGElement, FlowNode>('g')
      .data(ALL_FLOW_NODES)
      .join('g')
      .attr('class', (d) => `flow-node node-${d}${d === 'S3' ? ' flow-s3-only' : ''}`)
      .attr('data-node', (d) => d)
      .attr('transform', (d) => `translate(${NODE_POS[d].x},${NODE_POS[d].y})`);
    nodes
      .append('rect')
      .attr('x', -NODE_W / 2)
      .attr('y', -NODE_H / 2)
      .attr('width', NODE_W)
      .attr('height', NODE_H)
      .attr('rx', 10);

    this.badges = this.root.append('g').attr('class', 'flow-badges');
    this.motion = this.root.append('path').attr('class', 'flow-motion').attr('fill', 'none').attr('stroke', 'none');
    this.token = this.root
      .append('circle')
      .attr('class', 'flow-token')
      .attr('r', 12)
      .attr('cx', NODE_POS.Client.x)
      .attr('cy', NODE_POS.Client.y)
      .attr('opacity', 0);
    // Node names sit above the token, so a token resting on a node never hides its name.
    const labels = this.root
      .append('g')
      .attr('class', 'flow-labels')
      .attr('pointer-events', 'none')
      .selectAll<SVGGElement, FlowNode>('g')
      .data(ALL_FLOW_NODES)
      .join('g')
      .attr('class', (d) => (d === 'S3' ? 'flow-s3-only' : null))
      .attr('transform', (d) => `translate(${NODE_POS[d].x},${NODE_POS[d].y})`);
    labels
      .append('text')
      .attr('class', 'flow-node-name')
      .attr('y', -3)
      .attr('text-anchor', 'middle')
      .text((d) => d);
    labels
      .append('text')
      .attr('class', 'flow-node-sub')
      .attr('y', 16)
      .attr('text-anchor', 'middle')
      .text((d) => SUBLABEL[d]);
    this.showNodes(flowNodesFor(null));
  }

  setRegion(region: string): void {
    this.regionLabel.text(`KMS in ${region}`);
  }

  /** Loads a trace (or clears the view) and puts the token at the client. */
  load(trace: Trace | null): Hop[] {
    this.generation++;
    this.token.interrupt();
    this.plan = trace ? flowPlan(trace) : [];
    this.showNodes(flowNodesFor(trace, this.alwaysS3));
    this.at = 'Client';
    this.badges.selectAll('*').remove();
    this.root.selectAll('.flow-node').classed('visited', false).classed('failed', false).classed('current', false);
    this.token
      .attr('class', 'flow-token')
      .attr('cx', NODE_POS.Client.x)
      .attr('cy', NODE_POS.Client.y)
      .attr('opacity', trace ? 1 : 0);
    return this.plan;
  }

  /**
   * Plays hop `i`: the token travels to the hop's node, the node shows its badge, and the
   * token pauses there (longer at a decision). Resolves when done; a later load() or
   * showAll() cancels it (resolving to false).
   */
  playHop(i: number, speed: number): Promise<boolean> {
    const hop = this.plan[i];
    if (!hop) return Promise.resolve(false);
    const gen = this.generation;
    const travel = i === 0 ? 0 : TRAVEL_MS / speed;
    const pause = pauseMs(hop) / speed;
    const path = hopPath(this.at, hop.node);
    this.motion.attr('d', path);
    const el = this.motion.node();
    const len = el ? el.getTotalLength() : 0;
    return new Promise<boolean>((resolve) => {
      const arrive = () => {
        if (gen !== this.generation) return resolve(false);
        this.arrive(hop);
        setTimeout(() => resolve(gen === this.generation), pause);
      };
      if (travel <= 0 || !el || len === 0) {
        const p = NODE_POS[hop.node];
        this.token.attr('cx', p.x).attr('cy', p.y);
        arrive();
        return;
      }
      this.token
        .transition()
        .duration(travel)
        .ease(easeCubicInOut)
        .attrTween('cx', () => (t) => String(el.getPointAtLength(t * len).x))
        .attrTween('cy', () => (t) => String(el.getPointAtLength(t * len).y))
        .on('end', arrive)
        .on('interrupt', () => resolve(false));
    });
  }

  /** Shows the S3 node and its links only when they are among `nodes`. */
  showNodes(nodes: readonly FlowNode[]): void {
    const s3 = nodes.includes('S3');
    this.root.selectAll('.flow-s3-only').attr('display', s3 ? null : 'none');
    const names = nodes.join(', ').replace(/, ([^,]+)$/, ' and $1');
    select(this.root.node()?.ownerSVGElement ?? null).attr('aria-label', `Flow of the selected call through ${names}`);
  }

  /** Jumps to the end state (reduced motion, skip, or a call selected from the timeline). */
  showAll(): void {
    this.generation++;
    this.token.interrupt();
    for (const hop of this.plan) this.arrive(hop);
  }

  private arrive(hop: Hop): void {
    this.at = hop.node;
    const p = NODE_POS[hop.node];
    this.token.attr('cx', p.x).attr('cy', p.y);
    this.root.selectAll<SVGGElement, FlowNode>('.flow-node').classed('current', (d) => d === hop.node);
    const node = this.root.select<SVGGElement>(`.node-${hop.node}`);
    node.classed('visited', true);
    if (hop.failed) node.classed('failed', true);
    if (hop.final) {
      this.token.attr('class', `flow-token ${hop.final.outcome}`);
      this.root.selectAll('.flow-node').classed('current', false);
    }
    this.badge(hop);
  }

  private badge(hop: Hop): void {
    if (!hop.badge) return;
    const p = NODE_POS[hop.node];
    // Badges sit under their node; the HSM's and S3's to their left; the client's final answer starts at its left edge.
    const side = hop.node === 'HSM' || hop.node === 'S3';
    const left = hop.node === 'Client';
    const x = side ? p.x - NODE_W / 2 - 12 : left ? p.x - NODE_W / 2 : p.x;
    // IAM's badge goes above its node, clear of the client's answer below.
    const y = side ? p.y : hop.node === 'IAM' ? p.y - NODE_H / 2 - 16 : p.y + NODE_H / 2 + 22;
    this.badges.selectAll(`[data-for="${hop.node}"]`).remove();
    const g = this.badges
      .append('g')
      .attr('data-for', hop.node)
      .attr('class', `flow-badge ${hop.failed ? 'bad' : hop.final ? 'good' : hop.decision ? 'decision' : ''}`)
      .attr('transform', `translate(${x},${y})`);
    const text = g
      .append('text')
      .attr('text-anchor', side ? 'end' : left ? 'start' : 'middle')
      .attr('dy', '0.35em')
      .text(truncate(hop.badge, 30));
    const bb = (text.node() as SVGTextElement | null)?.getBBox?.();
    if (bb) {
      g.insert('rect', 'text')
        .attr('x', bb.x - 6)
        .attr('y', bb.y - 3)
        .attr('width', bb.width + 12)
        .attr('height', bb.height + 6)
        .attr('rx', 6);
    }
  }

  destroy(): void {
    this.generation++;
    this.token.interrupt();
  }
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
