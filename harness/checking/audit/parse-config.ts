/**
 * `drbdsetup show` (and `drbdadm dump`) flattened: every `key value;` under its sections,
 * e.g. `net.protocol` → `C`, `_this_host.volume 0.disk.on-io-error` → `detach`. Comments and
 * quotes dropped; a section's header words are its name.
 */
export function parseDrbdShow(text: string): Map<string, string> {
  const values = new Map<string, string>();
  const path: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) continue;
    if (line.endsWith('{')) {
      path.push(line.slice(0, -1).trim().replace(/\s+/g, ' '));
    } else if (line.startsWith('}')) {
      path.pop();
    } else {
      const m = /^(\S+)\s+(.*?);?$/.exec(line);
      if (m) values.set([...path, m[1]].join('.'), m[2].replace(/;$/, '').replace(/"/g, '').replace(/\s+/g, ' ').trim());
    }
  }
  return values;
}

/** The value of the first key that is `key` or ends with `.key`, under a section whose path contains `under`. */
export function drbdValue(values: ReadonlyMap<string, string>, key: string, under = ''): string | undefined {
  for (const [k, v] of values) if ((k === key || k.endsWith(`.${key}`)) && k.includes(under)) return v;
  return undefined;
}

/** ha.cf: directive → its values, in order (`node` and `ucast` may repeat). */
export function parseHaCf(text: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) continue;
    const [name, ...rest] = line.split(/\s+/);
    const value = rest.join(' ');
    directives.set(name, [...(directives.get(name) ?? []), ...(name === 'node' ? rest : [value])]);
  }
  return directives;
}

/** A DRBD rate as KiB/s: `10M`, `10240k`, `10240` (DRBD's unit is KiB). */
export function rateKiB(text: string | undefined): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([kKmMgG])?/.exec(text ?? '');
  if (!m) return undefined;
  const factor = { k: 1, m: 1024, g: 1024 * 1024 }[(m[2] ?? 'k').toLowerCase() as 'k' | 'm' | 'g'];
  return Number(m[1]) * factor;
}

/** The protocol letter /proc/drbd shows for a minor (`… ds:UpToDate/UpToDate C r-----`). */
export function procDrbdProtocol(text: string, minor: number): string | undefined {
  const line = text.split('\n').find((l) => new RegExp(`^\\s*${minor}:\\s`).test(l));
  return line ? /\sds:\S+\s+([ABC])\s/.exec(`${line} `)?.[1] : undefined;
}
