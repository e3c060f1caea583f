/**
 * What the phases that build DRBD share: the resource's layout, its drbd.conf, the LV grown for
 * internal metadata or the external metadata LV, create-md and up (P5-P9 on linux01, S3-S7 on
 * linux02, and the rehearsal on a copy), and what a converted device shows.
 */
import { guideLayout, type DrbdResourceLayout } from './config/drbd-conf.js';
import { EXTERNAL_MD, metaDiskArgs, type Procedure } from './context.js';
import { evidenceBeforeFile, listTables, writeFileCommand } from './node-files.js';
import type { Step, Transcript } from './step.js';
import {
  compareEvidence, drbdState, evidenceCommand, internalMetadataSectors, parseEvidence, planExtension,
  type ConversionFacts, type LabNode,
} from '../harness/index.js';

export const MiB = 1024 * 1024;
export const DRBD_CONF = '/etc/drbd.conf';

/** The resource as the variant lays it out: the guide's, with the metadata on its own LV for external-md. */
export function procedureLayout(p: Procedure): DrbdResourceLayout {
  const layout = guideLayout(p.t);
  return p.variant === 'external-md' ? { ...layout, metaDisk: `${p.metaLv}[0]` } : layout;
}

/** DRBD metadata is on the LV: the resource is up, or drbdmeta finds valid v08 metadata. */
export async function hasDrbdMetadata(t: Transcript, node: LabNode, p: Procedure): Promise<boolean> {
  const state = await drbdState(node, p.t);
  if (state.cs !== 'Unconfigured') return true;
  return (await t.run(node, `drbdmeta --force ${p.t.drbd.device} v08 ${p.lv} ${metaDiskArgs(p)} get-gi`)).code === 0;
}

export async function firstMiBIsZero(t: Transcript, node: LabNode, device: string): Promise<boolean> {
  return (await t.run(node, `cmp -s -n ${MiB} ${device} /dev/zero`)).code === 0;
}

/** P5/S5: grow the LV by whole extents that cover DRBD's internal metadata. */
export function extendStep(id: string, p: Procedure, node: LabNode): Step {
  const { vg, extentMiB, lvMiB } = p.t.lvm;
  const plan = () => planExtension(lvMiB * 2048, extentMiB, Number.MAX_SAFE_INTEGER);
  return {
    id,
    title: `lvextend ${p.lv} by the DRBD metadata size, in whole ${extentMiB} MiB extents`,
    done: async (t) => {
      const sectors = Number((await t.succeed(node, `blockdev --getsz ${p.lv}`)).trim());
      return sectors >= plan().newSizeSectors ? `${p.lv} is ${sectors / 2048} MiB already` : undefined;
    },
    run: async (t) => {
      const sectors = Number((await t.succeed(node, `blockdev --getsz ${p.lv}`)).trim());
      const free = Number((await t.succeed(node, `vgs --noheadings -o vg_free_count ${vg}`)).trim());
      const { metadataSectors, extents, newSizeSectors } = planExtension(sectors, extentMiB, free);
      t.note(`metadata for ${sectors} sectors: ceil(${sectors}/2^18)*8+72 = ${metadataSectors} sectors (${metadataSectors / 2} KiB); ` +
        `adding ${extents} extent(s) of ${extentMiB} MiB → ${newSizeSectors / 2048} MiB`);
      await t.succeed(node, `lvextend -l +${extents} ${p.lv}`);
    },
  };
}

/** P7/S3: the same drbd.conf on both nodes. */
export function drbdConfStep(id: string, p: Procedure, node: LabNode): Step {
  return {
    id,
    title: `write ${DRBD_CONF} (resource ${p.t.drbd.resource}, ${p.files.source}) on ${node.name}`,
    run: async (t) => {
      await t.succeed(node, `${writeFileCommand(DRBD_CONF)} && drbdadm dump ${p.t.drbd.resource} > /dev/null`, { stdin: p.files.drbdConf(procedureLayout(p)) });
    },
  };
}

/** P5/S5 of external-md: the metadata's own LV, on the VG's free extents; the data LV stays as it is. */
export function metaLvStep(id: string, p: Procedure, node: LabNode): Step {
  return {
    id,
    title: `lvcreate ${p.metaLv} (${EXTERNAL_MD.mib} MiB: DRBD 8.4's indexed external metadata) on ${node.name}; ${p.lv} is not touched`,
    done: async (t) => ((await t.run(node, `lvs --noheadings ${p.t.lvm.vg}/${EXTERNAL_MD.lv}`)).code === 0 ? `${p.metaLv} exists` : undefined),
    run: async (t) => {
      await t.succeed(node, `lvcreate -y -n ${EXTERNAL_MD.lv} -L ${EXTERNAL_MD.mib}M ${p.t.lvm.vg} && lvs --units m ${p.t.lvm.vg}`);
    },
  };
}

