import { Logger, Module } from '@nestjs/common';
import { Clock } from '../clock/clock';
import { Cgroups, DEFAULT_CGROUP_ROOT } from './process/cgroups';
import { ProcessDriver } from './process/process-driver';
import { TASK_DRIVER } from './task-driver';

/** The task driver command tasks run with: the process driver (the docker driver arrives later). */
@Module({
  providers: [
    {
      provide: TASK_DRIVER,
      inject: [Clock],
      useFactory: (clock: Clock) => {
        const logger = new Logger('process-driver');
        return new ProcessDriver(new Cgroups(DEFAULT_CGROUP_ROOT, (m) => logger.debug(m)), clock);
      },
    },
  ],
  exports: [TASK_DRIVER],
})
export class DriversModule {}
