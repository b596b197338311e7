import { DynamicModule, Logger, Module } from '@nestjs/common';
import { AgoraBus, type BusTransport } from '@agora/bus';
import { HttpEdgeModule } from '@agora/nest-common';
import { Clock } from './clock/clock';
import { AgentConfig } from './config/agent.config';
import { ExecutorApiModule } from './executor-api/executor-api.module';
import { FilesModule } from './files/files.module';
import { HealthModule } from './health/health.module';
import { BUS_OWNED } from './lifecycle/agent-lifecycle';
import { AgentProfile } from './machine/agent-profile';
import { AgentCounters } from './metrics/agent-counters';
import { MetricsModule } from './metrics/metrics.module';
import { AgentVersion } from './registration/registration.service';
import { RegistrationModule } from './registration/registration.module';
import { SandboxGcModule } from './sandbox/sandbox-gc.module';
import { AgentSession } from './session/agent-session';
import { StateModule } from './state/state.module';

/** What bootstrap resolved before the module could be built (it needs I/O: NATS, the machine). */
export interface AgentRuntime {
  readonly config: AgentConfig;
  readonly profile: AgentProfile;
  readonly version: string;
  readonly transport: BusTransport;
  /** True when bootstrap opened the transport and the agent must close it. */
  readonly ownsTransport: boolean;
}

/**
 * The agent's root module. Shared facts (config, profile, session, clock, bus) are global
 * providers; feature modules: registration (with the inbox and the lifecycle), tasks (command
 * executor, task driver, sandboxes, status updates), files, state, health, the executor API.
 * Checkpointing (checkpoint/) and recovery (recovery/) are wired in by the feature modules.
 */
@Module({})
export class AgentModule {
  static forRoot(runtime: AgentRuntime): DynamicModule {
    const logger = new Logger('bus');
    const bus = new AgoraBus(runtime.transport, (subject, error) => logger.warn(`dropped a message on ${subject}: ${error.message}`));
    const version: AgentVersion = { value: runtime.version };
    return {
      module: AgentModule,
      global: true,
      imports: [HttpEdgeModule, HealthModule, RegistrationModule, FilesModule, StateModule, MetricsModule, SandboxGcModule, ExecutorApiModule],
      providers: [
        { provide: AgentConfig, useValue: runtime.config },
        { provide: AgentProfile, useValue: runtime.profile },
        { provide: AgentVersion, useValue: version },
        { provide: AgoraBus, useValue: bus },
        { provide: BUS_OWNED, useValue: runtime.ownsTransport },
        AgentSession,
        Clock,
        AgentCounters,
      ],
      exports: [AgentConfig, AgentProfile, AgentVersion, AgoraBus, BUS_OWNED, AgentSession, Clock, AgentCounters],
    };
  }
}
