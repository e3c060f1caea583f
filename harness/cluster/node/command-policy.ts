/**
 * What a node connection may send. The lab's connections send anything (they build the cluster);
 * an audit of someone else's cluster sends only commands on an allowlist, each of which reads and
 * writes nothing, and the connection itself refuses any other before it leaves the harness.
 */
export interface CommandPolicy {
  /** Throws a CommandRefused for a command the policy does not allow. */
  check(command: string): void;
}

export class CommandRefused extends Error {
  override name = 'CommandRefused';
  constructor(readonly node: string, readonly command: string, reason: string) {
    super(`${node}: refused to run \`${command.split('\n')[0].slice(0, 120)}\`: ${reason}`);
  }
}

/**
 * Programs that only read, each with the arguments that keep it so: the first word of every
 * simple command of an allowed command must be one of these (or a bash builtin that changes
 * nothing outside the shell). A program missing here is refused: the list is what may run.
 */
const READ_ONLY_PROGRAMS: Record<string, (args: string[]) => boolean> = {
  cat: () => true,
  uname: () => true,
  stat: () => true,
  awk: (args) => !args.some((a) => /system\(|>|\|/.test(a)),
  grep: () => true,
  sed: (args) => args.includes('-n') && !args.some((a) => /^-i|--in-place/.test(a) || /(^|;)\s*[wW]\s/.test(a) || /\/w\s/.test(a)),
  head: () => true,
  tail: () => true,
  tr: () => true,
  date: (args) => !args.some((a) => a === '-s' || a.startsWith('--set')),
  true: () => true,
  test: () => true,
  systemctl: (args) => ['is-enabled', 'is-active', 'status', 'show'].includes(args.find((a) => !a.startsWith('-')) ?? ''),
  drbdadm: (args) => ['dump', 'role', 'cstate', 'dstate', 'status'].includes(args.find((a) => !a.startsWith('-')) ?? ''),
  drbdsetup: (args) => ['show', 'status'].includes(args.find((a) => !a.startsWith('-')) ?? ''),
  cl_status: () => true,
  ip: (args) => !args.some((a) => ['add', 'del', 'delete', 'set', 'change', 'replace', 'flush'].includes(a)),
  // The SQL is a quoted argument: every statement must read.
  mariadb: (args) => args.filter((a) => !a.startsWith('-')).every((sql) => sql.split(';').map((s) => s.trim()).filter(Boolean).every((s) => /^(SELECT|SHOW)\b/i.test(s))),
};

/** Builtins that touch nothing outside the shell (exec only to open a descriptor, `exec {fd}<> …`). */
const READ_ONLY_BUILTINS: Record<string, (args: string[]) => boolean> = {
  echo: () => true, printf: () => true, read: () => true, local: () => true, return: () => true, continue: () => true, break: () => true, cd: () => true,
  ':': () => true, '[': () => true, shift: () => true,
  exec: (args) => args.every((a) => /^\{\w+\}$/.test(a)),
};

/** Keywords that stand before a command (`then cat x`): the command after them is checked. */
const LEADING_KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{']);
/** Keywords whose words are names or patterns, not commands (`for f in a b`). */
const NAMING_KEYWORDS = new Set(['for', 'case']);
/** Keywords that close a compound command. */
const CLOSING_KEYWORDS = new Set(['done', 'fi', 'esac', '}']);

/** The words of a shell text with quoted parts kept whole (their quotes dropped); `$(`, `|`, `;`, `&&`, `||` and newlines as separators. */
function simpleCommands(text: string): string[][] {
  const commands: string[][] = [[]];
  let word = '';
  let quote: string | undefined;
  const endWord = () => {
    if (word) commands.at(-1)!.push(word);
    word = '';
  };
  const endCommand = () => {
    endWord();
    if (commands.at(-1)!.length) commands.push([]);
  };
  // What encloses the current position: a command substitution or subshell resumes, at its `)`, the quote it began in.
  const enclosing: (string | undefined)[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') word += text[++i] ?? '';
      else if (quote === '"' && c === '$' && text[i + 1] === '(') {
        // A command substitution inside double quotes is a command of its own.
        endCommand();
        enclosing.push(quote);
        quote = undefined;
        i++;
      } else word += c;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && !word) {
      // A comment, to the end of its line.
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
    } else if (c === '\\') word += text[++i] ?? '';
    else if (c === '$' && text[i + 1] === '(') {
      endCommand();
      enclosing.push(undefined);
      i++;
    } else if (c === '(') {
      endCommand();
      enclosing.push(undefined);
    } else if (c === ')') {
      endCommand();
      quote = enclosing.pop();
    } else if (c === '&' && /[<>]/.test(text[i - 1] ?? '')) word += c; // `2>&1` duplicates a descriptor
    else if (/[;|&\n`]/.test(c)) endCommand();
    else if (/\s/.test(c)) endWord();
    else word += c;
  }
  endCommand();
  return commands.filter((words) => words.length);
}

/**
 * Why a command could change something on a node, or undefined when it only reads: an output
 * redirection to anything but /dev/null or another descriptor, or a simple command whose
 * program is not a read-only one (with read-only arguments). Lexical, and meant for the audit's
 * own commands, which the unit tests run through it: it refuses what it does not understand.
 */
export function writesSomething(command: string): string | undefined {
  // Arithmetic and conditional expressions compute and compare (their > is no redirection); a read
  // descriptor opened on an empty process substitution (`exec {fd}<> <(:)`, the sampler's pause) writes nowhere.
  const text = withoutExpressions(command).replace(/<>\s*<\(:\)/g, '');
  const redirect = /(^|[^<])>{1,2}\s*(?!\/dev\/null\b|&\d)(\S+)/.exec(text);
  if (redirect) return `it redirects output to ${redirect[2]}`;
  for (const words of simpleCommands(text)) {
    // Leading keywords go; leading assignments (`v=0`, `P=/proc`) set shell variables only.
    const start = words.findIndex((x) => !LEADING_KEYWORDS.has(x) && !/^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?=/.test(x));
    if (start < 0) continue;
    const [program, ...args] = words.slice(start);
    if (NAMING_KEYWORDS.has(program) || CLOSING_KEYWORDS.has(program) || isShellFunctionCall(command, program)) continue;
    const rule = READ_ONLY_BUILTINS[program] ?? READ_ONLY_PROGRAMS[program.split('/').pop()!];
    if (!rule) return `${program} is not a read-only command the audit knows`;
    if (!rule(args)) return `${program} ${args.join(' ')} may change something`;
  }
  return undefined;
}

/** The text without `$((…))`, `((…))` and `[[ … ]]`: what they hold are operands, not commands. */
function withoutExpressions(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text.startsWith('((', i) || text.startsWith('$((', i)) {
      let depth = 0;
      let j = text[i] === '$' ? i + 1 : i;
      for (; j < text.length; j++) {
        if (text[j] === '(') depth++;
        else if (text[j] === ')' && --depth === 0) break;
      }
      out += text[i] === '$' ? '0' : 'true';
      i = j;
    } else if (text.startsWith('[[', i)) {
      // The closing ]] stands apart (a character class such as [[:space:]] holds one too).
      const close = /\s\]\](?=\s|;|$)/g;
      close.lastIndex = i;
      const end = close.exec(text);
      out += 'true';
      i = end ? end.index + 2 : text.length;
    } else out += text[i];
  }
  return out;
}

/** The command defines `name() {` itself (the sampler's helpers): calling it runs only what the definition holds, which is checked too. */
function isShellFunctionCall(command: string, name: string): boolean {
  return /^[A-Za-z_]\w*$/.test(name) && new RegExp(`(^|\\n|;)\\s*${name}\\(\\)\\s*\\{`).test(command);
}

/**
 * The audit's policy: a command runs only when it is on the allowlist (exactly, or by one of
 * the patterns for commands that carry a number, such as the sampler's duration) and the
 * lexical check finds nothing in it that writes.
 */
export function allowlistPolicy(node: string, allowed: { exact: Iterable<string>; patterns?: readonly RegExp[] }): CommandPolicy & { allowed: ReadonlySet<string> } {
  const exact = new Set(allowed.exact);
  const patterns = allowed.patterns ?? [];
  return {
    allowed: exact,
    check(command) {
      if (!exact.has(command) && !patterns.some((p) => p.test(command))) throw new CommandRefused(node, command, 'not on the read-only audit\'s allowlist');
      const writes = writesSomething(command);
      if (writes) throw new CommandRefused(node, command, writes);
    },
  };
}
