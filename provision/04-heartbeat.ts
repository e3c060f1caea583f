/**
 * H1–H4 on both nodes, then heartbeat started: it takes DRBD primary, the mount, the VIP and
 * MariaDB on linux01. MariaDB's config and the blog (nginx + php-fpm, database on the VIP) are
 * put on both nodes so that whichever holds the VIP serves them.
 */
import { quote } from 'zx';
import { renderWordpressConfig } from './config/mariadb.js';
import type { Procedure } from './context.js';
import { installMariadbConfig, WORDPRESS_CNF } from './01-seed-data.js';
import { updateFileCommand, writeFileCommand } from './node-files.js';
import { WORDPRESS_DB_USER } from './secrets.js';
import type { Step } from './step.js';
import { describeHoldings, holdsAll, holdsNone, readHoldings, type LabNode, waitFor } from '../harness/index.js';

const NGINX_SITE = `# ha-lab: the guide's blog, served by nginx + php-fpm on whichever node holds the VIP.
server {
  listen 80 default_server;
  root /usr/share/wordpress;
  index index.php;
  # Which node served the page: the specs check that the VIP moved with the service.
  add_header X-Served-By $hostname always;
  location / { try_files $uri $uri/ /index.php?$args; }
  location /wp-content/ { alias /var/lib/wordpress/wp-content/; }
  location ~ \\.php$ {
    include snippets/fastcgi-php.conf;
    fastcgi_pass unix:/run/php/php8.2-fpm.sock;
  }
}
`;

function onBoth(p: Procedure, id: string, title: string, run: (node: LabNode, t: Parameters<Step['run']>[0]) => Promise<void>): Step {
  return { id, title: `${title} (both nodes)`, run: async (t) => { for (const node of [p.primary, p.secondary]) await run(node, t); } };
}

export function heartbeatConfigSteps(p: Procedure): Step[] {
  const hb = p.t.heartbeat;
  return [
    onBoth(p, 'H1', `ha.cf (${p.files.source}): keepalive ${hb.keepalive}, deadtime ${hb.deadtime}, auto_failback ${hb.autoFailback ? 'on' : 'off'}`, async (node, t) => {
      await t.succeed(node, writeFileCommand('/etc/ha.d/ha.cf'), { stdin: p.files.haCf(p.t.nodes.find((n) => n.name === node.name)!) });
    }),
    onBoth(p, 'H2', `authkeys (${p.files.authMethod}${p.files.authMethod === 'crc' ? ', as the guide: authenticates nothing' : ', secret generated per lab'}), mode 600`, async (node, t) => {
      // heartbeat refuses to start unless authkeys is root's, mode 600: check what was set.
      await t.succeed(node, `${writeFileCommand('/etc/ha.d/authkeys', '600')} && stat -c '%a %U %n' /etc/ha.d/authkeys && ` +
        `test "$(stat -c '%a %U' /etc/ha.d/authkeys)" = '600 root' || { echo 'H2: /etc/ha.d/authkeys is not root-owned mode 600' >&2; exit 1; }`, {
        stdin: p.files.authkeys(p.secrets.heartbeatKey),
      });
    }),
    onBoth(p, 'H3', `haresources: ${p.files.haresources().trim()}`, async (node, t) => {
      await t.succeed(node, `${writeFileCommand('/etc/ha.d/haresources')} && cat /etc/ha.d/haresources`, { stdin: p.files.haresources() });
    }),
    onBoth(p, 'H4', 'let group haclient run drbdsetup and drbdmeta (setuid), for the peer-outdater', async (node, t) => {
      // drbd-utils 9 drives the 8.4 module through /lib/drbd/drbdsetup-84: it gets the same rights.
      // drbdsetup and drbdmeta are required (the handler runs them); drbdsetup-84 exists only where
      // drbd-utils 9 drives an 8.4 module. Each is checked after: root-owned, group haclient, 4754.
      await t.succeed(node, 'for f in /usr/sbin/drbdsetup /usr/sbin/drbdmeta /lib/drbd/drbdsetup-84; do ' +
        'if [ ! -e "$f" ]; then [ "$f" = /lib/drbd/drbdsetup-84 ] && continue; echo "H4: $f is missing" >&2; exit 1; fi; ' +
        'chgrp haclient "$f" && chmod o-x "$f" && chmod u+s "$f" && stat -c "%A %U %G %n" "$f" && ' +
        'test "$(stat -c "%U %G %a" "$f")" = "root haclient 4754" || { echo "H4: $f is not root:haclient 4754" >&2; exit 1; }; done');
    }),
    onBoth(p, 'H.mysql', `MariaDB config (datadir ${p.t.mysql.datadir}, all addresses) and the blog (nginx, php-fpm, database on the VIP)`, async (node, t) => {
      await installMariadbConfig(t, node, p);
      await t.succeed(node, `${updateFileCommand(WORDPRESS_CNF, '640')} && chgrp www-data ${WORDPRESS_CNF}`, {
        stdin: renderWordpressConfig(p.t, { host: p.t.network.vip, user: WORDPRESS_DB_USER, password: p.secrets.wordpressDbPassword }),
      });
      // Restarting nginx and php-fpm costs seconds under TCG: only when the site changed.
      const site = await t.succeed(node, updateFileCommand('/etc/nginx/sites-available/ha-lab'), { stdin: NGINX_SITE });
      if (site.trim() === 'changed' || (await t.run(node, 'test -e /etc/nginx/sites-enabled/default')).code === 0) {
        await t.succeed(node, 'ln -sf ../sites-available/ha-lab /etc/nginx/sites-enabled/ha-lab && rm -f /etc/nginx/sites-enabled/default ' +
          '&& nginx -t 2>&1 && systemctl restart nginx');
      }
      // MariaDB belongs to heartbeat: it must not start on its own at boot (the box disables it;
      // `systemctl disable` reloads systemd, seconds under TCG, so only when needed), nor on a
      // client's connection: Debian's mariadb.socket restarted mariadbd on the node releasing
      // the group, seconds after heartbeat stopped it (seen in the history of the failover).
      await t.succeed(node, 'if systemctl -q is-enabled mariadb; then systemctl disable mariadb; fi; echo "mariadb at boot: $(systemctl is-enabled mariadb)"');
      await t.succeed(node, 'if [ "$(systemctl is-enabled mariadb.socket 2>/dev/null)" != masked ]; then systemctl stop mariadb.socket && systemctl mask mariadb.socket; fi; ' +
        'echo "mariadb.socket: $(systemctl is-enabled mariadb.socket 2>/dev/null), $(systemctl is-active mariadb.socket)"');
    }),
  ];
}

