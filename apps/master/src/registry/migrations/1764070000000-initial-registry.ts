import { MigrationInterface, QueryRunner } from 'typeorm';

/** The first registry schema: admitted agents, framework records and the leader epoch row. */
export class InitialRegistry1764070000000 implements MigrationInterface {
  name = 'InitialRegistry1764070000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE registry_agents (
        id                text PRIMARY KEY,
        hostname          text NOT NULL,
        port              integer NOT NULL CHECK (port BETWEEN 0 AND 65535),
        resources         text NOT NULL,
        attributes        jsonb NOT NULL DEFAULT '{}',
        state             text NOT NULL CHECK (state IN ('admitted', 'unreachable', 'gone')),
        registered_time   timestamptz NOT NULL,
        reregistered_time timestamptz,
        unreachable_time  timestamptz
      )`);
    await db.query(`CREATE INDEX registry_agents_state ON registry_agents (state)`);
    await db.query(`
      CREATE TABLE registry_frameworks (
        id                       text PRIMARY KEY,
        name                     text NOT NULL,
        principal                text,
        roles                    text[] NOT NULL DEFAULT '{}',
        failover_timeout_seconds double precision NOT NULL CHECK (failover_timeout_seconds >= 0),
        registered_time          timestamptz NOT NULL,
        removed_time             timestamptz
      )`);
    await db.query(`
      CREATE TABLE registry_epoch (
        id           smallint PRIMARY KEY CHECK (id = 1),
        epoch        bigint NOT NULL CHECK (epoch >= 0),
        leader       text,
        elected_time timestamptz
      )`);
    await db.query(`INSERT INTO registry_epoch (id, epoch) VALUES (1, 0)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE registry_epoch`);
    await db.query(`DROP TABLE registry_frameworks`);
    await db.query(`DROP TABLE registry_agents`);
  }
}
