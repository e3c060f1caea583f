/**
 * The runbook: the procedure as an operator types it on the two nodes, rendered from the
 * transcripts of the last run that carried out every step. The commands the sign-off tested
 * are the ones production gets: nothing here is written by hand.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { execa } from 'execa';
import { PROJECT_DIR, VARIANTS, type ReportFiles, type Variant } from '../harness/index.js';
import type { StepRecord, TranscriptEntry } from './step.js';

/** What a procedure run did, step by step, with when and from which commit. */
export interface ProcedureRecord {
  date: string;
  commit: string;
  /** Absent in records from before variants: the final procedure. */
  variant?: Variant;
  steps: StepRecord[];
}

/**
 * Why these records cannot make a runbook (a step failed to record, or was already in place, so
 * the run shows its check and not its commands), or undefined when every step was carried out.
 */
export function incompleteRun(steps: readonly StepRecord[], expectedIds: readonly string[]): string | undefined {
  const skipped = steps.filter((s) => s.alreadyInPlace).map((s) => s.id);
  if (skipped.length) return `step(s) ${skipped.join(', ')} were already in place, so the run shows their check and not their commands`;
  const ran = new Set(steps.map((s) => s.id));
  const missing = [...new Set(expectedIds)].filter((id) => !ran.has(id));
  if (missing.length) return `step(s) ${missing.join(', ')} did not run`;
  return undefined;
}

export function writeProcedureRecord(file: string, record: ProcedureRecord): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
}

export function readProcedureRecord(file: string): ProcedureRecord {
  if (!existsSync(file)) {
    throw new Error(`${file} does not exist: the runbook is rendered from a run that carried out every step; run \`npm run e2e\` (or \`npm run provision\` on a fresh cluster) first`);
  }
  return JSON.parse(readFileSync(file, 'utf8')) as ProcedureRecord;
}

/** A heredoc delimiter that does not occur in the content. */
function delimiter(content: string): string {
  let word = 'HALAB_EOF';
  while (content.split('\n').includes(word)) word += '_';
  return word;
}

/**
 * The command as typed: a file written from stdin gets its content as a heredoc. The harness fed
 * stdin to the whole command line; a heredoc after `a && b || { c; }` would reach only the last
 * command, so a compound command is grouped first (`{ …\n} <<'EOF'`), which feeds all of it.
 */
export function typed(entry: Pick<TranscriptEntry, 'command' | 'stdin'>): string {
  if (entry.stdin === undefined) return entry.command;
  const end = delimiter(entry.stdin);
  const compound = /&&|\|\||;|\||\n/.test(entry.command);
  const head = compound ? `{\n${entry.command}\n} <<'${end}'` : `${entry.command} <<'${end}'`;
  return `${head}\n${entry.stdin.replace(/\n$/, '')}\n${end}`;
}

const fence = (lang: string, text: string) => `\`\`\`${lang}\n${text.replace(/\n$/, '')}\n\`\`\``;

/** Consecutive entries on the same node, as one block. */
function byNode(entries: readonly TranscriptEntry[]): TranscriptEntry[][] {
  const groups: TranscriptEntry[][] = [];
  for (const entry of entries) {
    const last = groups.at(-1);
    if (last && last[0].node === entry.node) last.push(entry);
    else groups.push([entry]);
  }
  return groups;
}

function renderEntries(entries: readonly TranscriptEntry[]): string[] {
  const out: string[] = [];
  for (const group of byNode(entries)) {
    out.push(`On **${group[0].node}**, as root:`, '', fence('sh', group.map(typed).join('\n')), '');
    const outputs = group.filter((e) => e.output || e.code);
    if (outputs.length) {
      out.push('Expected output (as the tested run printed it):', '');
      out.push(fence('text', outputs.map((e) => `$ ${e.command.split('\n')[0]}${e.output ? `\n${e.output}` : ''}${e.code ? `\n(exit ${e.code})` : ''}`).join('\n\n')), '');
    }
  }
  return out;
}

/** Markdown: a section per step, its precondition check, its commands and their expected output. */
export function renderRunbook(record: ProcedureRecord): string {
  const variant = record.variant ?? 'final';
  const out: string[] = [
    `# Runbook: the guide's procedure${variant === 'final' ? '' : ` (variant ${variant})`}, as the sign-off tested it`,
    '',
    `Variant **${variant}**: ${VARIANTS[variant]}.`,
    '',
    `Rendered from the transcripts of the procedure run of **${record.date}** at commit **${record.commit}**, in which every step`,
    'was carried out on the lab\'s two nodes. Each step names the guide\'s step id (P1-P10, S1-S7, H1-H4, V1-V5).',
    'Secrets are shown as `***`: put your own in their place (the heartbeat key in `authkeys`, the database passwords).',
    'Configuration files are written from the heredoc shown with the command, exactly as the tested run wrote them.',
    '',
    '## Steps',
    '',
    ...record.steps.map((s) => `- **${s.id}** ${s.title}${s.seconds === undefined ? '' : ` (${s.seconds} s in the tested run)`}`),
    '',
  ];
  for (const step of record.steps) {
    out.push(`## ${step.id}: ${step.title}`, '');
    const checks = step.entries.filter((e) => e.during === 'check');
    const work = step.entries.filter((e) => e.during === 'run');
    if (checks.length) {
      out.push('**Precondition.** The step first looks whether its effect is already in place; on a node where it is, skip the step.', '');
      out.push(...renderEntries(checks));
    }
    if (work.length) out.push('**Commands.**', '', ...renderEntries(work));
    else out.push('(No commands: the step only checks.)', '');
    for (const note of step.notes) out.push(`> ${note}`, '');
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/** Renders the runbook from the record file into the runbook file; returns the markdown. */
export function writeRunbook(recordFile: string, runbookFile: string): string {
  const runbook = renderRunbook(readProcedureRecord(recordFile));
  mkdirSync(dirname(runbookFile), { recursive: true });
  writeFileSync(runbookFile, runbook);
  return runbook;
}

/**
 * After a procedure run: when it carried out every step of `expectedIds`, keeps what it did
 * (with today's date and the checkout's commit) and renders the runbook from it; otherwise says
 * why not and leaves the last full run's runbook alone. The spec and `npm run provision` share it.
 */
export async function recordRunbook(records: StepRecord[], expectedIds: readonly string[], variant: Variant, reports: ReportFiles): Promise<{ runbook: string } | { notRendered: string }> {
  const why = incompleteRun(records, expectedIds);
  if (why) return { notRendered: why };
  const commit = (await execa('git', ['describe', '--always', '--dirty'], { cwd: PROJECT_DIR, reject: false })).stdout || 'unknown';
  const [record, runbook] = [reports.procedureRecord(variant), reports.runbook(variant)];
  writeProcedureRecord(record, { date: new Date().toISOString().slice(0, 10), commit: String(commit).trim(), variant, steps: records });
  return { runbook: writeRunbook(record, runbook) };
}
