import { Controller, Get } from '@nestjs/common';
import { StateService } from './state.service';

/** `GET /state`, also under Mesos's process path `/slave(1)/state` that tools still use. */
@Controller()
export class StateController {
  constructor(private readonly state: StateService) {}

  @Get(['state', 'state.json', 'slave\\(1\\)/state', 'slave\\(1\\)/state.json'])
  get(): Record<string, unknown> {
    return this.state.state();
  }
}
