/**
 * Argument parsing for the `agora` command: a pure function from argv to a Command, throwing a
 * UsageError that names the offending argument. No I/O here, so every case is a table test.
 */
import { validateRole } from '@agora/resources';
import { normalizeMasterUrl } from './master-url';
import { RECOVER_MODES, type RecoverMode } from '../../agent/src/recovery/recovery-plan';

export type ServerCommandName = 'master' | 'agent' | 'local' | 'sim';
/** Commands that change an agent's maintenance state with one v1 operator call. */
export type AgentCommandName = 'drain' | 'deactivate' | 'reactivate';
/** Commands that talk to a running master. */
export type ClientCommandName = 'run' | 'agents' | 'frameworks' | 'tasks' | AgentCommandName;
export type CommandName = ServerCommandName | ClientCommandName;

/** One `--env NAME=VALUE` of `agora run`. */
export interface EnvVar {
  readonly name: string;
  readonly value: string;
}

export interface RunCommand {
  readonly name: 'run';
  /** --master, normalized; undefined: AGORA_MASTER or the default. */
  readonly master?: string;
  readonly cpus: number;
  /** MB. */
  readonly mem: number;
  readonly role: string;
  /** --name; undefined: the CLI picks one. */
  readonly taskName?: string;
  readonly env: readonly EnvVar[];
  /** How long to wait for a fitting offer. */
  readonly timeoutSeconds: number;
  readonly verbose: boolean;
  /** --image: run the command in this Docker image (a DOCKER container with HOST networking). */
  readonly image?: string;
  /** Everything after `--`; empty only with --image (the image's own command runs). */
  readonly argv: readonly string[];
}

/** `agora sim`: simulated agents for a master on NATS (apps/sim). */
export interface SimCommand {
  readonly name: 'sim';
  readonly agents: number;
  /** Mesos text form; undefined: the simulator's default. */
  readonly resources?: string;
  readonly taskDurationMs: number;
  /** --master-namespace; undefined: AGORA_BUS_NAMESPACE. */
  readonly namespace?: string;
}

/** `agora drain AGENT_ID`: DRAIN_AGENT. */
export interface DrainCommand {
  readonly name: 'drain';
  readonly master?: string;
  readonly agentId: string;
  /** --max-grace-period; undefined: each task's own kill grace period. */
  readonly maxGracePeriodSeconds?: number;
  readonly markGone: boolean;
}

/** `agora deactivate AGENT_ID` / `agora reactivate AGENT_ID`: DEACTIVATE_AGENT / REACTIVATE_AGENT. */
export interface AgentStateCommand {
  readonly name: 'deactivate' | 'reactivate';
  readonly master?: string;
  readonly agentId: string;
}

export type Command =
  | { readonly name: 'help'; readonly topic?: CommandName }
  | { readonly name: 'version' }
  | { readonly name: 'master'; readonly port?: number; readonly host?: string }
  | { readonly name: 'agent'; readonly port?: number; readonly host?: string; readonly recover?: RecoverMode }
  | { readonly name: 'local'; readonly agents: number; readonly port: number }
  | SimCommand
  | RunCommand
  | { readonly name: 'agents'; readonly master?: string; readonly json: boolean }
  | { readonly name: 'frameworks'; readonly master?: string; readonly json: boolean; readonly all: boolean }
  | {
      readonly name: 'tasks';
      readonly master?: string;
      readonly json: boolean;
      readonly all: boolean;
      readonly framework?: string;
      readonly limit: number;
    }
  | DrainCommand
  | AgentStateCommand;

/** A mistake in the command line; the CLI prints it with a pointer to --help and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';

  constructor(
    message: string,
    /** The subcommand being parsed, so the hint can point at its own help. */
    readonly command?: CommandName,
  ) {
    super(message);
  }
}

export const LOCAL_DEFAULT_AGENTS = 3;
export const LOCAL_MAX_AGENTS = 64;
export const LOCAL_DEFAULT_PORT = 5050;

export const RUN_DEFAULT_CPUS = 0.1;
export const RUN_DEFAULT_MEM = 32;
export const RUN_DEFAULT_ROLE = '*';
export const RUN_DEFAULT_TIMEOUT_SECONDS = 60;
export const TASKS_DEFAULT_LIMIT = 1000;
export const TASKS_MAX_LIMIT = 1_000_000;
export const SIM_DEFAULT_AGENTS = 100;
export const SIM_MAX_AGENTS = 100_000;
/** 30 days: far beyond any sensible kill grace period, and its nanoseconds stay exact in JSON. */
export const DRAIN_MAX_GRACE_PERIOD_SECONDS = 2_592_000;

