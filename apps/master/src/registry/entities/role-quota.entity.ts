import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A role's quota (Mesos's `QuotaConfig` in the registry): scalar amounts in natural units by
 * resource name, e.g. `{"cpus": 4, "mem": 8192}`. Roles without a row have no quota.
 */
@Entity({ name: 'registry_quotas' })
export class RoleQuotaEntity {
  @PrimaryColumn({ type: 'text' })
  role!: string;

  @Column({ type: 'jsonb' })
  guarantees!: { [name: string]: number };

  @Column({ type: 'jsonb' })
  limits!: { [name: string]: number };

  @Column({ name: 'updated_time', type: 'timestamptz' })
  updatedTime!: Date;
}
