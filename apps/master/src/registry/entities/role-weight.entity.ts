import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A role's weight (Mesos's `weights` in the registry); roles without a row weigh 1. */
@Entity({ name: 'registry_weights' })
export class RoleWeightEntity {
  @PrimaryColumn({ type: 'text' })
  role!: string;

  @Column({ type: 'double precision' })
  weight!: number;

  @Column({ name: 'updated_time', type: 'timestamptz' })
  updatedTime!: Date;
}
