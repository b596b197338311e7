import 'reflect-metadata';
import { validateSync, ValidationError } from 'class-validator';

/** The environment as the config loader sees it: only the config classes read `process.env`. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Thrown at boot when configuration is invalid; lists every bad variable, not just the first. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

interface EnvBinding {
  readonly property: string;
  readonly variable: string;
}

const bindings = new Map<object, EnvBinding[]>();

/**
 * Binds a config class property to an environment variable. The raw string is converted by the
 * property's declared type (number, boolean or string) before the class-validator decorators run.
 */
export function FromEnv(variable: string): PropertyDecorator {
  return (prototype, property) => {
    const list = bindings.get(prototype.constructor) ?? [];
    list.push({ property: String(property), variable });
    bindings.set(prototype.constructor, list);
  };
}

/** A config class: every property has a default (or `= undefined`) and a `@FromEnv` binding. */
export type ConfigClass<T extends object> = new () => T;

/**
 * Builds and validates a config object: defaults from the class, then the environment, then
 * explicit overrides (command-line flags, tests). Throws a ConfigError naming every bad value.
 */
export function loadConfig<T extends object>(
  configClass: ConfigClass<T>,
  env: Env,
  overrides: Partial<T> = {},
): T {
  const config = new configClass();
  const target = config as Record<string, unknown>;
  const sources = new Map<string, string>();

  for (const { property, variable } of bindings.get(configClass) ?? []) {
    const raw = env[variable];
    if (raw === undefined || raw === '') continue;
    target[property] = fromString(raw, Reflect.getMetadata('design:type', config, property));
    sources.set(property, `${variable}=${JSON.stringify(raw)}`);
  }
  for (const [property, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    target[property] = value;
    sources.set(property, `${property}=${JSON.stringify(value)}`);
  }

  const errors = validateSync(config, { forbidUnknownValues: true });
  if (errors.length > 0) {
    throw new ConfigError(errors.map((e) => describe(e, sources, configClass)));
  }
  return config;
}

function fromString(raw: string, type: unknown): unknown {
  if (type === Number) return /^-?\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (type === Boolean) {
    const v = raw.trim().toLowerCase();
    if (v === 'true' || v === '1') return true;
    if (v === 'false' || v === '0') return false;
    return raw; // left as a string so the @IsBoolean check reports it
  }
  return raw;
}

function describe(error: ValidationError, sources: Map<string, string>, configClass: object): string {
  const binding = bindings.get(configClass)?.find((b) => b.property === error.property);
  const source = sources.get(error.property) ?? `${binding?.variable ?? error.property} (not set)`;
  const reasons = [...new Set(Object.values(error.constraints ?? {}))].join('; ');
  return `${source}: ${reasons}`;
}
