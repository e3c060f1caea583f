/**
 * P3 on linux01: the data that the conversion must keep. ext3 on the LV mounted on /data,
 * MariaDB initialised in /data/mysql, WordPress's `blog` database made by WordPress itself,
 * the evidence taken, then MariaDB stopped and /data unmounted, as in the guide.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { quote } from 'zx';
import { labHostPattern, renderMariadbCnf, renderWordpressConfig } from './config/mariadb.js';
import { hasDrbdMetadata } from './drbd-steps.js';
import { evidenceBeforeFile, listTables, updateFileCommand, writeFileCommand } from './node-files.js';
import type { Procedure } from './context.js';
import { HARNESS_DB_USER, WORDPRESS_DB_USER } from './secrets.js';
import type { Step, Transcript } from './step.js';
import { evidenceCommand, type LabNode, EVIDENCE_BEFORE_FILE } from '../harness/index.js';

export const MARIADB_CNF = '/etc/mysql/mariadb.conf.d/60-ha-lab.cnf';
export const WORDPRESS_CNF = '/etc/wordpress/config-default.php';
const SEED_PHP = readFileSync(new URL('./wordpress/seed.php', import.meta.url), 'utf8');
const WARM_UP_PHP = readFileSync(new URL('./wordpress/warm-up.php', import.meta.url), 'utf8');

/** The harness's own copy of the evidence: readable while linux01 is powered off. */
export const LOCAL_EVIDENCE_FILE = EVIDENCE_BEFORE_FILE;

/** The evidence taken before the conversion: the harness's copy, else linux01's. */
export async function evidenceBefore(p: Procedure): Promise<string> {
  if (existsSync(LOCAL_EVIDENCE_FILE)) return readFileSync(LOCAL_EVIDENCE_FILE, 'utf8');
  const text = await p.primary.succeed(`cat ${evidenceBeforeFile(p)}`);
  writeFileSync(LOCAL_EVIDENCE_FILE, text);
  return text;
}

/** The operator's MariaDB settings (`--config`), read after the lab's: theirs win. */
export const OPERATOR_MARIADB_CNF = '/etc/mysql/mariadb.conf.d/90-operator.cnf';

/** MariaDB's config for the DRBD datadir, and the log directory it names; the operator's fragment after it, or none. */
export async function installMariadbConfig(t: Transcript, node: LabNode, p: Procedure): Promise<void> {
  await t.succeed(node, `${updateFileCommand(MARIADB_CNF)} && install -d -o mysql -g adm /var/log/mysql`, { stdin: renderMariadbCnf(p.t) });
  if (p.files.mariadbFragment !== undefined) await t.succeed(node, updateFileCommand(OPERATOR_MARIADB_CNF), { stdin: p.files.mariadbFragment });
  else await t.succeed(node, `rm -f ${OPERATOR_MARIADB_CNF}`);
}

