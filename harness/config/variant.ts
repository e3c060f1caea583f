/**
 * Which of the guide's ways of making room for DRBD's metadata the procedure carries out
 * (`--variant`). The default is the guide's final procedure; the others are the preconditions the
 * guide names for an LV that cannot simply grow, and its first version as written.
 */
export const VARIANTS = {
  final: 'the guide\'s final procedure: grow the LV by one extent for internal metadata (P5)',
  'guide-v1': 'the guide\'s first version as written (no lvextend), rehearsed on a copy of the seeded data before the final procedure',
  'shrink-fs': 'no free extents in VG: shrink the ext3 file system by the metadata size (e2fsck + resize2fs, offline) instead of growing the LV',
  'external-md': 'metadata on a separate LV (meta-disk /dev/VG/drbd-md[0]): the data LV is not changed at all',
} as const;

export type Variant = keyof typeof VARIANTS;

export class VariantError extends Error {
  override name = 'VariantError';
}

/** A variant by name; an unknown one is refused with the known ones and what each does. */
export function parseVariant(value: string | undefined, source = '--variant'): Variant {
  if (value === undefined || value === '') return 'final';
  if (Object.hasOwn(VARIANTS, value)) return value as Variant;
  const known = Object.entries(VARIANTS).map(([name, what]) => `  ${name}: ${what}`).join('\n');
  throw new VariantError(`${source} ${JSON.stringify(value)}: no such variant; the variants are:\n${known}`);
}
