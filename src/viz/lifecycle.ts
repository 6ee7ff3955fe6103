/**
 * The key lifecycle chart, drawn with D3 from the XState machine's definition
 * (lifecycle-graph.ts reads it), with the current state and the transitions open from it
 * highlighted.
 */
import { select } from 'd3-selection';
import type { AnyStateMachine } from 'xstate';
import {
  LABEL_LINE_H,
  STATE_H,
  STATE_W,
  layoutGraph,
  machineGraph,
  type ChartLayout,
  type MachineGraph,
  type PlacedEdge,
  type PlacedState,
} from './lifecycle-graph';

export * from './lifecycle-graph';

export interface LifecycleHighlight {
  /** The state to highlight (a key's KeyState, or 'Deleted'); null for none. */
  current: string | null;
  /** Event types the machine accepts from the current state (snapshot.can). */
  available?: ReadonlySet<string>;
}

export class LifecycleChart {
  readonly graph: MachineGraph;
  readonly layout: ChartLayout;
  private svg: SVGSVGElement;

  constructor(svg: SVGSVGElement, machine: AnyStateMachine) {
    this.svg = svg;
    this.graph = machineGraph(machine);
    this.layout = layoutGraph(this.graph);
    this.draw();
  }

  private draw(): void {
    const { width, height, states, edges } = this.layout;
    const s = select(this.svg)
      .attr('viewBox', `0 0 ${width} ${height}`)
      .attr('preserveAspectRatio', 'xMidYMid meet')
      .attr('role', 'img')
      .attr('aria-label', `State chart of the ${this.graph.id} machine`);
    s.selectAll('*').remove();
    s.append('defs')
      .append('marker')
      .attr('id', 'lc-arrow')
      .attr('viewBox', '0 0 10 10')
      .attr('refX', 9)
      .attr('refY', 5)
      .attr('markerWidth', 7)
      .attr('markerHeight', 7)
      .attr('orient', 'auto')
      .append('path')
      .attr('d', 'M0,0 L10,5 L0,10 z')
      .attr('class', 'lc-arrowhead');

    const eg = s
      .append('g')
      .attr('class', 'lc-edges')
      .selectAll<SVGGElement, PlacedEdge>('g')
      .data(edges)
      .join('g')
      .attr('class', 'lc-edge')
      .attr('data-from', (d) => d.from)
      .attr('data-to', (d) => d.to);
    eg.append('path')
      .attr('d', (d) => d.path)
      .attr('marker-end', 'url(#lc-arrow)');
    const label = eg
      .append('text')
      .attr('text-anchor', 'middle')
      .attr('y', (d) => d.labelY - ((d.lines.length - 1) * LABEL_LINE_H) / 2);
    label.append('title').text((d) => d.label);
    label
      .selectAll('tspan')
      .data((d) => d.lines.map((line, i) => ({ line, i, x: d.labelX })))
      .join('tspan')
      .attr('x', (t) => t.x)
      .attr('dy', (t) => (t.i === 0 ? '0.35em' : String(LABEL_LINE_H)))
      .text((t) => t.line);

    const sg = s
      .append('g')
      .attr('class', 'lc-states')
      .selectAll<SVGGElement, PlacedState>('g')
      .data(states)
      .join('g')
      .attr('class', (d) => `lc-state${d.final ? ' final' : ''}`)
      .attr('data-state', (d) => d.id)
      .attr('transform', (d) => `translate(${d.x},${d.y})`);
    sg.append('title').text((d) => `${d.id}: ${d.description}`);
    sg.append('rect')
      .attr('x', -STATE_W / 2)
      .attr('y', -STATE_H / 2)
      .attr('width', STATE_W)
      .attr('height', STATE_H)
      .attr('rx', (d) => (d.final ? 4 : 22));
    sg.append('text')
      .attr('text-anchor', 'middle')
      .attr('dy', '0.35em')
      .text((d) => d.id);
    // The initial state gets the usual dot-and-arrow.
    const init = states.find((x) => x.initial);
    if (init) {
      const g = s.append('g').attr('class', 'lc-initial');
      g.append('circle')
        .attr('cx', init.x - STATE_W / 2 - 16)
        .attr('cy', init.y - STATE_H / 2 - 14)
        .attr('r', 5);
      g.append('path')
        .attr('d', `M${init.x - STATE_W / 2 - 12},${init.y - STATE_H / 2 - 10} L${init.x - STATE_W / 2 + 6},${init.y - STATE_H / 2 + 4}`)
        .attr('marker-end', 'url(#lc-arrow)');
    }
  }

  highlight(h: LifecycleHighlight): void {
    const s = select(this.svg);
    s.selectAll<SVGGElement, PlacedState>('.lc-state')
      .classed('current', (d) => d.id === h.current)
      .attr('aria-current', (d) => (d.id === h.current ? 'true' : null));
    s.selectAll<SVGGElement, PlacedEdge>('.lc-edge').classed(
      'available',
      (d) => d.from === h.current && (!h.available || d.transitions.some((t) => h.available!.has(t.event))),
    );
  }
}
