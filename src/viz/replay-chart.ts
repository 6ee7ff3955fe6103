/** Renders a replay layout (replay-layout.ts) into an SVG with D3. */
import { select } from 'd3-selection';
import type { ReplayLayout } from './replay-layout';

export * from './replay-layout';

export function renderReplay(svg: SVGSVGElement, l: ReplayLayout, title: string): void {
  const s = select(svg).attr('viewBox', `0 0 ${l.width} ${l.height}`).attr('role', 'img').attr('aria-label', title);
  // Attributes that never change are set when an element is created; a redraw writes only
  // what moves (a replay has a few hundred elements and is redrawn after every run).
  s.selectAll('text.rp-row')
    .data(l.rows)
    .join((enter) => enter.append('text').attr('class', 'rp-row').attr('x', 4))
    .attr('y', (r) => r.y + 3)
    .text((r) => r.label);
  s.selectAll('text.rp-tick')
    .data(l.ticks)
    .join((enter) => enter.append('text').attr('class', 'rp-tick').attr('text-anchor', 'middle'))
    .attr('x', (t) => t.x)
    .attr('y', l.height - 4)
    .text((t) => t.label);
  s.selectAll('line.rp-wait')
    .data(l.waits)
    .join('line')
    .attr('class', (w) => `rp-wait rp-${w.kind}`)
    .attr('x1', (w) => w.x1)
    .attr('x2', (w) => w.x2)
    .attr('y1', (w) => w.y)
    .attr('y2', (w) => w.y);
  s.selectAll<SVGCircleElement, ReplayLayout['marks'][number]>('circle.rp-mark')
    .data(l.marks)
    .join((enter) => {
      const c = enter.append('circle').attr('r', 3.5);
      c.append('title');
      return c;
    })
    .attr('class', (m) => `rp-mark rp-${m.outcome}`)
    .attr('cx', (m) => m.x)
    .attr('cy', (m) => m.y)
    .select('title')
    .text((m) => m.label);
}
