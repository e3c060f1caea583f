import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOperatorConfig, loadTopology, PROJECT_DIR } from '../../harness/index.js';
import { operatorFiles, renderedFiles } from './cluster-files.js';
import { renderHaCf } from './heartbeat.js';

const t = loadTopology();
const SECRET = 'a1b2c3d4e5f6g7h8i9j0';

describe('the files the procedure deploys', () => {
  it('rendered: the renderers\' files, per node where they differ', () => {
    const files = renderedFiles(t);
    expect(files.haCf(t.nodes[0])).toBe(renderHaCf(t, t.nodes[0]));
    expect(files.authkeys(SECRET)).toBe(`auth 1\n1 sha1 ${SECRET}\n`);
    expect(files.mariadbFragment).toBeUndefined();
  });

  it('the operator\'s: their files mapped, headed by where they come from; the same ha.cf on both nodes; the lab\'s secret with their method', () => {
    const config = loadOperatorConfig(join(PROJECT_DIR, 'examples', 'shop-db'), t);
    const files = operatorFiles(config);
    expect(files.source).toBe("the operator's, from shop-db/");
    expect(files.drbdConf()).toMatch(/^# ha-lab: the operator's file from shop-db\/ \([0-9a-f]{12}\), mapped to the lab's names\.\n# shop-db: /);
    expect(files.drbdConf()).toContain('after-sb-1pri discard-secondary;');
    expect(files.haCf(t.nodes[0])).toBe(files.haCf(t.nodes[1]));
    expect(files.authkeys(SECRET)).toBe(`auth 1\n1 md5 ${SECRET}\n`);
    expect(files.authkeys(SECRET)).not.toContain('not-the-real-secret');
    expect(files.haresources()).toBe('linux01 drbddisk::r0 Filesystem::/dev/drbd0::/data::ext3 IPaddr::192.168.211.120/24/eth1 mariadb\n');
    expect(files.mariadbFragment).toContain('datadir = /data/mysql');
  });
});
