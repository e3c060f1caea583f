import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { glob } from 'zx';
import { log } from '../../support/log.js';

const RECIPE_DIR = fileURLToPath(new URL('.', import.meta.url));
/** Everything that decides what is inside the box; a change to any of these rebuilds it. */
export const RECIPE_FILES = ['packages.txt', 'build-box.sh', 'setup-initramfs.sh', 'apt-preferences', 'customize.sh', 'box.Vagrantfile'];

export interface BoxRecipe {
  files: { name: string; content: string | Buffer }[];
  vagrantPublicKey: string;
}

/** The cache key: a hash of the recipe files (by name and content) and the key baked in. */
export function boxCacheKey(recipe: BoxRecipe): string {
  const hash = createHash('sha256');
  for (const file of [...recipe.files].sort((a, b) => a.name.localeCompare(b.name))) {
    hash.update(`file ${file.name}\0`).update(file.content).update('\0');
  }
  hash.update(`vagrant.pub\0${recipe.vagrantPublicKey.trim()}`);
  return hash.digest('hex').slice(0, 16);
}

export function cacheRoot(): string {
  return process.env.HALAB_CACHE_DIR ?? (process.getuid?.() === 0 ? '/var/cache/ha-lab' : join(homedir(), '.cache', 'ha-lab'));
}

function vagrantHome(): string {
  return process.env.VAGRANT_HOME ?? join(homedir(), '.vagrant.d');
}

/** Vagrant ships its insecure public key inside its gem; boxes must accept it on first boot. */
export async function findVagrantPublicKey(): Promise<string> {
  const patterns = [
    '/usr/share/rubygems-integration/all/gems/vagrant-*/keys/vagrant.pub',
    '/opt/vagrant/embedded/gems/gems/vagrant-*/keys/vagrant.pub',
    '/opt/vagrant/embedded/gems/*/gems/vagrant-*/keys/vagrant.pub',
  ];
  const [found] = await glob(patterns);
  if (found) return found;
  throw new Error(`Vagrant's insecure public key (keys/vagrant.pub) not found under ${patterns.join(' or ')}: is vagrant installed?`);
}

export interface Box {
  name: string;
  key: string;
  /** Directory of the installed box, holding the kernel and initrd for direct boot. */
  installedDir: string;
  kernel: string;
  initrd: string;
  /** What this call had to do, with seconds, for the report. */
  built?: number;
  added?: number;
}

export function installedBoxDir(name: string): string {
  return join(vagrantHome(), 'boxes', name.replaceAll('/', '-VAGRANTSLASH-'), '0', 'libvirt');
}

/** Builds the box if its recipe changed and `vagrant box add`s it; cached otherwise. */
export async function ensureBox(name: string): Promise<Box> {
  const publicKeyFile = await findVagrantPublicKey();
  const key = boxCacheKey({
    files: RECIPE_FILES.map((file) => ({ name: file, content: readFileSync(join(RECIPE_DIR, file)) })),
    vagrantPublicKey: readFileSync(publicKeyFile, 'utf8'),
  });
  const cacheDir = join(cacheRoot(), `box-${key}`);
  const boxFile = join(cacheDir, 'ha-lab.box');
  const installedDir = installedBoxDir(name);
  const box: Box = { name, key, installedDir, kernel: join(installedDir, 'vmlinuz'), initrd: join(installedDir, 'initrd.img') };

  if (!existsSync(boxFile)) {
    const started = performance.now();
    mkdirSync(cacheDir, { recursive: true });
    const logFile = join(cacheDir, 'build.log');
    log('box', `building ${name} (recipe ${key}) from Debian 12 packages; full log: ${logFile}`);
    await runWithProgress(join(RECIPE_DIR, 'build-box.sh'), [cacheDir, publicKeyFile], logFile);
    writeFileSync(join(cacheDir, 'box', 'cache-key'), `${key}\n`);
    await execa('tar', ['-cf', `${boxFile}.partial`, '-C', join(cacheDir, 'box'), '.']);
    await execa('mv', [`${boxFile}.partial`, boxFile]);
    await execa('rm', ['-rf', join(cacheDir, 'box')]);
    box.built = (performance.now() - started) / 1000;
    log('box', `built ${boxFile} in ${box.built.toFixed(0)} s`);
  } else {
    log('box', `cached: ${boxFile} (recipe ${key})`);
  }

  const installedKey = existsSync(join(installedDir, 'cache-key')) ? readFileSync(join(installedDir, 'cache-key'), 'utf8').trim() : undefined;
  if (installedKey !== key) {
    const started = performance.now();
    log('box', `vagrant box add ${name} (installed: ${installedKey ?? 'none'})`);
    // Outside the project: the project's Vagrantfile needs the box this command is adding.
    await execa('vagrant', ['box', 'add', '--force', '--name', name, boxFile], { cwd: cacheDir, env: { VAGRANT_CHECKPOINT_DISABLE: '1' } });
    box.added = (performance.now() - started) / 1000;
  }
  return box;
}

/** Streams a slow build: milestones to the terminal, everything to the log file. */
async function runWithProgress(file: string, args: string[], logFile: string): Promise<void> {
  const out = createWriteStream(logFile);
  const started = performance.now();
  // build-box.sh says where it works (in memory when there is room).
  let rootfs = join(args[0], 'work', 'rootfs');
  // mmdebstrap is quiet while dpkg works for minutes: show the growing root file system.
  const ticker = setInterval(async () => {
    const { stdout } = await execa('du', ['-sm', rootfs], { reject: false });
    log('box', `... ${((performance.now() - started) / 1000).toFixed(0)} s, root file system ${String(stdout).split('\t')[0] || '?'} MiB`);
  }, 20_000);
  try {
    const build = execa(file, args, { all: true, buffer: false, stdin: 'ignore' });
    for await (const line of build.iterable({ from: 'all' })) {
      // Seconds since the start on every line: the log is the box build's profile.
      out.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)}] ${line}\n`);
      const workDir = /^\[box\] working in (.+)$/.exec(line)?.[1];
      if (workDir) rootfs = join(workDir, 'rootfs');
      if (/^(\[box\]|I: |E: |W: )/.test(line)) log('box', line.replace(/^\[box\] /, ''));
    }
  } catch (error) {
    throw new Error(`box build failed: ${(error as Error).message.split('\n')[0]}; see ${logFile}`);
  } finally {
    clearInterval(ticker);
    out.end();
  }
}