export function heartbeatStartStep(p: Procedure): Step {
  return {
    id: 'H.start',
    title: `start heartbeat on both nodes; ${p.primary.name} takes the resources and the VIP answers MySQL`,
    done: async (t) => {
      const active = await Promise.all([p.primary, p.secondary].map(async (node) => (await t.run(node, 'systemctl is-active heartbeat')).code === 0));
      const [primary, secondary] = await Promise.all([readHoldings(p.primary, p.t), readHoldings(p.secondary, p.t)]);
      return active.every(Boolean) && holdsAll(primary, p.t.mysql.datadir) && holdsNone(secondary) ? `heartbeat runs, ${p.primary.name} holds ${describeHoldings(primary)}` : undefined;
    },
    run: async (t) => {
      // A heartbeat running with an older configuration is stopped on both nodes first (right to left).
      for (const node of [p.secondary, p.primary]) await t.succeed(node, 'systemctl stop heartbeat');
      await Promise.all([p.primary, p.secondary].map((node) => t.succeed(node, 'systemctl start heartbeat && systemctl is-active heartbeat')));
      await waitFor(`${p.primary.name} owns VIP, DRBD Primary, mount and mysqld`, async () => {
        const held = await readHoldings(p.primary, p.t);
        if (!holdsAll(held, p.t.mysql.datadir)) throw new Error(`${p.primary.name}: ${describeHoldings(held)}`);
      }, { timeoutSeconds: 300, intervalSeconds: 2 });
      const [primary, secondary] = await Promise.all([readHoldings(p.primary, p.t), readHoldings(p.secondary, p.t)]);
      t.note(`${p.primary.name}: ${describeHoldings(primary)}\n${p.secondary.name}: ${describeHoldings(secondary)}`);
      if (!holdsNone(secondary)) throw new Error(`${p.secondary.name} holds resources too: ${describeHoldings(secondary)}`);
      await t.succeed(p.primary, `tail -n 30 /var/log/ha-log`);
      await t.succeed(p.primary, `mariadb -N -e ${quote(`SELECT COUNT(*) FROM ${p.t.mysql.database}.wp_posts`)}`);
    },
  };
}
