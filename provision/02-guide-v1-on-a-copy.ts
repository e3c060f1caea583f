/**
 * `--variant guide-v1`: the guide's first version of P4–P10 as written, without the lvextend
 * (docs/procedure.md: its first edition let the internal metadata overwrite the tail of the file system),
 * carried out on a copy of the seeded data so that the cluster goes on with the final procedure.
 * The copy is linux01's LV in a file on its root disk behind a loop device, as its own resource
 * (r0v1, /dev/drbd1, port + 1) in its own drbd.conf. First drbdmeta is shown refusing while the
 * file system's start is still there; then back up, zero, create-md, force primary, restore,
 * restart; then the evidence: the sizes, e2fsck, the mount, and which of the file system's
 * blocks the metadata took. The outcome is a data-safety verdict the spec judges against
 * acceptance/<profile>.json (scenario `guide-v1`); nothing of it is thrown here.
 */
import { renderDrbdConf, type DrbdResourceLayout } from './config/drbd-conf.js';
import type { Procedure } from './context.js';
import { writeFileCommand } from './node-files.js';
import { conversionFacts, hasDrbdMetadata, MiB } from './drbd-steps.js';
import { StepRefused, type Step, type Transcript } from './step.js';
import { conversionVerdict, describeConversion, type ConversionFacts, type PropertyVerdict } from '../harness/index.js';

/** Where the rehearsal works on linux01; its verdict and outputs stay there, the image goes. */
export function rehearsalDir(p: Procedure): string {
  return `${p.stateDir}/guide-v1`;
}

/** What the rehearsal found, kept on linux01 as verdict.json and read by the spec. */
export interface RehearsalOutcome {
  /** `drbdadm create-md` while the first MiB still holds the file system. */
  refusal: { code: number; output: string };
  facts: ConversionFacts;
  /** The file system's blocks past the DRBD device's end, where the metadata now is, and how many of them were in use. */
  tail: { firstBlock: number; blocks: number; inUse: number; blockSize: number };
  verdict: PropertyVerdict;
}

export function rehearsalVerdictFile(p: Procedure): string {
  return `${rehearsalDir(p)}/verdict.json`;
}

/** The guide's drbd.conf for the copy: the same resource body, on the loop device. */
function rehearsalLayout(p: Procedure, loop: string): DrbdResourceLayout {
  return { resource: `${p.t.drbd.resource}v1`, device: '/dev/drbd1', port: p.t.drbd.port + 1, disk: loop, metaDisk: 'internal' };
}

