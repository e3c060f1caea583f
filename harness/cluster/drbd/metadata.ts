/** DRBD 8.4 internal metadata, in 512-byte sectors: ceil(Cs / 2^18) * 8 + 72 (Cs = device sectors). */
export function internalMetadataSectors(deviceSectors: number): number {
  if (!Number.isInteger(deviceSectors) || deviceSectors <= 0) throw new Error(`device size must be a positive whole number of sectors, got ${deviceSectors}`);
  return Math.ceil(deviceSectors / 2 ** 18) * 8 + 72;
}

export interface ExtensionPlan {
  /** Metadata size for the LV as it is now (the guide's P5 calculation). */
  metadataSectors: number;
  /** Whole extents to add so that the old file system plus metadata fit (at least one). */
  extents: number;
  /** LV size after the extension, in sectors. */
  newSizeSectors: number;
}

const SECTORS_PER_MIB = 2048;

/**
 * P5/S5: how many extents to add to an LV of `lvSectors` so that DRBD's internal metadata sits
 * after the file system instead of over its tail. The metadata grows with the device, so the
 * plan is checked against the grown size too.
 */
export function planExtension(lvSectors: number, extentMiB: number, freeExtents: number): ExtensionPlan {
  const extentSectors = extentMiB * SECTORS_PER_MIB;
  let extents = 1;
  while (internalMetadataSectors(lvSectors + extents * extentSectors) > extents * extentSectors) extents++;
  if (extents > freeExtents) {
    throw new Error(`the volume group has ${freeExtents} free extent(s) of ${extentMiB} MiB, but DRBD's internal metadata ` +
      `(${internalMetadataSectors(lvSectors + extents * extentSectors)} sectors) needs ${extents}: add a PV or use external metadata`);
  }
  return { metadataSectors: internalMetadataSectors(lvSectors), extents, newSizeSectors: lvSectors + extents * extentSectors };
}
