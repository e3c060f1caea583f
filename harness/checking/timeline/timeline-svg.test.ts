import { describe, expect, it } from 'vitest';
import { ALL, build } from '../history/history.fixture.js';
import { renderTimelineSvg } from './timeline-svg.js';

describe('renderTimelineSvg', () => {
  const history = () => build()
    .observe('linux01', 0, ALL).observe('linux02', 0, [])
    .fault('stop-heartbeat', 1000, 20_000)
    .observe('linux01', 3000, []).observe('linux01', 4000, 'unknown', {}, 'node sampler silent for 2500 ms')
    .observe('linux02', 9000, ALL, { drbd: 'cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate' })
    .write(1, 500, 'ok').write(2, 2000, 'fail', 2000).write(3, 6000, 'info', 5000).write(4, 12_000, 'ok').write(5, 13_000, 'pending')
    .note('heal', 20_000).history;
  const render = () => renderTimelineSvg(history(), { title: 'S1 <stop> & heal' });

  it('is one self-contained SVG with the title escaped', () => {
    const svg = render();
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(svg).toContain('S1 &lt;stop&gt; &amp; heal');
    expect(svg).not.toMatch(/<script|href="http/);
  });

  it('has a lane per node with every resource, the fault window, unknown stretches and the notes', () => {
    const svg = render();
    expect(svg.match(/font-weight="bold">linux0[12]</g)).toHaveLength(2);
    for (const resource of ['drbdPrimary', 'mounted', 'vip', 'mysqld', 'DRBD']) expect(svg.match(new RegExp(`>${resource}</text>`, 'g'))?.length, resource).toBeGreaterThanOrEqual(2);
    expect(svg).toContain('fault: stop-heartbeat');
    expect(svg).toContain('<title>stop-heartbeat on [&quot;linux01&quot;]: 19.0 s</title>');
    expect(svg).toContain('fill="url(#unknown)"><title>unknown: node sampler silent for 2500 ms</title>');
    expect(svg).toContain('<title>linux02 holds vip for');
    expect(svg).toContain('<title>heal</title>');
  });

  it('marks every client op at its latency, coloured by outcome', () => {
    const svg = render();
    const marks = svg.match(/<circle [^>]*><title>[^<]*<\/title><\/circle>/g) ?? [];
    expect(marks).toHaveLength(5);
    expect(marks.filter((m) => m.includes('#2ca02c'))).toHaveLength(2);
    expect(marks.filter((m) => m.includes('#d62728'))).toHaveLength(1);
    expect(svg).toContain('writer-1 write info 5000 ms');
    expect(svg).toContain('writer-1 write pending 10000 ms');
  });

  it('draws the acknowledged writes per second, and thins thousands of acknowledged marks', () => {
    const b = build();
    for (let i = 0; i < 9000; i++) b.write(i + 1, i * 10, i === 4500 ? 'fail' : 'ok', 5);
    const svg = renderTimelineSvg(b.history, { title: 't' });
    const marks = svg.match(/<circle /g) ?? [];
    expect(marks.length).toBeLessThanOrEqual(4001);
    expect(marks.length).toBeGreaterThan(2000);
    expect(svg).toContain('writer-1 write fail');
    expect(svg).toContain('one acknowledged op in 3 shown (8999 in all)');
    expect(svg).toMatch(/<text [^>]*>writes\/s<\/text>/);
    expect(svg).toContain('steady 100, faulted -');
    expect((svg.match(/<polyline points="([^"]*)"/)?.[1] ?? '').split(' ')).toHaveLength(90);
  });

  it('says so for an empty history', () => {
    expect(renderTimelineSvg(build().history, { title: 'x' })).toContain('x: empty history');
  });
});
