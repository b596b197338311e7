import { Module } from '@nestjs/common';
import { TasksModule } from '../tasks/tasks.module';
import { StateController } from './state.controller';
import { StateService } from './state.service';

@Module({
  imports: [TasksModule],
  controllers: [StateController],
  providers: [StateService],
})
export class StateModule {}
