/**
 * Validation decorators for the agent's configuration. Each one states the whole reason in its
 * message, so ConfigError lines read `AGORA_AGENT_RESOURCES="cpus:x": invalid resource ...`.
 */
import { ValidateBy, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { Resources } from '@agora/resources';
import { parseAttributes } from '../machine/attributes';

/** Why `parse` throws for `value`, or undefined when it does not. */
function problemOf(parse: (text: string) => unknown, value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be text';
  try {
    parse(value);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** The text form of resources (`cpus:4;mem:8192;ports:[31000-32000]`), as @agora/resources parses it. */
export function IsResourceText(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isResourceText',
      validator: {
        validate: (value: unknown) => problemOf((t) => Resources.parse(t), value) === undefined,
        defaultMessage: (args?: ValidationArguments) => problemOf((t) => Resources.parse(t), args?.value) ?? 'invalid resources',
      },
    },
    options,
  );
}

/** The text form of attributes (`rack:r1;zone:a`), see machine/attributes.ts. */
export function IsAttributeText(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isAttributeText',
      validator: {
        validate: (value: unknown) => problemOf(parseAttributes, value) === undefined,
        defaultMessage: (args?: ValidationArguments) => problemOf(parseAttributes, args?.value) ?? 'invalid attributes',
      },
    },
    options,
  );
}

const NATS_SCHEMES = new Set(['nats:', 'tls:', 'ws:', 'wss:']);

/** One NATS server URL or several separated by commas; `host:port` without a scheme is accepted as nats.js does. */
export function IsNatsUrl(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isNatsUrl',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' &&
          value.split(',').every((part) => {
            const s = part.trim();
            try {
              const url = new URL(s.includes('://') ? s : `nats://${s}`);
              return NATS_SCHEMES.has(url.protocol) && url.hostname !== '';
            } catch {
              return false;
            }
          }),
        defaultMessage: () => 'must be a NATS URL like nats://127.0.0.1:4222 (several separated by commas)',
      },
    },
    options,
  );
}

/** A number not below another property of the same object (a maximum next to its minimum). */
export function IsNotBelow(property: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isNotBelow',
      constraints: [property],
      validator: {
        validate: (value: unknown, args?: ValidationArguments) => {
          const other = (args?.object as Record<string, unknown> | undefined)?.[property];
          return typeof value === 'number' && typeof other === 'number' && value >= other;
        },
        defaultMessage: () => `must not be below ${property}`,
      },
    },
    options,
  );
}