/** P8/S6: create-md without a TTY: --force answers the question it would ask; its words are kept. */
export function createMdStep(id: string, p: Procedure, node: LabNode): Step {
  return {
    id,
    title: `drbdadm create-md ${p.t.drbd.resource} on ${node.name}`,
    done: async (t) => ((await hasDrbdMetadata(t, node, p)) ? 'DRBD metadata present' : undefined),
    run: async (t) => {
      await t.succeed(node, `mkdir -p ${p.stateDir} && drbdadm create-md --force ${p.t.drbd.resource} 2>&1 | tee ${p.stateDir}/create-md.txt`);
    },
  };
}

export function upStep(id: string, p: Procedure, node: LabNode): Step {
  return {
    id,
    title: `drbdadm up ${p.t.drbd.resource} on ${node.name}`,
    done: async () => ((await drbdState(node, p.t)).cs !== 'Unconfigured' ? 'resource is up' : undefined),
    run: async (t) => {
      await t.succeed(node, `modprobe drbd && drbdadm up ${p.t.drbd.resource} && cat /proc/drbd`);
    },
  };
}

/** The ext file system's size from the superblock on `device` (block count × block size), or undefined when there is none. */
export async function fsBytes(t: Transcript, node: LabNode, device: string): Promise<number | undefined> {
  const out = (await t.run(node, `dumpe2fs -h ${device} 2>/dev/null | grep -E '^Block (count|size):'`)).stdout;
  const count = /Block count:\s+(\d+)/.exec(out)?.[1];
  const size = /Block size:\s+(\d+)/.exec(out)?.[1];
  return count && size ? Number(count) * Number(size) : undefined;
}

/** Where the evidence of a converted device is read, and whether MariaDB reads the tables on it. */
export interface FactsSource {
  device: string;
  mountPoint: string;
  /** e2fsck's output is kept there for the report. */
  fsckFile: string;
  /** Start MariaDB on the mounted device and compare every table with the evidence before (left running: the caller stops it). */
  tables: boolean;
}

/**
 * What a converted device shows: its size against the file system's, `e2fsck -fn` (output and
 * exit code), the mount (with the kernel's last words when it refuses), and the tables.
 */
export async function conversionFacts(t: Transcript, node: LabNode, p: Procedure, source: FactsSource): Promise<ConversionFacts> {
  const { device, mountPoint, fsckFile } = source;
  const deviceBytes = Number((await t.succeed(node, `blockdev --getsize64 ${device}`)).trim());
  const fs = await fsBytes(t, node, device);
  const fsck = await t.run(node, `e2fsck -fn ${device} > ${fsckFile} 2>&1; code=$?; cat ${fsckFile}; exit $code`);
  const mount = await t.run(node, `mkdir -p ${mountPoint} && mount ${source.tables ? '' : '-o ro '}${device} ${mountPoint} || { code=$?; dmesg | tail -n 3; exit $code; }`);
  const facts: ConversionFacts = {
    device, deviceBytes, ...(fs !== undefined && { fsBytes: fs }),
    fsck: { code: fsck.code, output: fsck.stdout }, mount: { code: mount.code, output: `${mount.stdout}${mount.stderr}` },
  };
  if (mount.code !== 0) return { ...facts, tablesUnread: `the mount of ${device} was refused` };
  if (!source.tables) return { ...facts, tablesUnread: `MariaDB is not started on ${device}` };
  const { database } = p.t.mysql;
  await t.succeed(node, 'systemctl start mariadb');
  const after = parseEvidence(await t.succeed(node, evidenceCommand(database, await listTables(t, node, database))));
  const before = parseEvidence(await t.succeed(node, `cat ${evidenceBeforeFile(p)}`));
  return { ...facts, tableDifferences: compareEvidence(before, after) };
}

/** DRBD's usable size on an LV of `sectors` with internal metadata, in KiB: DRBD keeps it 4 KiB aligned. */
export function usableKiBWithInternalMetadata(sectors: number): number {
  return Math.floor((sectors - internalMetadataSectors(sectors)) / 8) * 4;
}
