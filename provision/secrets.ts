import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SECRETS_FILE } from '../harness/index.js';

/** Per-lab secrets: generated once, kept git-ignored with mode 600, never printed or attached. */
export interface Secrets {
  /** The harness's own database user (lab subnet only). */
  harnessDbPassword: string;
  /** WordPress's database user. */
  wordpressDbPassword: string;
  wordpressAdminPassword: string;
  /** heartbeat authkeys (sha1/md5). */
  heartbeatKey: string;
  /** What a node's STONITH plugin shows the lab's power switch (a hardened profile's ha.cf). */
  powerSwitchToken: string;
}

export const HARNESS_DB_USER = 'halab';
export const WORDPRESS_DB_USER = 'wordpress';

const generate = () => randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 20).padEnd(20, 'x');

export function loadSecrets(file = SECRETS_FILE): Secrets {
  const kept: Partial<Secrets> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const secrets: Secrets = {
    harnessDbPassword: kept.harnessDbPassword ?? generate(), wordpressDbPassword: kept.wordpressDbPassword ?? generate(),
    wordpressAdminPassword: kept.wordpressAdminPassword ?? generate(), heartbeatKey: kept.heartbeatKey ?? generate(),
    // (a lab kept from before the power switch has no token yet)
    powerSwitchToken: kept.powerSwitchToken ?? generate(),
  };
  if (Object.keys(kept).length === Object.keys(secrets).length) return secrets;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

export function secretValues(secrets: Secrets): string[] {
  return Object.values(secrets);
}

/** Replaces every secret in the text with ***: for anything printed, attached or thrown. */
export function redact(text: string, secrets: readonly string[]): string {
  return secrets.filter(Boolean).reduce((out, secret) => out.replaceAll(secret, '***'), text);
}
