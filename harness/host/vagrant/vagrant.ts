import type { Options } from 'execa';
import type { Lab } from '../lab/lab.js';
import { log } from '../../support/log.js';
import { PROJECT_DIR } from '../../support/paths.js';
import { parseSshConfig, type SshEndpoint } from './ssh-config.js';


/**
 * The vagrant CLI, run inside the lab with the validated settings file. Long commands stream
 * their lines as progress; failures carry the command and the tail of its output.
 */
export class Vagrant {
  constructor(private readonly lab: Lab, private readonly settingsFile: string) {}

  private options(extra: Options = {}): Options {
    return {
      cwd: PROJECT_DIR,
      env: {
        HALAB_LAB_JSON: this.settingsFile,
        VAGRANT_DEFAULT_PROVIDER: 'libvirt',
        VAGRANT_CHECKPOINT_DISABLE: '1',
        VAGRANT_NO_COLOR: '1',
      },
      stdin: 'ignore',
      ...extra,
    };
  }

  /** Runs `vagrant ARGS`, echoing each output line as progress. */
  private async stream(args: string[]): Promise<void> {
    const tail: string[] = [];
    const child = this.lab.exec('vagrant', args, this.options({ all: true, buffer: false, reject: false }));
    for await (const line of child.iterable({ from: 'all' })) {
      // vagrant-libvirt redraws its upload progress with \r and ESC[K on one line: keep the last state.
      const text = String(line).replaceAll('\x1b[K', '').split('\r').filter(Boolean).pop() ?? '';
      tail.push(text);
      if (tail.length > 40) tail.shift();
      if (text.trim()) log('vagrant', text);
    }
    const result = await child;
    if (result.exitCode !== 0) {
      throw new Error(`vagrant ${args.join(' ')} failed (exit ${result.exitCode}${result.signal ? `, ${result.signal}` : ''}):\n${tail.join('\n')}`);
    }
  }

  private async capture(args: string[]): Promise<string> {
    const result = await this.lab.exec('vagrant', args, this.options({ reject: false }));
    if (result.exitCode !== 0) throw new Error(`vagrant ${args.join(' ')} failed (exit ${result.exitCode}): ${String(result.stderr).trim()}`);
    return String(result.stdout);
  }

  /** Brings all machines up; vagrant-libvirt creates them in parallel. */
  up(): Promise<void> {
    return this.stream(['up', '--provider=libvirt', '--parallel']);
  }

  destroy(): Promise<void> {
    return this.stream(['destroy', '--force']);
  }

  /** Machine name → state, from `vagrant status --machine-readable`. */
  async status(): Promise<Map<string, string>> {
    const states = new Map<string, string>();
    for (const line of (await this.capture(['status', '--machine-readable'])).split('\n')) {
      const [, target, type, data] = line.split(',');
      if (type === 'state' && target) states.set(target, data);
    }
    return states;
  }

  async sshConfig(): Promise<Map<string, SshEndpoint>> {
    return parseSshConfig(await this.capture(['ssh-config']));
  }
}
