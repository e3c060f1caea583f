import { completions, FAULT_PROCESSES, faultWindows, stateIntervals, type History, type StateInterval } from '../history/history.js';
import { throughput } from '../history/throughput.js';
import { RESOURCES } from '../../cluster/heartbeat/holdings.js';

/**
 * The scenario as a picture, after Jepsen's timeline and latency plots: one lane per node with
 * what it held when (unknown hatched), the fault windows shaded, every client operation as a
 * mark at its latency, coloured by outcome (acknowledged ones thinned past MAX_OK_MARKS), and the
 * acknowledged writes per second. Self-contained SVG: no script, no external files.
 */
const WIDTH = 1200;
const LEFT = 150;
const RIGHT = 20;
const ROW = 16;
const LANE_GAP = 14;
const LATENCY_HEIGHT = 160;
const THROUGHPUT_HEIGHT = 60;
/** Acknowledged ops drawn at most (every k-th beyond): 8 writers for minutes would make a picture no browser opens. */
const MAX_OK_MARKS = 4000;

const COLOURS: Record<string, string> = {
  drbdPrimary: '#1f77b4', mounted: '#9467bd', vip: '#2ca02c', mysqld: '#ff7f0e',
  ok: '#2ca02c', fail: '#d62728', info: '#ff9f1c', pending: '#7f7f7f',
};

const escape = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

function drbdColour(words: string | undefined): string {
  if (!words || words === 'powered off') return '#444';
  if (/cs:Connected/.test(words) && /ds:UpToDate\/UpToDate/.test(words)) return '#b7e1b7';
  if (/cs:Sync/.test(words)) return '#9ecae1';
  if (/cs:(StandAlone|Unconfigured)/.test(words)) return '#e6550d';
  return '#fdd0a2';
}

export interface TimelineOptions {
  title: string;
}

