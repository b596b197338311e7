import { ConsoleLogger, DynamicModule, INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'node:net';
import { mountRawRoutes, type RawRoute } from './raw-routes';
import { mountRequestGate, type RequestGate } from './request-gate';

export interface ServeOptions {
  /** Shown as the log prefix, e.g. `master` or `agent-2`. */
  readonly name: string;
  readonly port: number;
  readonly host: string;
  /** A logger to use instead of the default console logger; `false` silences Nest. */
  readonly logger?: LoggerService | false;
  /** Runs before the app listens: middleware that must come before Nest's body parsers. */
  readonly configure?: (app: NestExpressApplication) => void;
  /** Hot-path endpoints served by plain node:http in front of Express (raw-routes.ts). */
  readonly rawRoutes?: (app: NestExpressApplication) => readonly RawRoute[];
  /** In front of everything, raw routes included (request-gate.ts); mounted before listening. */
  readonly gate?: (app: NestExpressApplication) => RequestGate;
}

/** Thrown when the HTTP server cannot bind, e.g. the port is taken. */
export class ListenError extends Error {
  override readonly name = 'ListenError';

  constructor(
    readonly address: string,
    options: { cause: unknown },
  ) {
    super(`cannot listen on ${address}: ${reason(options.cause)}`, options);
  }
}

/**
 * Creates a Nest HTTP app for `rootModule` and listens. Used by every process's bootstrap so they
 * share one set of HTTP defaults. Module-init errors reject instead of aborting the process, so
 * several apps can run in one process (`agora local`) and tests can boot them.
 */
export async function serve(rootModule: DynamicModule, options: ServeOptions): Promise<INestApplication> {
  const logger =
    options.logger ??
    new ConsoleLogger({ prefix: options.name, colors: process.stdout.isTTY === true, logLevels: ['fatal', 'error', 'warn', 'log'] });
  const app = await NestFactory.create<NestExpressApplication>(rootModule, {
    logger,
    abortOnError: false,
    forceCloseConnections: true,
  });
  app.disable('x-powered-by');
  options.configure?.(app);
  if (options.rawRoutes !== undefined) mountRawRoutes(app.getHttpServer(), options.rawRoutes(app), logger || undefined);
  if (options.gate !== undefined) mountRequestGate(app.getHttpServer(), options.gate(app));
  try {
    await app.listen(options.port, options.host);
  } catch (cause) {
    await app.close();
    throw new ListenError(`${options.host}:${options.port}`, { cause });
  }
  if (logger) logger.log(`listening on ${urlOf(app)}`, options.name);
  return app;
}

/** The base URL a listening app answers on, with the real port when it was started on port 0. */
export function urlOf(app: INestApplication): string {
  const address = app.getHttpServer().address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

function reason(cause: unknown): string {
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (code === 'EADDRINUSE') return 'address already in use';
  if (code === 'EADDRNOTAVAIL') return 'address not available on this machine';
  if (code === 'EACCES') return 'permission denied';
  return cause instanceof Error ? cause.message : String(cause);
}
