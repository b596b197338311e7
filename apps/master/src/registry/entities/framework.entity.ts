import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'registry_frameworks' })
export class FrameworkEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', nullable: true })
  principal!: string | null;

  @Column({ type: 'text', array: true })
  roles!: string[];

  @Column({ name: 'failover_timeout_seconds', type: 'double precision' })
  failoverTimeoutSeconds!: number;

  @Column({ name: 'registered_time', type: 'timestamptz' })
  registeredTime!: Date;

  @Column({ name: 'removed_time', type: 'timestamptz', nullable: true })
  removedTime!: Date | null;
}
