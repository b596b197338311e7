/**
 * Argument parsing for the `agora` command: a pure function from argv to a Command, throwing a
 * UsageError that names the offending argument. No I/O here, so every case is a table test.
 */

export type ServerCommandName = 'master' | 'agent' | 'local';

export type Command =
  | { readonly name: 'help'; readonly topic?: ServerCommandName }
  | { readonly name: 'version' }
  | { readonly name: 'master'; readonly port?: number; readonly host?: string }
  | { readonly name: 'agent'; readonly port?: number; readonly host?: string }
  | { readonly name: 'local'; readonly agents: number; readonly port: number };

/** A mistake in the command line; the CLI prints it with a pointer to --help and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';

  constructor(
    message: string,
    /** The subcommand being parsed, so the hint can point at its own help. */
    readonly command?: ServerCommandName,
  ) {
    super(message);
  }
}

export const LOCAL_DEFAULT_AGENTS = 3;
export const LOCAL_MAX_AGENTS = 64;
export const LOCAL_DEFAULT_PORT = 5050;

type ValueParser = (raw: string, flag: string) => number | string;

const port: ValueParser = (raw, flag) => integer(raw, flag, 0, 65535);
const host: ValueParser = (raw, flag) => {
  if (raw.trim() === '') throw new UsageError(`option '${flag}' needs an address`);
  return raw;
};
const agentCount: ValueParser = (raw, flag) => integer(raw, flag, 0, LOCAL_MAX_AGENTS);

/** The options each subcommand accepts; anything else is an error naming the flag. */
const OPTIONS: Record<ServerCommandName, Record<string, ValueParser>> = {
  master: { port, host },
  agent: { port, host },
  local: { agents: agentCount, port },
};

const COMMANDS = Object.keys(OPTIONS) as ServerCommandName[];

export function parseArgs(argv: readonly string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError('missing command');
  if (first === '--help' || first === '-h' || first === 'help') return parseHelp(rest);
  if (first === '--version' || first === '-V' || first === 'version') {
    if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}' after ${first}`);
    return { name: 'version' };
  }
  if (first.startsWith('-')) throw new UsageError(`unknown option '${first}'`);
  if (!isCommand(first)) throw new UsageError(`unknown command '${first}'`);

  const options = parseOptions(first, rest);
  if (options === 'help') return { name: 'help', topic: first };
  switch (first) {
    case 'master':
    case 'agent':
      return { name: first, port: options.port as number | undefined, host: options.host as string | undefined };
    case 'local':
      return localCommand(options);
  }
}

function parseHelp(rest: readonly string[]): Command {
  const [topic, extra] = rest;
  if (topic === undefined) return { name: 'help' };
  if (!isCommand(topic)) throw new UsageError(`no help for unknown command '${topic}'`);
  if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}'`);
  return { name: 'help', topic };
}

function parseOptions(
  command: ServerCommandName,
  args: readonly string[],
): Record<string, number | string> | 'help' {
  const accepted = OPTIONS[command];
  const values: Record<string, number | string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--help' || arg === '-h') return 'help';
    if (!arg.startsWith('-')) throw new UsageError(`unexpected argument '${arg}'`, command);
    if (!arg.startsWith('--')) throw new UsageError(`unknown option '${arg}'`, command);

    const equals = arg.indexOf('=');
    const name = arg.slice(2, equals === -1 ? undefined : equals);
    const flag = `--${name}`;
    const parse = Object.hasOwn(accepted, name) ? accepted[name] : undefined;
    if (parse === undefined) throw new UsageError(`unknown option '${flag}'`, command);

    let raw: string | undefined;
    if (equals !== -1) {
      raw = arg.slice(equals + 1);
    } else if (i + 1 < args.length && !args[i + 1].startsWith('--')) {
      raw = args[++i];
    }
    if (raw === undefined) throw new UsageError(`option '${flag}' needs a value`, command);
    try {
      values[name] = parse(raw, flag);
    } catch (error) {
      if (error instanceof UsageError) throw new UsageError(error.message, command);
      throw error;
    }
  }
  return values;
}

function localCommand(options: Record<string, number | string>): Command {
  const agents = (options.agents as number | undefined) ?? LOCAL_DEFAULT_AGENTS;
  const masterPort = (options.port as number | undefined) ?? LOCAL_DEFAULT_PORT;
  if (masterPort !== 0 && masterPort + agents > 65535) {
    throw new UsageError(
      `option '--port' ${masterPort} leaves no room for ${agents} agent ports after it (highest port is 65535)`,
      'local',
    );
  }
  return { name: 'local', agents, port: masterPort };
}

function integer(raw: string, flag: string, min: number, max: number): number {
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`option '${flag}' must be an integer from ${min} to ${max}, got '${raw}'`);
  }
  return value;
}

function isCommand(word: string): word is ServerCommandName {
  return (COMMANDS as string[]).includes(word);
}
