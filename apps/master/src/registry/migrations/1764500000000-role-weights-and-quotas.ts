import { MigrationInterface, QueryRunner } from 'typeorm';

/** Roles' weights and quotas, set by operators (`/weights`, UPDATE_WEIGHTS, UPDATE_QUOTA). */
export class RoleWeightsAndQuotas1764500000000 implements MigrationInterface {
  name = 'RoleWeightsAndQuotas1764500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE registry_weights (
        role         text PRIMARY KEY,
        weight       double precision NOT NULL CHECK (weight > 0 AND weight < 'Infinity'),
        updated_time timestamptz NOT NULL
      )`);
    await db.query(`
      CREATE TABLE registry_quotas (
        role         text PRIMARY KEY,
        guarantees   jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(guarantees) = 'object'),
        limits       jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(limits) = 'object'),
        updated_time timestamptz NOT NULL
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE registry_quotas`);
    await db.query(`DROP TABLE registry_weights`);
  }
}
