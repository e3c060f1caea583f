/** One resource's state from /proc/drbd (DRBD 8.4 format). */
export interface DrbdState {
  minor: number;
  /** Connection state, e.g. Connected, WFConnection, SyncSource, SyncTarget, StandAlone, Unconfigured. */
  cs: string;
  /** Roles local/peer, e.g. Primary/Secondary. */
  role: { local: string; peer: string };
  /** Disk states local/peer, e.g. UpToDate/UpToDate, Inconsistent/UpToDate. */
  disk: { local: string; peer: string };
  /** Out-of-sync KiB (oos), when reported. */
  outOfSyncKiB?: number;
  sync?: SyncProgress;
}

export interface SyncProgress {
  percent: number;
  doneKiB: number;
  totalKiB: number;
  /** `finish: h:mm:ss`, in seconds. */
  etaSeconds: number;
  /** Current speed, KiB/s. */
  speedKiBs: number;
}

export interface ProcDrbd {
  version?: string;
  resources: DrbdState[];
}

const RESOURCE = /^\s*(\d+): cs:(\S+)(?: ro:(\S+)\/(\S+) ds:(\S+)\/(\S+))?/;
const SYNCED = /sync'ed:\s*([\d.]+)% \((\d+)\/(\d+)\)K/;
const FINISH = /finish:\s*(\d+):(\d+):(\d+)\s+speed:\s*([\d,]+)/;

export function parseProcDrbd(text: string): ProcDrbd {
  const result: ProcDrbd = { resources: [] };
  let current: DrbdState | undefined;
  for (const line of text.split('\n')) {
    const version = /^version: (\S+)/.exec(line);
    if (version) {
      result.version = version[1];
      continue;
    }
    const resource = RESOURCE.exec(line);
    if (resource) {
      current = {
        minor: Number(resource[1]),
        cs: resource[2],
        role: { local: resource[3] ?? 'Unconfigured', peer: resource[4] ?? 'Unknown' },
        disk: { local: resource[5] ?? 'Diskless', peer: resource[6] ?? 'DUnknown' },
      };
      result.resources.push(current);
      continue;
    }
    if (!current) continue;
    const oos = /\boos:(\d+)/.exec(line);
    if (oos) current.outOfSyncKiB = Number(oos[1]);
    const synced = SYNCED.exec(line);
    if (synced) {
      current.sync = { percent: Number(synced[1]), totalKiB: Number(synced[3]), doneKiB: Number(synced[3]) - Number(synced[2]), etaSeconds: 0, speedKiBs: 0 };
    }
    const finish = FINISH.exec(line);
    if (finish && current.sync) {
      current.sync.etaSeconds = Number(finish[1]) * 3600 + Number(finish[2]) * 60 + Number(finish[3]);
      current.sync.speedKiBs = Number(finish[4].replaceAll(',', ''));
    }
  }
  return result;
}

/** The resource of `minor`, or a state saying it is not configured. */
export function resourceState(proc: ProcDrbd, minor: number): DrbdState {
  return proc.resources.find((r) => r.minor === minor)
    ?? { minor, cs: 'Unconfigured', role: { local: 'Unconfigured', peer: 'Unknown' }, disk: { local: 'Diskless', peer: 'DUnknown' } };
}

/** Connected with both disks UpToDate: the guide's V4, and the end of every resync. */
export function inSync(state: DrbdState): boolean {
  return state.cs === 'Connected' && state.disk.local === 'UpToDate' && state.disk.peer === 'UpToDate';
}

export function describeState(state: DrbdState): string {
  const sync = state.sync ? ` ${state.sync.percent}% ${(state.sync.speedKiBs / 1024).toFixed(1)} MiB/s eta ${state.sync.etaSeconds}s` : '';
  return `cs:${state.cs} ro:${state.role.local}/${state.role.peer} ds:${state.disk.local}/${state.disk.peer}${sync}`;
}
