import { describe, expect, it } from 'vitest';
import { markdownToHtml } from './render.js';
import { markdownCell } from '../../checking/signoff/signoff-table.js';

describe('markdownToHtml', () => {
  it('renders the sign-off table, a finding\'s < & and | as text, never as markup or a new cell', () => {
    const finding = markdownCell('UNSAFE: DOUBLE-vip <linux01|linux02> & more\nsecond line');
    const html = markdownToHtml(`# t\n\n- measured today\n\n| scenario | verdict | timeline |\n|---|---|---|\n| F1 | ${finding} | [timeline](scenarios/f1/timeline.svg) |\n`);
    expect(html).toContain('<th>scenario</th>');
    expect(html).toContain('<td>UNSAFE: DOUBLE-vip &lt;linux01|linux02&gt; &amp; more second line</td>');
    expect(html).toContain('<td>timeline.svg in reports/scenarios/f1/timeline.svg</td>');
    expect(html.match(/<td>/g)).toHaveLength(3);
    expect(html).toContain('<li>measured today</li>');
    expect(markdownToHtml('<script>alert(1)</script>')).not.toContain('<script>');
  });
});