export function guideV1Steps(p: Procedure): Step[] {
  const node = p.primary;
  const dir = rehearsalDir(p);
  const conf = `${dir}/drbd.conf`;
  const image = `${dir}/data.img`;
  const back = `${dir}/back`;
  const { resource, device } = rehearsalLayout(p, '');
  const drbdadm = `drbdadm -c ${conf}`;
  /** The loop device in front of the image, as the first step attached it. */
  const loop = async (t: Transcript) => (await t.succeed(node, `cat ${dir}/loop`)).trim();
  // Leaves nothing of a rehearsal but its verdict and outputs: run first (an interrupted one) and last.
  const cleanUp = `umount ${dir}/mnt 2>/dev/null; test -f ${conf} && ${drbdadm} down ${resource} 2>/dev/null; ` +
    `for l in $(losetup -n -O NAME -j ${image} 2>/dev/null); do losetup -d $l; done; rm -f ${image} ${back}; true`;
  const rehearsed = async (t: Transcript) => ((await t.run(node, `test -s ${rehearsalVerdictFile(p)}`)).code === 0 ? `rehearsed already (${rehearsalVerdictFile(p)})` : undefined);
  const steps: Step[] = [
    {
      id: 'P3.v1',
      title: `a copy of the seeded ${p.lv} in ${image}, behind a loop device (the rehearsal's disk)`,
      run: async (t) => {
        if (await hasDrbdMetadata(t, node, p)) throw new StepRefused(`P3.v1: ${p.lv} carries DRBD metadata already: the copy must be of the seeded file system, before the conversion`);
        await t.succeed(node, cleanUp);
        await t.succeed(node, `mkdir -p ${dir} && dd if=${p.lv} of=${image} bs=1M status=none && losetup --find --show ${image} | tee ${dir}/loop`);
        await t.succeed(node, `e2fsck -fn $(cat ${dir}/loop) 2>&1 | tail -n 1`);
      },
    },
    {
      id: 'P7.v1',
      title: `the guide's drbd.conf for the copy: resource ${resource} on the loop device, ${device}, meta-disk internal (${conf})`,
      run: async (t) => {
        const rendered = renderDrbdConf(p.t, rehearsalLayout(p, await loop(t)));
        await t.succeed(node, `${writeFileCommand(conf)} && ${drbdadm} dump ${resource} > /dev/null`, { stdin: rendered });
      },
    },
    {
      id: 'P8.v1-refused',
      title: `drbdadm create-md before the first MiB is zeroed: drbdmeta sees the file system and refuses (exit 40), --force or not`,
      run: async (t) => {
        const refusal = await t.run(node, `modprobe drbd && ${drbdadm} create-md --force ${resource} > ${dir}/refusal.txt 2>&1; code=$?; cat ${dir}/refusal.txt; exit $code`);
        if (refusal.code !== 40) throw new Error(`P8.v1: drbdmeta was expected to refuse (exit 40, "Device size would be truncated"); it exited ${refusal.code}`);
      },
    },
    {
      id: 'P4.v1',
      title: `back up the first MiB of the copy to ${back}`,
      run: async (t) => {
        await t.succeed(node, `dd if=${await loop(t)} of=${back} bs=1M count=1 status=none && sha256sum ${back}`);
      },
    },
    {
      id: 'P6.v1',
      title: 'zero the first MiB of the copy (the first version: no lvextend before)',
      run: async (t) => {
        await t.succeed(node, `dd if=/dev/zero of=${await loop(t)} bs=1M count=1 oflag=direct status=none && echo zeroed`);
      },
    },
    {
      id: 'P8.v1',
      title: `create-md (drbdmeta sees no file system now), up, force primary`,
      run: async (t) => {
        await t.succeed(node, `${drbdadm} create-md --force ${resource} && ${drbdadm} up ${resource} && ${drbdadm} primary --force ${resource} && cat /proc/drbd`);
      },
    },
    {
      id: 'P9.v1',
      title: `restore the first MiB onto ${device}`,
      run: async (t) => {
        await t.succeed(node, `dd if=${back} of=${device} bs=1M count=1 oflag=direct status=none && cmp -n ${MiB} ${device} ${back} && echo restored`);
      },
    },
    {
      id: 'P10.v1',
      title: `restart DRBD on the copy (down, up, primary)`,
      run: async (t) => {
        await t.succeed(node, `${drbdadm} down ${resource} && ${drbdadm} up ${resource} && ${drbdadm} primary ${resource} && cat /proc/drbd`);
      },
    },
    {
      id: 'P10.V5.v1',
      title: `evidence on ${device}: the device against the file system's size, e2fsck -fn, a read-only mount, and which blocks the metadata took`,
      run: async (t) => {
        try {
          const facts = await conversionFacts(t, node, p, { device, mountPoint: `${dir}/mnt`, fsckFile: `${dir}/fsck.txt`, tables: false });
          await t.run(node, `umount ${dir}/mnt 2>/dev/null; ${drbdadm} down ${resource}`);
          const copy = await loop(t);
          const blockSize = Number((await t.succeed(node, `dumpe2fs -h ${copy} 2>/dev/null | sed -n 's/^Block size:[[:space:]]*//p'`)).trim());
          const firstBlock = Math.floor(facts.deviceBytes / blockSize);
          const blocks = Math.max(0, Math.ceil((facts.fsBytes ?? 0) / blockSize) - firstBlock);
          // debugfs reads the copy itself: the blocks now under DRBD's metadata, each in use by a file or not.
          const tested = blocks ? (await t.succeed(node, `debugfs -R "testb ${firstBlock} ${blocks}" ${copy} 2>/dev/null`)) : '';
          const inUse = tested.split('\n').filter((line) => line.includes('marked in use')).length;
          t.note(`the file system's blocks ${firstBlock}-${firstBlock + blocks - 1} (${blocks} of ${blockSize} bytes) lie past ${device}'s end, under DRBD's metadata: ${inUse} of them in use`);
          const refusal = (await t.succeed(node, `cat ${dir}/refusal.txt`)).trim();
          const outcome: RehearsalOutcome = {
            refusal: { code: 40, output: refusal }, facts, tail: { firstBlock, blocks, inUse, blockSize }, verdict: conversionVerdict(facts),
          };
          t.note(`guide-v1 on a copy: ${describeConversion(outcome.verdict)}`);
          await t.succeed(node, writeFileCommand(rehearsalVerdictFile(p)), { stdin: `${JSON.stringify(outcome, null, 2)}\n` });
        } finally {
          await t.run(node, cleanUp);
        }
      },
    },
  ];
  // A rehearsal that left its verdict is not carried out again on a rerun.
  return steps.map((step) => ({ ...step, done: rehearsed }));
}

/** The rehearsal's outcome as the node kept it; undefined when no rehearsal finished. */
export async function readRehearsal(p: Procedure): Promise<RehearsalOutcome | undefined> {
  const { code, stdout } = await p.primary.run(`cat ${rehearsalVerdictFile(p)}`);
  return code === 0 ? (JSON.parse(stdout) as RehearsalOutcome) : undefined;
}
