import type { ResolvedTopology } from '../../config/topology.js';

/** The heartbeat group's exclusive resources, in haresources order (drbddisk, Filesystem, IPaddr, mysqld). */
export const RESOURCES = ['drbdPrimary', 'mounted', 'vip', 'mysqld'] as const;
export type Resource = (typeof RESOURCES)[number];

/** What a node holds of the group at one moment, as the node itself sees it. */
export interface Holdings {
  drbdPrimary: boolean;
  mounted: boolean;
  vip: boolean;
  mysqld: boolean;
  /** mysqld's working directory (its datadir: under systemd it gets it from the config, not --datadir). */
  datadir?: string;
  /** `cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate`, DRBD's own words. */
  drbd?: string;
}

/** Every resource, with MySQL on the DRBD datadir: the guide's V1. */
export function holdsAll(h: Holdings, datadir: string): boolean {
  return RESOURCES.every((r) => h[r]) && h.datadir === datadir;
}

export function holdsNone(h: Holdings): boolean {
  return RESOURCES.every((r) => !h[r]);
}

export function describeHoldings(h: Holdings | 'unknown'): string {
  if (h === 'unknown') return 'unknown';
  const held = RESOURCES.filter((r) => h[r]);
  return `${held.length ? held.join('+') : 'nothing'}${h.datadir ? ` (datadir ${h.datadir})` : ''}`;
}

/**
 * What the node-side sampler prints: `S <node ms> <samples> <vip> <primary> <mounted> <mysqld> <datadir|-> <DRBD words>`
 * when anything changed, `T <node ms> <samples>` at least every 500 ms otherwise (proof it is still
 * looking); `samples` counts the rounds since the previous line.
 */
export type SamplerLine = { kind: 'state' | 'tick'; nodeMs: number; /** Samples taken since the previous line. */ samples: number; state?: Holdings };

export function parseSamplerLine(line: string): SamplerLine | undefined {
  const tick = /^T (\d+) (\d+)$/.exec(line);
  if (tick) return { kind: 'tick', nodeMs: Number(tick[1]), samples: Number(tick[2]) };
  const state = /^S (\d+) (\d+) ([01]) ([01]) ([01]) ([01]) (\S+) (.+)$/.exec(line);
  if (!state) return undefined;
  return {
    kind: 'state',
    nodeMs: Number(state[1]),
    samples: Number(state[2]),
    state: {
      vip: state[3] === '1',
      drbdPrimary: state[4] === '1',
      mounted: state[5] === '1',
      mysqld: state[6] === '1',
      ...(state[7] !== '-' && { datadir: state[7] }),
      drbd: state[8],
    },
  };
}

/**
 * True (exit 0) when the flags v p m y read are out of the group's order (something held without
 * every resource before it: DRBD Primary, mount, VIP, mysqld).
 */
export const OUT_OF_ORDER_BASH = 'out_of_order() { (( (m && !p) || (v && !(p && m)) || (y && !(p && m && v)) )); }';

/**
 * The bash that finds mysqld for the sampler, as `find_mysqld` (sets y and dir; reads `now`, the
 * round's ms): the process found last is looked at first, one read of its comm; the whole process
 * table (a read per process: measured on a TCG guest, the sampler then took ~45 % of the vCPU
 * and a round ~270 ms instead of 100) only when no mysqld is known and a process was created
 * since the last scan (the kernel's last pid, /proc/loadavg's fifth field, moved: threads count,
 * so a starting mariadbd moves it) or a second has passed (a process forked before a scan that
 * execs mariadbd after it: seen at the latest a second later). `procRoot` is for the unit tests.
 */
export function findMysqldBash(procRoot = '/proc'): string {
  return `P=${procRoot}; mysqld_pid=''; scanned_last_pid=''; scanned_at=-1000000
is_mysqld() { local c=''; read -r c 2>/dev/null < $P/$1/comm; [[ $c == mariadbd || $c == mysqld ]]; }
find_mysqld() {
  y=0; dir=-
  if [[ -n $mysqld_pid ]] && is_mysqld $mysqld_pid; then
    y=1; cd -P $P/$mysqld_pid/cwd 2>/dev/null && dir=$PWD && cd /; return
  fi
  mysqld_pid=''
  local last=''; read -r _ _ _ _ last < $P/loadavg
  ((now - scanned_at < 1000)) && [[ $last == "$scanned_last_pid" ]] && return
  scanned_last_pid=$last; scanned_at=$now
  local f
  for f in $P/[0-9]*; do
    is_mysqld \${f##*/} || continue
    mysqld_pid=\${f##*/}; y=1; cd -P $f/cwd 2>/dev/null && dir=$PWD && cd /; return
  done
}`;
}

/**
 * The sampler that runs on the node: every `intervalMs` it looks at the four resources and
 * DRBD's state with bash builtins only (under TCG one exec costs ~20 ms, `pgrep` ~100 ms): the
 * VIP in the kernel's local routes, DRBD in /proc/drbd, the mount in /proc/mounts, mysqld by
 * its process name and working directory (`findMysqldBash`). The four reads are not one atomic snapshot: while
 * heartbeat acquires or releases the group between them, a round can mix before and after. A
 * round that reads out of the group's order is therefore read again at once, and the second
 * reading is the one reported: a torn read resolves, a real breach (what GROUP-ORDER judges)
 * persists. It prints only changes plus a tick, and stops by itself after `maxSeconds` (0: one
 * round, one line), or when the SSH channel closes (SIGPIPE).
 */
export function samplerScript(t: ResolvedTopology, intervalMs: number, maxSeconds: number): string {
  return `
exec {pause}<> <(:)
${OUT_OF_ORDER_BASH}
${findMysqldBash()}
look() {
  trie=''; read -r -d '' trie < /proc/net/fib_trie
  v=0; [[ $trie =~ --\\ ${t.network.vip.replaceAll('.', '\\.')}[[:space:]]+/32\\ host\\ LOCAL ]] && v=1
  d=''; read -r -d '' d 2>/dev/null < /proc/drbd
  p=0; [[ $d == *" ro:Primary/"* ]] && p=1
  w=cs:Unconfigured
  if [[ $d =~ (cs:[A-Za-z]+)\\ ro:([A-Za-z]+/[A-Za-z]+)\\ ds:([A-Za-z]+/[A-Za-z]+) ]]; then w="\${BASH_REMATCH[1]} ro:\${BASH_REMATCH[2]} ds:\${BASH_REMATCH[3]}"
  elif [[ $d =~ (cs:[A-Za-z]+) ]]; then w=\${BASH_REMATCH[1]}; fi
  mnt=''; read -r -d '' mnt < /proc/mounts
  m=0; [[ $'\\n'$mnt == *$'\\n'"${t.drbd.device} ${t.mysql.mountPoint} "* ]] && m=1
  find_mysqld
}
end=$((EPOCHSECONDS + ${maxSeconds})); prev=''; last=0; n=0
while :; do
  us=\${EPOCHREALTIME/./}; now=\${us:0:-3}
  look
  out_of_order && look
  s="$v $p $m $y $dir $w"
  ((n++))
  if [[ $s != "$prev" ]]; then echo "S $now $n $s"; prev=$s; last=$now; n=0
  elif ((now - last >= 500)); then echo "T $now $n"; last=$now; n=0; fi
  ((EPOCHSECONDS < end)) || break
  # The round's own cost comes off the pause, so a round starts every intervalMs.
  rest=$((${intervalMs * 1000} - \${EPOCHREALTIME/./} + us)); ((rest > 1000)) || rest=1000
  printf -v pause_s '0.%06d' $rest; read -t $pause_s -u $pause
done`;
}
