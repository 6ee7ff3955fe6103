/**
 * The S3 PutObject flow machine drawn from its definition (the lifecycle chart's layout and
 * renderer), with the path the last request took and the path its mode can take marked.
 */
import { select } from 'd3-selection';
import type { AnyStateMachine } from 'xstate';
import { LifecycleChart, type PlacedEdge, type PlacedState } from './lifecycle';
import { pathEdges, type FlowPath } from './s3-flow-paths';

export * from './s3-flow-paths';
export { machineGraph } from './lifecycle-graph';

export class S3FlowChart {
  readonly chart: LifecycleChart;
  constructor(
    private svg: SVGSVGElement,
    machine: AnyStateMachine,
  ) {
    this.chart = new LifecycleChart(svg, machine);
    select(svg).attr('aria-label', 'State chart of the S3 PutObject request flow');
  }

  /** `taken`: the states of the last request, in order; `possible`: what its mode allows. */
  highlight(taken: string[], possible: FlowPath): void {
    const takenEdges = pathEdges(taken);
    const last = taken[taken.length - 1] ?? null;
    const s = select(this.svg);
    s.selectAll<SVGGElement, PlacedState>('.lc-state')
      .classed('taken', (d) => taken.includes(d.id))
      .classed('possible', (d) => possible.states.has(d.id))
      .classed('current', (d) => d.id === last)
      .attr('aria-current', (d) => (d.id === last ? 'true' : null));
    s.selectAll<SVGGElement, PlacedEdge>('.lc-edge')
      .classed('taken', (d) => takenEdges.has(`${d.from}>${d.to}`))
      .classed('possible', (d) => possible.edges.has(`${d.from}>${d.to}`));
  }
}
