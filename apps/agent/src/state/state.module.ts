import { Module } from '@nestjs/common';
import { DriversModule } from '../drivers/drivers.module';
import { ExecutorsModule } from '../executors/executors.module';
import { TasksModule } from '../tasks/tasks.module';
import { StateController } from './state.controller';
import { StateService } from './state.service';

@Module({
  imports: [TasksModule, DriversModule, ExecutorsModule],
  controllers: [StateController],
  providers: [StateService],
})
export class StateModule {}
