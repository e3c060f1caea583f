import type { Finding } from '../checkers/checker.js';
import type { PropertyVerdict } from '../signoff/acceptance.js';

/** What the node said about a converted device: the file system's size, e2fsck, the mount, the tables. */
export interface ConversionFacts {
  /** The DRBD device the data is read through after the conversion. */
  device: string;
  deviceBytes: number;
  /** Block count × block size from the superblock on the device; absent when no ext superblock is found. */
  fsBytes?: number;
  /** `e2fsck -fn <device>`: 0 clean, 4 errors left uncorrected, 8 and up it could not check. */
  fsck: { code: number; output: string };
  mount: { code: number; output: string };
  /** Tables against the evidence before the conversion; absent when they could not be read. */
  tableDifferences?: string[];
  /** Why the tables were not read (the mount refused, MariaDB did not start). */
  tablesUnread?: string;
}

/** The line of a tool's output that says the most: one matching the first pattern that any line matches, else the last line. */
function keyLine(text: string, ...telling: RegExp[]): string {
  const lines = text.trim().split('\n').map((l) => l.trim()).filter(Boolean);
  for (const pattern of telling) {
    const line = lines.find((l) => pattern.test(l));
    if (line) return line;
  }
  return lines.at(-1) ?? '(no output)';
}

/**
 * The conversion's data-safety verdict: SAFE only when the file system fits on the device,
 * e2fsck finds it clean, it mounts, and every table reads as before. A fact the node could
 * not give makes it UNKNOWN unless another already shows it UNSAFE.
 */
export function conversionVerdict(f: ConversionFacts): PropertyVerdict {
  const unsafe: Finding[] = [];
  const unknown: Finding[] = [];
  if (f.fsBytes === undefined) {
    unsafe.push({ id: 'NO-FILESYSTEM', message: `no ext superblock on ${f.device}: the file system's start did not come back`, evidence: { deviceBytes: f.deviceBytes } });
  } else if (f.fsBytes > f.deviceBytes) {
    const beyondKiB = (f.fsBytes - f.deviceBytes) / 1024;
    unsafe.push({
      id: 'FS-BEYOND-DEVICE',
      message: `the file system on ${f.device} is ${f.fsBytes} bytes and the device ${f.deviceBytes}: its last ${beyondKiB} KiB lie beyond the device's end (where DRBD keeps its metadata)`,
      evidence: { fsBytes: f.fsBytes, deviceBytes: f.deviceBytes, beyondKiB },
    });
  }
  // Under -n, e2fsck answers its own "Abort?" with no, goes on and may exit 0: the size warning counts as an error.
  const sizeWarning = /Either the superblock or the partition table is likely to be corrupt/.test(f.fsck.output);
  const fsckSays = keyLine(f.fsck.output, /physical size of the device/, /corrupt|error|bad|invalid/i);
  if (f.fsck.code & 4 || sizeWarning) unsafe.push({ id: 'FSCK-ERRORS', message: `e2fsck -fn ${f.device} (exit ${f.fsck.code}): ${fsckSays}`, evidence: f.fsck });
  else if (f.fsck.code >= 8) unknown.push({ id: 'FSCK-FAILED', message: `e2fsck -fn ${f.device} could not check it (exit ${f.fsck.code}): ${fsckSays}`, evidence: f.fsck });
  if (f.mount.code !== 0) {
    unsafe.push({ id: 'MOUNT-REFUSED', message: `mounting ${f.device} failed (exit ${f.mount.code}): ${keyLine(f.mount.output, /bad geometry/, /EXT\d-fs/, /wrong fs type/)}`, evidence: f.mount });
  }
  if (f.tableDifferences === undefined) {
    unknown.push({ id: 'TABLES-UNREAD', message: `the tables on ${f.device} could not be read: ${f.tablesUnread ?? 'no reason given'}` });
  } else if (f.tableDifferences.length) {
    unsafe.push({ id: 'TABLES-DIFFER', message: `tables on ${f.device} differ from the evidence before the conversion:\n${f.tableDifferences.join('\n')}`, evidence: f.tableDifferences });
  }
  const verdict = unsafe.length ? 'UNSAFE' : unknown.length ? 'UNKNOWN' : 'SAFE';
  return { property: 'data safety', verdict, findings: [...unsafe, ...unknown] };
}

/** One line per finding, for an error message or a log. */
export function describeConversion(v: PropertyVerdict): string {
  return `${v.verdict}${v.findings.length ? `: ${v.findings.map((f) => `${f.id} (${f.message.split('\n')[0]})`).join('; ')}` : ''}`;
}
