import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AgentState, Json, RegistryDrainInfo } from '../registry.records';

@Entity({ name: 'registry_agents' })
export class AgentEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  hostname!: string;

  @Column({ type: 'integer' })
  port!: number;

  @Column({ type: 'text' })
  resources!: string;

  @Column({ type: 'jsonb' })
  attributes!: { [name: string]: Json };

  @Column({ type: 'text' })
  state!: AgentState;

  @Column({ name: 'registered_time', type: 'timestamptz' })
  registeredTime!: Date;

  @Column({ name: 'reregistered_time', type: 'timestamptz', nullable: true })
  reregisteredTime!: Date | null;

  @Column({ name: 'unreachable_time', type: 'timestamptz', nullable: true })
  unreachableTime!: Date | null;

  /** DEACTIVATE_AGENT or DRAIN_AGENT: no offers from this agent until REACTIVATE_AGENT. */
  @Column({ type: 'boolean', default: false })
  deactivated!: boolean;

  @Column({ name: 'drain_info', type: 'jsonb', nullable: true })
  drainInfo!: RegistryDrainInfo | null;
}
