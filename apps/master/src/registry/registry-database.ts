import { Logger } from '@nestjs/common';
import { MasterConfig } from '../config/master.config';
import { startEmbeddedPostgres } from './embedded-postgres';

/**
 * Where the registry lives: the Postgres at DATABASE_URL, or an embedded one this master starts
 * (and stops) when DATABASE_URL is unset. Either way the rest of the registry sees only a URL,
 * so both run the same migrations and the same code.
 */
export class RegistryDatabase {
  private constructor(
    readonly url: string,
    /** `external` for DATABASE_URL, else the embedded server's data directory. */
    readonly source: string,
    private readonly stopServer: () => Promise<void>,
  ) {}

  static async open(config: MasterConfig, logger: Logger): Promise<RegistryDatabase> {
    if (config.databaseUrl) {
      logger.log(`registry in Postgres at ${redact(config.databaseUrl)}`);
      return new RegistryDatabase(config.databaseUrl, 'external', async () => undefined);
    }
    logger.log(`DATABASE_URL is not set: starting the embedded Postgres in ${config.embeddedPostgresDir}`);
    const server = await startEmbeddedPostgres({
      dataDir: config.embeddedPostgresDir,
      port: config.embeddedPostgresPort,
    });
    logger.log(`registry in the embedded Postgres at ${redact(server.url)}`);
    return new RegistryDatabase(server.url, server.dataDir, () => server.stop());
  }

  /** Stops the embedded server; nothing for an external database. */
  stop(): Promise<void> {
    return this.stopServer();
  }
}

/** The URL without its password, for logs. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