export function renderTimelineSvg(history: History, options: TimelineOptions): string {
  const events = history.events();
  if (!events.length) return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="40"><text x="10" y="25">${escape(options.title)}: empty history</text></svg>`;
  const start = events[0].at;
  const end = Math.max(events[events.length - 1].at, start + 1000);
  const x = (at: number) => LEFT + ((at - start) / (end - start)) * (WIDTH - LEFT - RIGHT);
  const nodes = history.nodes();
  const laneRows = RESOURCES.length + 1;
  const laneHeight = laneRows * ROW + LANE_GAP;
  const lanesTop = 50;
  const latencyTop = lanesTop + nodes.length * laneHeight + 30;
  const throughputTop = latencyTop + LATENCY_HEIGHT + 24;
  const height = throughputTop + THROUGHPUT_HEIGHT + 50;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="11">`);
  parts.push('<defs><pattern id="unknown" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#eee"/><line x1="0" y1="0" x2="0" y2="6" stroke="#999" stroke-width="3"/></pattern></defs>');
  parts.push(`<rect width="${WIDTH}" height="${height}" fill="white"/>`);
  parts.push(`<text x="10" y="20" font-size="14" font-weight="bold">${escape(options.title)}</text>`);

  // Fault windows first, so everything else is drawn over the shading.
  for (const window of faultWindows(history, end)) {
    const x1 = x(window.from);
    const x2 = x(Math.min(window.until, end));
    parts.push(`<rect x="${x1.toFixed(1)}" y="${lanesTop - 14}" width="${Math.max(1, x2 - x1).toFixed(1)}" height="${height - lanesTop - 20}" fill="#d62728" fill-opacity="0.08" stroke="#d62728" stroke-opacity="0.4" stroke-dasharray="4 3"><title>${escape(`${window.fault} on ${JSON.stringify(window.target)}: ${((window.until - window.from) / 1000).toFixed(1)} s`)}</title></rect>`);
    parts.push(`<text x="${(x1 + 3).toFixed(1)}" y="${lanesTop - 4}" fill="#d62728">${escape(`fault: ${window.fault}`)}</text>`);
  }

  const intervals = stateIntervals(history, start, end);
  nodes.forEach((node, lane) => {
    const top = lanesTop + lane * laneHeight;
    parts.push(`<text x="10" y="${top + ROW * 2}" font-size="13" font-weight="bold">${escape(node)}</text>`);
    const mine = intervals.filter((i) => i.node === node);
    RESOURCES.forEach((resource, row) => {
      const y = top + row * ROW;
      parts.push(`<text x="${LEFT - 6}" y="${y + ROW - 4}" text-anchor="end" fill="#555">${resource}</text>`);
      parts.push(`<rect x="${LEFT}" y="${y + 2}" width="${WIDTH - LEFT - RIGHT}" height="${ROW - 4}" fill="#f7f7f7"/>`);
      for (const interval of mine) parts.push(bar(interval, y, x, resource));
    });
    const y = top + RESOURCES.length * ROW;
    parts.push(`<text x="${LEFT - 6}" y="${y + ROW - 4}" text-anchor="end" fill="#555">DRBD</text>`);
    for (const interval of mine) {
      const x1 = x(interval.from);
      const w = Math.max(0.5, x(interval.until) - x1);
      const words = interval.state === 'unknown' ? undefined : interval.state.drbd;
      const fill = interval.state === 'unknown' ? 'url(#unknown)' : drbdColour(words);
      parts.push(`<rect x="${x1.toFixed(1)}" y="${y + 2}" width="${w.toFixed(1)}" height="${ROW - 4}" fill="${fill}"><title>${escape(`${node} ${words ?? 'unknown'} (${interval.source})`)}</title></rect>`);
      if (words && w > 140) parts.push(`<text x="${(x1 + 3).toFixed(1)}" y="${y + ROW - 5}" font-size="9">${escape(words)}</text>`);
    }
  });

  // Latency panel: log scale from 1 ms to 10 s; pending ops at the top edge.
  const ops = completions(history.ops()).filter((op) => !FAULT_PROCESSES.includes(op.process));
  const minLog = 0;
  const maxLog = 4;
  const ly = (ms: number) => latencyTop + LATENCY_HEIGHT - ((Math.log10(Math.max(1, ms)) - minLog) / (maxLog - minLog)) * LATENCY_HEIGHT;
  parts.push(`<text x="10" y="${latencyTop + 12}" font-size="13" font-weight="bold">client ops</text>`);
  parts.push(`<text x="10" y="${latencyTop + 28}" fill="#555">latency, log scale</text>`);
  parts.push(`<rect x="${LEFT}" y="${latencyTop}" width="${WIDTH - LEFT - RIGHT}" height="${LATENCY_HEIGHT}" fill="none" stroke="#ccc"/>`);
  for (const ms of [1, 10, 100, 1000, 10000]) {
    parts.push(`<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${ly(ms).toFixed(1)}" y2="${ly(ms).toFixed(1)}" stroke="#eee"/>`);
    parts.push(`<text x="${LEFT - 6}" y="${(ly(ms) + 4).toFixed(1)}" text-anchor="end" fill="#555">${ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`}</text>`);
  }
  const okOps = ops.filter((op) => op.type === 'ok').length;
  const every = Math.max(1, Math.ceil(okOps / MAX_OK_MARKS));
  let okSeen = 0;
  for (const op of ops) {
    if (op.type === 'ok' && okSeen++ % every !== 0) continue;
    const latency = op.completedAt === undefined ? 10_000 : op.completedAt - op.invokedAt;
    const colour = COLOURS[op.type] ?? '#000';
    parts.push(`<circle cx="${x(op.invokedAt).toFixed(1)}" cy="${ly(latency).toFixed(1)}" r="${op.type === 'ok' ? 1.6 : 2.6}" fill="${colour}"><title>${escape(`${op.process} ${op.f} ${op.type} ${latency} ms${op.error ? `: ${op.error}` : ''}`)}</title></circle>`);
  }

  if (every > 1) parts.push(`<text x="${WIDTH - RIGHT}" y="${latencyTop - 4}" text-anchor="end" fill="#555">${escape(`one acknowledged op in ${every} shown (${okOps} in all)`)}</text>`);

  // Acknowledged writes per second through the VIP.
  const rate = throughput(history);
  const peak = Math.max(1, ...rate.perSecond);
  const ty = (n: number) => throughputTop + THROUGHPUT_HEIGHT - (n / peak) * THROUGHPUT_HEIGHT;
  parts.push(`<text x="10" y="${throughputTop + 12}" font-size="13" font-weight="bold">writes/s</text>`);
  parts.push(`<text x="10" y="${throughputTop + 28}" fill="#555">${escape(`steady ${rate.steady ?? '-'}, faulted ${rate.faulted ?? '-'}`)}</text>`);
  parts.push(`<rect x="${LEFT}" y="${throughputTop}" width="${WIDTH - LEFT - RIGHT}" height="${THROUGHPUT_HEIGHT}" fill="none" stroke="#ccc"/>`);
  parts.push(`<text x="${LEFT - 6}" y="${throughputTop + 10}" text-anchor="end" fill="#555">${peak}</text>`);
  const points = rate.perSecond.map((n, k) => `${x(start + (k + 0.5) * 1000).toFixed(1)},${ty(n).toFixed(1)}`).join(' ');
  if (points) parts.push(`<polyline points="${points}" fill="none" stroke="${COLOURS.ok}" stroke-width="1.2"/>`);

  // Time axis, and the scenario's notes as dashed lines.
  const axisY = throughputTop + THROUGHPUT_HEIGHT + 16;
  const span = (end - start) / 1000;
  const step = [1, 2, 5, 10, 15, 30, 60, 120, 300].find((s) => span / s <= 15) ?? 600;
  for (let s = 0; s <= span; s += step) parts.push(`<text x="${x(start + s * 1000).toFixed(1)}" y="${axisY}" text-anchor="middle" fill="#555">${s} s</text>`);
  for (const note of events.filter((e) => e.kind === 'note')) {
    const nx = x(note.at).toFixed(1);
    parts.push(`<line x1="${nx}" x2="${nx}" y1="${lanesTop - 14}" y2="${throughputTop + THROUGHPUT_HEIGHT}" stroke="#333" stroke-dasharray="2 3"><title>${escape(note.text)}</title></line>`);
  }
  const legend = [...RESOURCES.map((r) => [r, COLOURS[r]]), ['unknown', 'url(#unknown)'], ['write ok', COLOURS.ok], ['write failed', COLOURS.fail], ['write outcome unknown', COLOURS.info], ['fault window', '#f9dede']];
  // Each item as wide as its label (about 6.5 px a character at this font size): a fixed pitch overlapped the long ones.
  let lx = LEFT;
  legend.forEach(([label, fill]) => {
    parts.push(`<rect x="${lx}" y="${axisY + 12}" width="12" height="10" fill="${fill}" stroke="#999" stroke-width="0.5"/><text x="${lx + 16}" y="${axisY + 21}">${escape(label)}</text>`);
    lx += 16 + label.length * 6.5 + 18;
  });
  parts.push('</svg>');
  return parts.join('\n');
}

function bar(interval: StateInterval, y: number, x: (at: number) => number, resource: (typeof RESOURCES)[number]): string {
  const x1 = x(interval.from);
  const w = Math.max(0.5, x(interval.until) - x1);
  if (interval.state === 'unknown') return `<rect x="${x1.toFixed(1)}" y="${y + 2}" width="${w.toFixed(1)}" height="${ROW - 4}" fill="url(#unknown)"><title>${escape(`unknown: ${interval.source}`)}</title></rect>`;
  if (!interval.state[resource]) return '';
  return `<rect x="${x1.toFixed(1)}" y="${y + 2}" width="${w.toFixed(1)}" height="${ROW - 4}" fill="${COLOURS[resource]}"><title>${escape(`${interval.node} holds ${resource} for ${((interval.until - interval.from) / 1000).toFixed(2)} s`)}</title></rect>`;
}
