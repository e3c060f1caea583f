import { describe, expect, it } from 'vitest';
import { conversionVerdict, describeConversion, type ConversionFacts } from './conversion-checker.js';

/** The final procedure's /dev/drbd0: the file system fits, e2fsck is clean, it mounts, every table as before. */
const safe: ConversionFacts = {
  device: '/dev/drbd0', deviceBytes: 369_098_752, fsBytes: 335_544_320,
  fsck: { code: 0, output: '/dev/drbd0: 241/81920 files (22.8% non-contiguous), 148152/327680 blocks' },
  mount: { code: 0, output: '' }, tableDifferences: [],
};

/** guide-v1 as measured on a copy (2026-11-28): e2fsck -n exits 0 after its size warning, the kernel refuses the mount. */
const guideV1: ConversionFacts = {
  device: '/dev/drbd1', deviceBytes: 335_495_168, fsBytes: 335_544_320,
  fsck: {
    code: 0,
    output: 'The filesystem size (according to the superblock) is 327680 blocks\nThe physical size of the device is 327632 blocks\nEither the superblock or the partition table is likely to be corrupt!\nAbort? no\n',
  },
  mount: { code: 32, output: 'mount: /root/ha-lab/guide-v1/mnt: wrong fs type, bad option, bad superblock on /dev/drbd1\n[  195.190106] EXT4-fs (drbd1): bad geometry: block count 327680 exceeds size of device (327632 blocks)' },
  tablesUnread: 'the mount of /dev/drbd1 was refused',
};

const ids = (facts: ConversionFacts) => conversionVerdict(facts).findings.map((f) => f.id);

describe('conversionVerdict (V5 after P4-P10, and the guide-v1 rehearsal)', () => {
  it('SAFE when the file system fits, e2fsck is clean, it mounts and the tables match', () => {
    expect(conversionVerdict(safe)).toEqual({ property: 'data safety', verdict: 'SAFE', findings: [] });
  });

  it('guide-v1: UNSAFE with the file system beyond the device, e2fsck\'s size warning (exit 0 under -n), the refused mount', () => {
    const v = conversionVerdict(guideV1);
    expect(v.verdict).toBe('UNSAFE');
    expect(ids(guideV1)).toEqual(['FS-BEYOND-DEVICE', 'FSCK-ERRORS', 'MOUNT-REFUSED', 'TABLES-UNREAD']);
    expect(v.findings[0].message).toContain('its last 48 KiB lie beyond the device\'s end');
    expect(describeConversion(v)).toMatch(/^UNSAFE: FS-BEYOND-DEVICE \(the file system on \/dev\/drbd1 is 335544320 bytes and the device 335495168/);
    // Each finding's first line names what the tool said, not only that it failed.
    expect(v.findings[1].message).toBe('e2fsck -fn /dev/drbd1 (exit 0): The physical size of the device is 327632 blocks');
    expect(v.findings[2].message).toBe('mounting /dev/drbd1 failed (exit 32): [  195.190106] EXT4-fs (drbd1): bad geometry: block count 327680 exceeds size of device (327632 blocks)');
  });

  it('a file system one byte larger than the device is beyond it; an equal one fits', () => {
    expect(ids({ ...safe, fsBytes: safe.deviceBytes + 1 })).toEqual(['FS-BEYOND-DEVICE']);
    expect(conversionVerdict({ ...safe, fsBytes: safe.deviceBytes }).verdict).toBe('SAFE');
  });

  it('no superblock on the device is UNSAFE: the first MiB did not come back', () => {
    const { fsBytes: _, ...noFs } = safe;
    expect(ids(noFs)).toEqual(['NO-FILESYSTEM']);
  });

  it('e2fsck exit 4 is UNSAFE; exit 8 (it could not check) alone is UNKNOWN, never SAFE', () => {
    expect(conversionVerdict({ ...safe, fsck: { code: 4, output: 'errors' } }).verdict).toBe('UNSAFE');
    const unchecked = conversionVerdict({ ...safe, fsck: { code: 8, output: 'e2fsck: Device or resource busy' } });
    expect(unchecked.verdict).toBe('UNKNOWN');
    expect(unchecked.findings.map((f) => f.id)).toEqual(['FSCK-FAILED']);
  });

  it('tables that differ are UNSAFE; tables not read are UNKNOWN', () => {
    expect(conversionVerdict({ ...safe, tableDifferences: ['wp_posts: 200 rows before, 199 after'] }).verdict).toBe('UNSAFE');
    const { tableDifferences: _, ...unread } = safe;
    const v = conversionVerdict({ ...unread, tablesUnread: 'MariaDB did not start' });
    expect(v.verdict).toBe('UNKNOWN');
    expect(v.findings[0].message).toContain('MariaDB did not start');
  });
});
