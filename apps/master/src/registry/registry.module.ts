import { DynamicModule, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MasterConfig } from '../config/master.config';
import { migrateRegistry, registryDataSourceOptions } from './registry.data-source';
import { RegistryDatabase } from './registry-database';
import { AgentAdmissions } from './agent-admissions';
import { RegistryService } from './registry.service';

/** Provides the RegistryDatabase (an async factory: it may start the embedded Postgres first). */
@Module({
  providers: [
    {
      provide: RegistryDatabase,
      inject: [MasterConfig],
      useFactory: (config: MasterConfig) => RegistryDatabase.open(config, new Logger('registry')),
    },
  ],
  exports: [RegistryDatabase],
})
class RegistryDatabaseModule {}

/**
 * Closes the data source before stopping the embedded Postgres under it. Nest's shutdown order
 * between modules is not ours to rely on, so one hook does both in order.
 */
@Injectable()
class RegistryShutdown implements OnApplicationShutdown {
  constructor(
    private readonly dataSource: DataSource,
    private readonly database: RegistryDatabase,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.database.stop();
  }
}

/**
 * The registry (DESIGN §4): durable cluster membership in Postgres through TypeORM. Connecting
 * runs the migrations (under an advisory lock, so masters starting together take turns); the
 * master does not serve until its registry is ready. Exports RegistryService, AgentAdmissions
 * (batched agent admissions) and the RegistryDatabase's URL (for the leadership lock) only:
 * entities and TypeORM stay in this folder.
 */
@Module({})
export class RegistryModule {
  static forRoot(): DynamicModule {
    return {
      module: RegistryModule,
      global: true,
      imports: [
        RegistryDatabaseModule,
        TypeOrmModule.forRootAsync({
          imports: [RegistryDatabaseModule],
          inject: [RegistryDatabase],
          useFactory: (database: RegistryDatabase) => ({
            ...registryDataSourceOptions(database.url),
            retryAttempts: 2,
            retryDelay: 1000,
          }),
          dataSourceFactory: async (options) => {
            const dataSource = await new DataSource(options!).initialize();
            try {
              await migrateRegistry(dataSource);
            } catch (error) {
              await dataSource.destroy();
              throw error;
            }
            return dataSource;
          },
        }),
      ],
      providers: [RegistryService, AgentAdmissions, RegistryShutdown],
      // RegistryDatabase: the leadership lock opens its own connection to the same database.
      exports: [RegistryService, AgentAdmissions, RegistryDatabaseModule],
    };
  }
}
