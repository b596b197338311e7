import { DataSource, DataSourceOptions } from 'typeorm';
import { AgentEntity } from './entities/agent.entity';
import { FrameworkEntity } from './entities/framework.entity';
import { RegistryEpochEntity } from './entities/registry-epoch.entity';
import { RoleQuotaEntity } from './entities/role-quota.entity';
import { RoleWeightEntity } from './entities/role-weight.entity';
import { InitialRegistry1764070000000 } from './migrations/1764070000000-initial-registry';
import { RoleWeightsAndQuotas1764500000000 } from './migrations/1764500000000-role-weights-and-quotas';
import { AgentMaintenance1764900000000 } from './migrations/1764900000000-agent-maintenance';

/** Every migration, oldest first. Schema changes are new migrations here; never `synchronize`. */
export const REGISTRY_MIGRATIONS = [InitialRegistry1764070000000, RoleWeightsAndQuotas1764500000000, AgentMaintenance1764900000000];

export const REGISTRY_ENTITIES = [AgentEntity, FrameworkEntity, RegistryEpochEntity, RoleWeightEntity, RoleQuotaEntity];

/**
 * Session-level advisory lock key that serializes migrations when several masters start against
 * one database at once ("agora-mi" in ASCII). The leadership lock (DESIGN §5) uses another key.
 */
const MIGRATION_LOCK_KEY = '7018701081327529321';

/** TypeORM options for the registry at `url`: real migrations, no synchronize, a small pool. */
export function registryDataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: REGISTRY_ENTITIES,
    migrations: REGISTRY_MIGRATIONS,
    migrationsTableName: 'registry_migrations',
    migrationsRun: false,
    synchronize: false,
    applicationName: 'agora-master',
    extra: { max: 4 },
  };
}

/** Brings the schema up to date, one master at a time; all pending migrations in one transaction. */
export async function migrateRegistry(dataSource: DataSource): Promise<void> {
  const lock = dataSource.createQueryRunner();
  try {
    await lock.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
    await dataSource.runMigrations({ transaction: 'all' });
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.release();
  }
}

/** Connects and migrates; the data source is closed again if migrating fails. */
export async function openRegistry(url: string): Promise<DataSource> {
  const dataSource = await new DataSource(registryDataSourceOptions(url)).initialize();
  try {
    await migrateRegistry(dataSource);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}
