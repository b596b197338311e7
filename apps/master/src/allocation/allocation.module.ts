import { Global, Module } from '@nestjs/common';
import { Clock } from '../clock/clock';
import { MasterConfig } from '../config/master.config';
import { AllocationService } from './allocation.service';

/** Provides the master's single allocator port. */
@Global()
@Module({
  providers: [
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
  exports: [AllocationService],
})
export class AllocationModule {}
