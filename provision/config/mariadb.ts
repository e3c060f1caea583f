import type { ResolvedTopology } from '../../harness/index.js';

/** MariaDB on the DRBD disk, reachable on the VIP from the lab network. */
export function renderMariadbCnf(t: ResolvedTopology): string {
  return `# Rendered by ha-lab from topology.json. The datadir lives on ${t.drbd.device}, mounted on ${t.mysql.mountPoint}.
[mysqld]
datadir = ${t.mysql.datadir}
bind-address = 0.0.0.0
log-error = /var/log/mysql/error.log
innodb_buffer_pool_size = 64M
innodb_flush_log_at_trx_commit = 1
sync_binlog = 1
skip-name-resolve
`;
}

/** The lab subnet as MariaDB host pattern, e.g. 192.168.211.% for a /24. */
export function labHostPattern(t: ResolvedTopology): string {
  if (t.prefixLength !== 24) return `${t.network.cidr.split('/')[0]}/${t.netmask}`;
  return `${t.network.cidr.split('.').slice(0, 3).join('.')}.%`;
}

/** Debian's WordPress reads /etc/wordpress/config-default.php for any host name. */
export function renderWordpressConfig(t: ResolvedTopology, db: { host: string; user: string; password: string }): string {
  const php = (value: string) => `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
  return `<?php
// Rendered by ha-lab: the blog's database is reached on ${db.host}.
define('DB_NAME', ${php(t.mysql.database)});
define('DB_USER', ${php(db.user)});
define('DB_PASSWORD', ${php(db.password)});
define('DB_HOST', ${php(db.host)});
define('WP_HOME', 'http://${t.network.vip}');
define('WP_SITEURL', 'http://${t.network.vip}');
define('WP_CONTENT_DIR', '/var/lib/wordpress/wp-content');
define('AUTOMATIC_UPDATER_DISABLED', true);
// WP-Cron would rewrite posts' meta (pings) on a page view: the data changes only by the harness.
define('DISABLE_WP_CRON', true);
`;
}
