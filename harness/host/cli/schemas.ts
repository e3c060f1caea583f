/** `npm run schemas`: writes the JSON Schemas of topology.json, a profile and an acceptance file to schemas/, from the zod schemas that validate them. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonSchemas } from '../../config/schemas.js';
import { SCHEMAS_DIR } from '../../support/paths.js';
import { EXIT, startCommand } from './command-line.js';

const HELP = `npm run schemas   write schemas/*.schema.json from harness/config/schemas.ts (npm test fails while they differ)

  -h, --help   this text`;

function main(argv: readonly string[]): number {
  const start = startCommand('schemas', argv, {}, HELP);
  if (start.exit !== undefined) return start.exit;
  mkdirSync(SCHEMAS_DIR, { recursive: true });
  for (const [file, schema] of Object.entries(jsonSchemas())) {
    writeFileSync(join(SCHEMAS_DIR, file), `${JSON.stringify(schema, null, 2)}\n`);
    process.stdout.write(`schemas/${file}\n`);
  }
  return EXIT.ok;
}

process.exit(main(process.argv.slice(2)));
