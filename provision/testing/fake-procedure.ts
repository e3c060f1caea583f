/**
 * A procedure on scripted nodes, for unit tests of the steps' refusal logic: each node answers
 * commands from a list of (pattern, answer) rules and remembers what it was asked. No VM.
 */
import { loadTopology, type CommandResult, type LabNode, type Variant } from '../../harness/index.js';
import { procedureFor, type Procedure } from '../context.js';

export type Answer = Partial<Pick<CommandResult, 'stdout' | 'stderr' | 'code'>>;

export interface FakeNode {
  node: LabNode;
  /** Every command the node was asked to run, in order. */
  asked: string[];
  /** The first rule whose pattern matches a command answers it; unmatched commands succeed with no output. */
  rules: [RegExp, Answer | ((command: string) => Answer)][];
}

export function fakeNode(name: string, rules: FakeNode['rules'] = []): FakeNode {
  const fake: FakeNode = { asked: [], rules, node: undefined as unknown as LabNode };
  fake.node = {
    name,
    async run(command: string): Promise<CommandResult> {
      fake.asked.push(command);
      const rule = fake.rules.find(([pattern]) => pattern.test(command));
      const answer = typeof rule?.[1] === 'function' ? rule[1](command) : rule?.[1] ?? {};
      return { command, stdout: answer.stdout ?? '', stderr: answer.stderr ?? '', code: answer.code ?? 0 };
    },
  } as unknown as LabNode;
  return fake;
}

/** /proc/drbd of an unconfigured node (the module loaded, no resource). */
export const PROC_DRBD_UNCONFIGURED = 'version: 8.4.11 (api:1/proto:86-101)\nsrcversion: B536C32A3EADA868561EFD9\n';

/** /proc/drbd with resource 0 in the given state. */
export function procDrbd(cs: string, ro: string, ds: string): string {
  return `${PROC_DRBD_UNCONFIGURED} 0: cs:${cs} ro:${ro} ds:${ds} C r-----\n    ns:0 nr:0 dw:0 dr:0 al:0 bm:0 lo:0 pe:0 ua:0 ap:0 ep:1 wo:f oos:0\n`;
}

export function fakeProcedure(variant: Variant, primary: FakeNode, secondary: FakeNode, profile = 'guide'): Procedure {
  return procedureFor({
    cluster: undefined as unknown as Procedure['cluster'],
    t: loadTopology(undefined, profile),
    secrets: { harnessDbPassword: 'h-secret', wordpressDbPassword: 'w-secret', wordpressAdminPassword: 'a-secret', heartbeatKey: 'k-secret', powerSwitchToken: 's-secret' },
    primary: primary.node,
    secondary: secondary.node,
    variant,
  });
}
