import { Module } from '@nestjs/common';
import { Clock } from '../clock/clock';
import { MasterConfig } from '../config/master.config';
import { AllocationService } from './allocation.service';

/** Provides the master's single allocator port. */
@Module({
  providers: [
    Clock,
    {
      provide: AllocationService,
      inject: [Clock, MasterConfig],
      useFactory: (clock: Clock, config: MasterConfig) => {
        const service = new AllocationService(clock, config.allocationIntervalMs);
        service.start();
        return service;
      },
    },
  ],
  exports: [AllocationService, Clock],
})
export class AllocationModule {}