type Value = number | string;
type ValueParser = (raw: string, flag: string) => Value;

/**
 * What a flag takes: one value (`--port 5050`; repeated, the last wins), no value (`--json`), or
 * a value that may be repeated and accumulates (`--env A=1 --env B=2`).
 */
type OptionSpec =
  | { readonly kind: 'value'; readonly parse: ValueParser }
  | { readonly kind: 'switch' }
  | { readonly kind: 'list'; readonly parse: ValueParser };

const value = (parse: ValueParser): OptionSpec => ({ kind: 'value', parse });
const list = (parse: ValueParser): OptionSpec => ({ kind: 'list', parse });
const SWITCH: OptionSpec = { kind: 'switch' };

const port: ValueParser = (raw, flag) => integer(raw, flag, 0, 65535);
const host: ValueParser = (raw, flag) => {
  if (raw.trim() === '') throw new UsageError(`option '${flag}' needs an address`);
  return raw;
};
const recoverMode: ValueParser = (raw, flag) => {
  if (!(RECOVER_MODES as readonly string[]).includes(raw)) throw new UsageError(`option '${flag}' must be ${RECOVER_MODES.join(' or ')}, got '${raw}'`);
  return raw;
};
const agentCount: ValueParser = (raw, flag) => integer(raw, flag, 0, LOCAL_MAX_AGENTS);
const master: ValueParser = (raw, flag) => {
  const url = normalizeMasterUrl(raw);
  if (url instanceof Error) throw new UsageError(`option '${flag}' ${url.message}`);
  return url;
};
const nonEmpty: ValueParser = (raw, flag) => {
  if (raw.trim() === '') throw new UsageError(`option '${flag}' must not be empty`);
  return raw;
};
const role: ValueParser = (raw, flag) => {
  const problem = validateRole(raw);
  if (problem !== undefined) throw new UsageError(`option '${flag}': ${problem}`);
  return raw;
};
const envVar: ValueParser = (raw, flag) => {
  const equals = raw.indexOf('=');
  const name = equals === -1 ? '' : raw.slice(0, equals);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new UsageError(`option '${flag}' must be NAME=VALUE with NAME a shell variable name, got '${raw}'`);
  }
  return raw;
};
const simAgents: ValueParser = (raw, flag) => integer(raw, flag, 1, SIM_MAX_AGENTS);
const durationMs: ValueParser = (raw, flag) => integer(raw, flag, 0, 86_400_000);
const namespace: ValueParser = (raw, flag) => {
  if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(raw)) throw new UsageError(`option '${flag}' must be dot-separated tokens of letters, digits, '-' and '_', got '${raw}'`);
  return raw;
};
const taskLimit: ValueParser = (raw, flag) => integer(raw, flag, 1, TASKS_MAX_LIMIT);
/** A Docker image reference as `docker run` takes it: no spaces, no leading dash. */
const dockerImage: ValueParser = (raw, flag) => {
  if (!/^[A-Za-z0-9][^\s]*$/.test(raw)) throw new UsageError(`option '${flag}' must be an image name such as agora/busybox or agora/busybox:latest, got '${raw}'`);
  return raw;
};

/** Seconds, 0 or more, as a decimal: `--max-grace-period 0` kills at once, `1.5` is fine. */
const gracePeriod: ValueParser = (raw, flag) => {
  const value = /^(\d+(\.\d*)?|\.\d+)$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isFinite(value) || value > DRAIN_MAX_GRACE_PERIOD_SECONDS) {
    throw new UsageError(`option '${flag}' must be a number of seconds from 0 to ${DRAIN_MAX_GRACE_PERIOD_SECONDS}, got '${raw}'`);
  }
  return value;
};

/** The options each subcommand accepts; anything else is an error naming the flag. */
const OPTIONS: Record<CommandName, Record<string, OptionSpec>> = {
  master: { port: value(port), host: value(host) },
  agent: { port: value(port), host: value(host), recover: value(recoverMode) },
  local: { agents: value(agentCount), port: value(port) },
  sim: { agents: value(simAgents), resources: value(nonEmpty), 'task-duration': value(durationMs), 'master-namespace': value(namespace) },
  run: {
    master: value(master),
    cpus: value(positive),
    mem: value(positive),
    role: value(role),
    name: value(nonEmpty),
    env: list(envVar),
    timeout: value(positive),
    verbose: SWITCH,
    image: value(dockerImage),
  },
  agents: { master: value(master), json: SWITCH },
  frameworks: { master: value(master), json: SWITCH, all: SWITCH },
  tasks: { master: value(master), json: SWITCH, all: SWITCH, framework: value(nonEmpty), limit: value(taskLimit) },
  drain: { master: value(master), 'max-grace-period': value(gracePeriod), 'mark-gone': SWITCH },
  deactivate: { master: value(master) },
  reactivate: { master: value(master) },
};

