/**
 * Imported first by the CLIs that take `--profile`: the report paths (support/paths.ts) depend on
 * the profile, and ES modules evaluate their imports before the importing module's body. Only the
 * environment is set here; the CLI validates the name (parseProfileName) and refuses a bad one.
 */
const args = process.argv.slice(2);
const at = args.findIndex((a) => a === '--profile' || a.startsWith('--profile='));
if (at >= 0) {
  const value = args[at].includes('=') ? args[at].slice('--profile='.length) : args[at + 1];
  if (value !== undefined) process.env.HALAB_PROFILE = value;
}
