import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An agent's maintenance (DEACTIVATE_AGENT, DRAIN_AGENT): kept in the registry as Mesos keeps
 * `deactivated` and `drain_info` with the admitted agent, so a new leader neither offers a
 * deactivated agent nor forgets a drain in progress. `drain_info` is mesos.proto's DrainInfo
 * as JSON: `{"state": "DRAINING", "config": {"max_grace_period": {...}, "mark_gone": true}}`.
 */
export class AgentMaintenance1764900000000 implements MigrationInterface {
  name = 'AgentMaintenance1764900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE registry_agents
        ADD COLUMN deactivated boolean NOT NULL DEFAULT false,
        ADD COLUMN drain_info jsonb NULL CHECK (drain_info IS NULL OR jsonb_typeof(drain_info) = 'object')`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE registry_agents DROP COLUMN drain_info, DROP COLUMN deactivated`);
  }
}
