import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** A secret found in a report file: the file and the secret's name, never its value. */
export interface SecretHit {
  file: string;
  secret: string;
  /** How it was written there: as it is, or base64-encoded (an attachment embedded in the HTML). */
  form: 'plain' | 'base64';
}

/**
 * The base64 texts that appear wherever `value` is base64-encoded inside a longer text: one per
 * alignment of its first byte (0, 1 or 2 bytes into a 3-byte group), without the characters that
 * also depend on the bytes around it.
 */
export function base64Forms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  return [0, 1, 2].map((offset) => {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const start = offset === 0 ? 0 : offset === 1 ? 2 : 3;
    const fullGroups = Math.floor((offset + bytes.length) / 3) * 4;
    return encoded.slice(start, fullGroups);
  }).filter((form) => form.length >= 8);
}

function* filesUnder(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else if (entry.isFile()) yield path;
  }
}

/**
 * Every file under `dir` (Allure results and HTML, JUnit, scenario histories, runbooks…) searched
 * for each secret of the run, as written and base64-encoded. A secret that reached the reports by
 * a path nobody redacted would otherwise be published with the sign-off.
 */
export function scanForSecrets(dir: string, secrets: Readonly<Record<string, string>>, root = dir): SecretHit[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  const wanted = Object.entries(secrets).filter(([, value]) => value.length >= 8)
    .map(([name, value]) => ({ name, plain: value, encoded: base64Forms(value) }));
  const hits: SecretHit[] = [];
  for (const file of filesUnder(dir)) {
    const text = readFileSync(file).toString('latin1');
    for (const secret of wanted) {
      if (text.includes(secret.plain)) hits.push({ file: relative(root, file), secret: secret.name, form: 'plain' });
      else if (secret.encoded.some((form) => text.includes(form))) hits.push({ file: relative(root, file), secret: secret.name, form: 'base64' });
    }
  }
  return hits;
}

/** One line per hit, for the run's end: the file and the secret's name. */
export function describeSecretHits(hits: readonly SecretHit[]): string[] {
  return hits.map((h) => `${h.file}: holds the secret "${h.secret}"${h.form === 'base64' ? ' (base64-encoded)' : ''}`);
}

/** The run's secrets by name (the lab's secrets file, git-ignored, mode 600); none when it does not exist yet. */
export function readRunSecrets(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** Scans the reports, prints each hit to stderr, and says whether any was found. */
export function reportsLeakSecrets(reportsDir: string, secretsFile: string, write: (line: string) => void): boolean {
  const hits = scanForSecrets(reportsDir, readRunSecrets(secretsFile));
  for (const line of describeSecretHits(hits)) write(`secret scan: ${line}: the reports must not be published; find the path that wrote it and redact it there\n`);
  return hits.length > 0;
}
