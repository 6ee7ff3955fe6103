/**
 * Renders a throttle chart layout (throttle-layout.ts) into an SVG with D3: one line per
 * series, dashed quota lines, axes. Redraws replace the paths' `d`, so a slider change only
 * costs the layout and a few attribute writes.
 */
import { select } from 'd3-selection';
import type { ChartLayout } from './throttle-layout';

export * from './throttle-layout';

export function renderThrottleChart(svg: SVGSVGElement, l: ChartLayout, title: string): void {
  const s = select(svg)
    .attr('viewBox', `0 0 ${l.width} ${l.height}`)
    .attr('preserveAspectRatio', 'none')
    .attr('role', 'img')
    .attr('aria-label', title);

  const axes = s.selectAll<SVGGElement, null>('g.tc-axes').data([null]).join('g').attr('class', 'tc-axes');
  axes
    .selectAll('line.tc-grid')
    .data(l.yTicks)
    .join('line')
    .attr('class', 'tc-grid')
    .attr('x1', l.margin.left)
    .attr('x2', l.width - l.margin.right)
    .attr('y1', (t) => t.y)
    .attr('y2', (t) => t.y);
  axes
    .selectAll('text.tc-y')
    .data(l.yTicks)
    .join('text')
    .attr('class', 'tc-y')
    .attr('x', l.margin.left - 4)
    .attr('y', (t) => t.y + 3)
    .attr('text-anchor', 'end')
    .text((t) => t.label);
  axes
    .selectAll('text.tc-x')
    .data(l.xTicks)
    .join('text')
    .attr('class', 'tc-x')
    .attr('x', (t) => t.x)
    .attr('y', l.height - 6)
    .attr('text-anchor', 'middle')
    .text((t) => t.label);

  s.selectAll('path.tc-line')
    .data(l.paths, (p) => (p as { key: string }).key)
    .join('path')
    .attr('class', (p) => `tc-line tc-${p.key}`)
    .attr('data-series', (p) => p.key)
    .attr('fill', 'none')
    .attr('d', (p) => p.d);

  const q = s
    .selectAll<SVGGElement, ChartLayout['quotas'][number]>('g.tc-quota')
    .data(l.quotas)
    .join((enter) => {
      const g = enter.append('g').attr('class', 'tc-quota');
      g.append('line');
      g.append('text');
      return g;
    });
  q.select('line')
    .attr('x1', l.margin.left)
    .attr('x2', l.width - l.margin.right)
    .attr('y1', (d) => d.y)
    .attr('y2', (d) => d.y);
  q.select('text')
    .attr('x', l.width - l.margin.right - 2)
    .attr('y', (d) => d.y - 3)
    .attr('text-anchor', 'end')
    .text((d) => d.label);
}