/** Commands that take one word besides their flags, named as their help names it. */
const POSITIONAL: Partial<Record<CommandName, string>> = { drain: 'AGENT_ID', deactivate: 'AGENT_ID', reactivate: 'AGENT_ID' };

/** Commands that take a command line of their own after `--`. */
const TAKES_TRAILING_COMMAND: ReadonlySet<CommandName> = new Set<CommandName>(['run']);

const COMMANDS = Object.keys(OPTIONS) as CommandName[];

type Values = Record<string, Value | true | Value[]>;

interface ParsedOptions {
  readonly values: Values;
  /** The words after `--`, when the command takes them and `--` was given. */
  readonly trailing?: readonly string[];
  /** The command's one positional word (POSITIONAL), when given. */
  readonly positional?: string;
}

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
  const { values } = options;
  switch (first) {
    case 'master':
      return { name: first, port: values.port as number | undefined, host: values.host as string | undefined };
    case 'agent': {
      const recover = values.recover as RecoverMode | undefined;
      return { name: first, port: values.port as number | undefined, host: values.host as string | undefined, ...(recover !== undefined ? { recover } : {}) };
    }
    case 'local':
      return localCommand(values);
    case 'sim':
      return {
        name: 'sim',
        agents: (values.agents as number | undefined) ?? SIM_DEFAULT_AGENTS,
        resources: values.resources as string | undefined,
        taskDurationMs: (values['task-duration'] as number | undefined) ?? 0,
        namespace: values['master-namespace'] as string | undefined,
      };
    case 'run':
      return runCommand(options);
    case 'agents':
      return { name: 'agents', master: values.master as string | undefined, json: values.json === true };
    case 'frameworks':
      return {
        name: 'frameworks',
        master: values.master as string | undefined,
        json: values.json === true,
        all: values.all === true,
      };
    case 'tasks':
      return {
        name: 'tasks',
        master: values.master as string | undefined,
        json: values.json === true,
        all: values.all === true,
        framework: values.framework as string | undefined,
        limit: (values.limit as number | undefined) ?? TASKS_DEFAULT_LIMIT,
      };
    case 'drain': {
      const maxGracePeriodSeconds = values['max-grace-period'] as number | undefined;
      return {
        name: 'drain',
        master: values.master as string | undefined,
        agentId: agentId(first, options),
        ...(maxGracePeriodSeconds !== undefined ? { maxGracePeriodSeconds } : {}),
        markGone: values['mark-gone'] === true,
      };
    }
    case 'deactivate':
    case 'reactivate':
      return { name: first, master: values.master as string | undefined, agentId: agentId(first, options) };
  }
}

function parseHelp(rest: readonly string[]): Command {
  const [topic, extra] = rest;
  if (topic === undefined) return { name: 'help' };
  if (!isCommand(topic)) throw new UsageError(`no help for unknown command '${topic}'`);
  if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}'`);
  return { name: 'help', topic };
}

