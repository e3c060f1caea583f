// The layers of harness/, bottom to top, and the doors of the two libraries (`npm test` enforces them):
//   support     small helpers every layer shares (log, waits, paths)
//   config      the topology, the profiles, the variants, the run context
//   hypervisor  the one handle on libvirt (power, freeze, the NIC's link, snapshots) and the lab's power switch
//   cluster     the cluster library: nodes over SSH, DRBD, heartbeat, MySQL, the cluster's verbs
//   checking    history, clients, faults, checkers, scenario runner, sign-off, report
//   host        host orchestration and the CLIs: box, lab, vagrant, preflight
// A layer imports only from below itself. provision/ reaches the harness through harness/index.ts;
// specs/ reach both through harness/index.ts and provision/index.ts. No cycles anywhere.
const LAYERS = ['support', 'config', 'hypervisor', 'cluster', 'checking', 'host'];

const above = (layer) => LAYERS.slice(LAYERS.indexOf(layer) + 1);

module.exports = {
  forbidden: [
    ...LAYERS.slice(0, -1).map((layer) => ({
      name: `${layer}-imports-only-below`,
      comment: `harness/${layer} is below ${above(layer).join(', ')}: it must not import them`,
      severity: 'error',
      from: { path: `^harness/${layer}/` },
      to: { path: `^harness/(${above(layer).join('|')})/` },
    })),
    {
      name: 'harness-is-self-contained',
      comment: 'the harness never imports the procedure or the specs',
      severity: 'error',
      from: { path: '^harness/' },
      to: { path: '^(provision|specs)/' },
    },
    {
      name: 'inside-never-through-the-door',
      comment: 'harness/index.ts is the door for provision/ and specs/; inside the harness, import the module itself',
      severity: 'error',
      from: { path: '^harness/', pathNot: '^harness/index\\.ts$' },
      to: { path: '^harness/index\\.ts$' },
    },
    {
      name: 'provision-through-the-harness-door',
      comment: 'provision/ uses the harness through harness/index.ts only',
      severity: 'error',
      from: { path: '^provision/' },
      to: { path: '^harness/', pathNot: '^harness/index\\.ts$' },
    },
    {
      name: 'provision-never-imports-specs',
      severity: 'error',
      from: { path: '^provision/' },
      to: { path: '^specs/' },
    },
    {
      name: 'specs-through-the-doors',
      comment: 'specs/ use the harness and the procedure through harness/index.ts and provision/index.ts only',
      severity: 'error',
      from: { path: '^specs/' },
      to: { path: '^(harness|provision)/', pathNot: '^(harness|provision)/index\\.ts$' },
    },
    {
      name: 'no-circular',
      comment: 'an import cycle: two modules that cannot be understood (or loaded) one without the other',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|\\.stryker-tmp|reports)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
