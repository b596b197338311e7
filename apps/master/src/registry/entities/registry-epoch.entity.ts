import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One row: the leader's epoch and address (DESIGN §5). The master that wins the leadership lock
 * increments `epoch` and writes its address; every message to agents carries the epoch.
 */
@Entity({ name: 'registry_epoch' })
export class RegistryEpochEntity {
  /** Always 1 (a check constraint keeps the table to one row). */
  @PrimaryColumn({ type: 'smallint' })
  id!: number;

  /** bigint comes back from pg as a string; parse it where it is read. */
  @Column({ type: 'bigint' })
  epoch!: string;

  /** `host:port` of the current leader, null before the first election. */
  @Column({ type: 'text', nullable: true })
  leader!: string | null;

  @Column({ name: 'elected_time', type: 'timestamptz', nullable: true })
  electedTime!: Date | null;
}
