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
      // Cycles start when this master takes office (cluster/leadership.service.ts), not here.
      useFactory: (clock: Clock, config: MasterConfig) => new AllocationService(clock, config.allocationIntervalMs),
    },
  ],
  exports: [AllocationService],
})
export class AllocationModule {}
