import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * The services scripts/test.sh starts for integration tests (scripts/services.sh). A test that
 * needs one fails loudly when its variable is missing, never skips.
 */
export type ServiceVariable = 'DATABASE_URL' | 'NATS_URL' | 'DOCKER_HOST';

export function serviceUrl(variable: ServiceVariable): string {
  const value = process.env[variable];
  if (!value) {
    throw new Error(
      `${variable} is not set. Integration tests need the services that scripts/test.sh starts; ` +
        'to run jest by hand: scripts/services.sh start && eval "$(scripts/services.sh env)"',
    );
  }
  return value;
}

export interface TestDatabase {
  /** DATABASE_URL with the fresh database's name in place of the original one. */
  readonly url: string;
  /** Drops the database (closing any connections still open to it). */
  drop(): Promise<void>;
}

/** A new, empty database on the server at DATABASE_URL, so each test file migrates from zero. */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const server = serviceUrl('DATABASE_URL');
  const name = `${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  await withClient(server, (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`));
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await withClient(server, (client) => client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`));
    },
  };
}

async function withClient<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}