export function seedDataSteps(p: Procedure): Step[] {
  const node = p.primary;
  const { mountPoint, datadir, fsType, database } = p.t.mysql;
  const s = p.secrets;
  const seeded = async (t: Parameters<NonNullable<Step['done']>>[0]) =>
    (await t.run(node, `test -s ${evidenceBeforeFile(p)}`)).code === 0 ? `evidence ${evidenceBeforeFile(p)} exists: the data was made` : undefined;
  const sql = (statements: string) => `mariadb -e ${quote(statements)}`;
  return [
    {
      id: 'P3.1',
      title: `mkfs.${fsType} ${p.lv}, mount on ${mountPoint}`,
      done: seeded,
      run: async (t) => {
        if ((await t.run(node, `blkid -o value -s TYPE ${p.lv}`)).stdout.trim() !== fsType) await t.succeed(node, `mkfs.${fsType} -q ${p.lv}`);
        await t.succeed(node, `mkdir -p ${mountPoint} && (mountpoint -q ${mountPoint} || mount ${p.lv} ${mountPoint}) && df -h ${mountPoint}`);
      },
    },
    {
      id: 'P3.2',
      title: `initialise MariaDB in ${datadir} and start it`,
      done: seeded,
      run: async (t) => {
        await installMariadbConfig(t, node, p);
        await t.succeed(node, `test -d ${datadir}/mysql || mariadb-install-db --user=mysql --datadir=${datadir} --skip-test-db > /dev/null`);
        await t.succeed(node, 'systemctl start mariadb && systemctl is-active mariadb');
        const lab = labHostPattern(p.t);
        await t.succeed(node, sql([
          `CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4`,
          ...['localhost', lab].map((host) => `CREATE OR REPLACE USER '${WORDPRESS_DB_USER}'@'${host}' IDENTIFIED BY '${s.wordpressDbPassword}'`),
          ...['localhost', lab].map((host) => `GRANT ALL ON \`${database}\`.* TO '${WORDPRESS_DB_USER}'@'${host}'`),
          // The harness reads and writes through the VIP from the lab network only.
          `CREATE OR REPLACE USER '${HARNESS_DB_USER}'@'${lab}' IDENTIFIED BY '${s.harnessDbPassword}'`,
          `GRANT ALL ON \`${database}\`.* TO '${HARNESS_DB_USER}'@'${lab}'`,
          `GRANT PROCESS ON *.* TO '${HARNESS_DB_USER}'@'${lab}'`,
        ].join('; ')));
      },
    },
    {
      id: 'P3.3',
      title: `load the WordPress "${database}" database: install, ${p.t.wordpress.posts} posts, ${p.t.wordpress.commentsPerPost} comments each`,
      done: seeded,
      run: async (t) => {
        await t.succeed(node, writeFileCommand(WORDPRESS_CNF, '640') + ' && chgrp www-data ' + WORDPRESS_CNF, {
          stdin: renderWordpressConfig(p.t, { host: 'localhost', user: WORDPRESS_DB_USER, password: s.wordpressDbPassword }),
        });
        const env = {
          HALAB_HOST: p.t.network.vip,
          HALAB_TITLE: p.t.wordpress.title,
          HALAB_ADMIN_PASSWORD: s.wordpressAdminPassword,
          HALAB_POSTS: String(p.t.wordpress.posts),
          HALAB_COMMENTS: String(p.t.wordpress.commentsPerPost),
        };
        const assignments = Object.entries(env).map(([k, v]) => `${k}=${quote(v)}`).join(' ');
        await t.succeed(node, `cd /tmp && env ${assignments} php -d memory_limit=256M`, { stdin: SEED_PHP });
        for (let view = 1; view <= 2; view++) await t.succeed(node, `cd /tmp && env ${assignments} php -d memory_limit=256M`, { stdin: WARM_UP_PHP });
      },
    },
    {
      id: 'P3.4',
      title: 'evidence before the conversion: rows and CHECKSUM TABLE of every table',
      done: seeded,
      run: async (t) => {
        const evidence = await t.succeed(node, evidenceCommand(database, await listTables(t, node, database)));
        if (!evidence.includes('wp_posts')) throw new Error(`no wp_posts table in ${database}: WordPress did not install`);
        await t.succeed(node, `${writeFileCommand(evidenceBeforeFile(p), '600')} && cat ${evidenceBeforeFile(p)}`, { stdin: evidence });
      },
    },
    {
      id: 'P3.5',
      title: `stop MariaDB, umount ${mountPoint}, e2fsck -fn ${p.lv}`,
      // Past the conversion /data is heartbeat's (mounted from the DRBD device): never stop or unmount it here.
      done: async (t) => {
        if (!(await seeded(t))) return undefined;
        if (await hasDrbdMetadata(t, node, p)) return `DRBD metadata on ${p.lv}: the conversion is past this step`;
        return (await t.run(node, `mountpoint -q ${mountPoint}`)).code !== 0 ? `${mountPoint} is not mounted` : undefined;
      },
      run: async (t) => {
        await t.succeed(node, `systemctl stop mariadb && umount ${mountPoint}`);
        await t.succeed(node, `e2fsck -fn ${p.lv} 2>&1 | tee ${p.stateDir}/fsck-before.txt`);
      },
    },
  ];
}
