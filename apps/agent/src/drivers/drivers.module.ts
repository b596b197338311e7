import { Logger, Module } from '@nestjs/common';
import { Clock } from '../clock/clock';
import { AgentConfig } from '../config/agent.config';
import { DockerSupport } from './docker/docker-support';
import { TaskDriverRouter } from './driver-router';
import { Cgroups, DEFAULT_CGROUP_ROOT } from './process/cgroups';
import { processSpawner } from './process/choose-spawner';
import { ProcessDriver } from './process/process-driver';
import { TASK_DRIVER } from './task-driver';

/**
 * The task drivers: `process` for plain commands, `docker` for tasks with a Docker container
 * (when an engine answers, see DockerSupport), behind one TASK_DRIVER that routes between them.
 * DockerSupport is exported for /state, which says whether this agent has an engine.
 */
@Module({
  providers: [
    {
      provide: ProcessDriver,
      inject: [AgentConfig, Clock],
      // Async: the launcher, when there is one, is started and has answered before tasks arrive.
      useFactory: async (config: AgentConfig, clock: Clock) => {
        const logger = new Logger('process-driver');
        const spawner = await processSpawner(config.processLauncher, logger);
        return new ProcessDriver(new Cgroups(DEFAULT_CGROUP_ROOT, (m) => logger.debug(m)), clock, spawner);
      },
    },
    {
      provide: DockerSupport,
      inject: [AgentConfig, Clock],
      // Async: the agent asks the engine whether it is there before it starts serving.
      useFactory: (config: AgentConfig, clock: Clock) =>
        DockerSupport.start(
          { mode: config.docker, host: config.dockerHost, removeDelayMs: config.dockerRemoveDelayMs },
          clock,
          new Logger('docker-driver'),
        ),
    },
    {
      provide: TASK_DRIVER,
      inject: [ProcessDriver, DockerSupport],
      useFactory: (process: ProcessDriver, docker: DockerSupport) => new TaskDriverRouter(process, docker),
    },
  ],
  exports: [TASK_DRIVER, DockerSupport],
})
export class DriversModule {}