function parseOptions(command: CommandName, args: readonly string[]): ParsedOptions | 'help' {
  const accepted = OPTIONS[command];
  const values: Values = {};
  const slot = POSITIONAL[command];
  let positional: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      // Everything after `--` belongs to the task, even words that look like our flags.
      if (!TAKES_TRAILING_COMMAND.has(command)) throw new UsageError(`unexpected argument '--'`, command);
      return { values, trailing: args.slice(i + 1), positional };
    }
    if (arg === '--help' || arg === '-h') return 'help';
    if (!arg.startsWith('-') && slot !== undefined) {
      if (positional !== undefined) throw new UsageError(`unexpected argument '${arg}'; agora ${command} takes one ${slot}, got '${positional}' already`, command);
      positional = arg;
      continue;
    }
    if (!arg.startsWith('-')) {
      const hint = TAKES_TRAILING_COMMAND.has(command) ? `; put the command after '--', e.g. agora ${command} -- ${arg}` : '';
      throw new UsageError(`unexpected argument '${arg}'${hint}`, command);
    }
    if (!arg.startsWith('--')) throw new UsageError(`unknown option '${arg}'`, command);

    const equals = arg.indexOf('=');
    const name = arg.slice(2, equals === -1 ? undefined : equals);
    const flag = `--${name}`;
    const spec = Object.hasOwn(accepted, name) ? accepted[name] : undefined;
    if (spec === undefined) throw new UsageError(`unknown option '${flag}'`, command);

    if (spec.kind === 'switch') {
      if (equals !== -1) throw new UsageError(`option '${flag}' takes no value`, command);
      values[name] = true;
      continue;
    }

    let raw: string | undefined;
    if (equals !== -1) {
      raw = arg.slice(equals + 1);
    } else if (i + 1 < args.length && !args[i + 1].startsWith('--')) {
      raw = args[++i];
    }
    if (raw === undefined) throw new UsageError(`option '${flag}' needs a value`, command);
    let parsed: Value;
    try {
      parsed = spec.parse(raw, flag);
    } catch (error) {
      if (error instanceof UsageError) throw new UsageError(error.message, command);
      throw error;
    }
    if (spec.kind === 'list') {
      const previous = values[name];
      values[name] = [...(Array.isArray(previous) ? previous : []), parsed];
    } else {
      values[name] = parsed;
    }
  }
  return { values, positional };
}

/** The AGENT_ID of drain/deactivate/reactivate: required, not blank. */
function agentId(command: CommandName, { positional }: ParsedOptions): string {
  if (positional === undefined) throw new UsageError(`missing AGENT_ID, the agent's id as 'agora agents' lists it`, command);
  if (positional.trim() === '') throw new UsageError('AGENT_ID must not be empty', command);
  return positional;
}

function localCommand(values: Values): Command {
  const agents = (values.agents as number | undefined) ?? LOCAL_DEFAULT_AGENTS;
  const masterPort = (values.port as number | undefined) ?? LOCAL_DEFAULT_PORT;
  if (masterPort !== 0 && masterPort + agents > 65535) {
    throw new UsageError(
      `option '--port' ${masterPort} leaves no room for ${agents} agent ports after it (highest port is 65535)`,
      'local',
    );
  }
  return { name: 'local', agents, port: masterPort };
}

function runCommand({ values, trailing }: ParsedOptions): RunCommand {
  const image = values.image as string | undefined;
  // An image has a command of its own; anything else needs one.
  if (image === undefined && (trailing === undefined || trailing.length === 0)) {
    throw new UsageError(`missing the command to run after '--', e.g. agora run -- echo hello`, 'run');
  }
  return {
    name: 'run',
    master: values.master as string | undefined,
    cpus: (values.cpus as number | undefined) ?? RUN_DEFAULT_CPUS,
    mem: (values.mem as number | undefined) ?? RUN_DEFAULT_MEM,
    role: (values.role as string | undefined) ?? RUN_DEFAULT_ROLE,
    taskName: values.name as string | undefined,
    env: envVars((values.env as string[] | undefined) ?? []),
    timeoutSeconds: (values.timeout as number | undefined) ?? RUN_DEFAULT_TIMEOUT_SECONDS,
    verbose: values.verbose === true,
    ...(image !== undefined ? { image } : {}),
    argv: trailing ?? [],
  };
}

/** `NAME=VALUE` pairs in order; a name given twice keeps its first place and its last value. */
function envVars(pairs: readonly string[]): EnvVar[] {
  const byName = new Map<string, string>();
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    byName.set(pair.slice(0, equals), pair.slice(equals + 1));
  }
  return [...byName].map(([name, value]) => ({ name, value }));
}

function integer(raw: string, flag: string, min: number, max: number): number {
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`option '${flag}' must be an integer from ${min} to ${max}, got '${raw}'`);
  }
  return value;
}

/**
 * A positive decimal number. Mesos keeps scalars to three decimal places, so anything that
 * rounds to zero there (0.0004 cpus) is refused rather than silently becoming nothing.
 */
function positive(raw: string, flag: string): number {
  const value = /^(\d+(\.\d*)?|\.\d+)$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isFinite(value) || Math.round(value * 1000) <= 0) {
    throw new UsageError(`option '${flag}' must be a positive number (at least 0.001), got '${raw}'`);
  }
  return value;
}

function isCommand(word: string): word is CommandName {
  return (COMMANDS as string[]).includes(word);
}
