import { readFileSync, rmSync, writeFileSync } from 'node:fs';

/**
 * One run at a time per checkout: two runs on the same kept cluster revert its VMs under each
 * other (seen: a second `npm run e2e -- --keep` made the first lose SSH mid-revert). The lock
 * is a file holding the running process's pid; a file whose process is gone is stale and taken.
 */
export function acquireRunLock(file: string, pid = process.pid): () => void {
  for (;;) {
    try {
      writeFileSync(file, `${pid}\n`, { flag: 'wx' });
      return () => {
        if (holder(file) === pid) rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const other = holder(file);
      if (other !== undefined && other !== pid && alive(other)) {
        throw new Error(`another ha-lab run (pid ${other}) is using this checkout's lab (${file}): wait for it to end, or stop it with \`kill ${other}\``);
      }
      if (other === pid) throw new Error(`this process (pid ${pid}) already holds the run lock ${file}`);
      rmSync(file, { force: true });
    }
  }
}

function holder(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
