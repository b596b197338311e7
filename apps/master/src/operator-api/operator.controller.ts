import { Controller, Get, HttpStatus, Query, Redirect, UseInterceptors } from '@nestjs/common';
import { JsonpInterceptor } from './jsonp.interceptor';
import { OperatorService } from './operator.service';
import type { QueryParams } from './render/inputs';
import type {
  FrameworksJson,
  MetricsJson,
  RolesJson,
  SlavesJson,
  StateJson,
  StateSummaryJson,
  TasksJson,
  VersionJson,
} from './render/json';

/**
 * The Mesos v0 read-only endpoints (reference §3), under the names and aliases tools use. Every
 * one answers JSON, or JSONP with `?jsonp=` (JsonpInterceptor).
 */
@Controller()
@UseInterceptors(JsonpInterceptor)
export class OperatorController {
  constructor(private readonly operator: OperatorService) {}

  @Get(['state', 'master/state', 'state.json', 'master/state.json'])
  state(): StateJson {
    return this.operator.state();
  }

  @Get(['state-summary', 'master/state-summary'])
  stateSummary(): StateSummaryJson {
    return this.operator.stateSummary();
  }

  @Get(['frameworks', 'master/frameworks'])
  frameworks(@Query() query: QueryParams): FrameworksJson {
    return this.operator.frameworks(query);
  }

  @Get(['slaves', 'master/slaves'])
  slaves(@Query() query: QueryParams): SlavesJson {
    return this.operator.slaves(query);
  }

  @Get(['tasks', 'master/tasks', 'tasks.json', 'master/tasks.json'])
  tasks(@Query() query: QueryParams): TasksJson {
    return this.operator.tasks(query);
  }

  @Get(['roles', 'master/roles'])
  roles(): RolesJson {
    return this.operator.roles();
  }

  @Get(['metrics/snapshot', 'master/metrics/snapshot'])
  metrics(@Query() query: QueryParams): MetricsJson {
    return this.operator.metrics(query);
  }

  @Get(['version', 'master/version'])
  version(): VersionJson {
    return this.operator.version();
  }

  @Get(['flags', 'master/flags'])
  flags(): { flags: Record<string, string> } {
    return this.operator.flags();
  }
}

/** `/redirect`: 307 to the leading master, `//host:port` (only the exact path; below it is 404). */
@Controller()
export class RedirectController {
  constructor(private readonly operator: OperatorService) {}

  @Get(['redirect', 'master/redirect'])
  @Redirect('', HttpStatus.TEMPORARY_REDIRECT)
  redirect(): { url: string } {
    return { url: this.operator.leaderLocation() };
  }
}
