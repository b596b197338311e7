import { Controller, Get, HttpCode, HttpStatus, Post, Put, Query, Redirect, Req, UseInterceptors } from '@nestjs/common';
import type { Request } from 'express';
import type { WeightInfo } from '@agora/protocol';
import { bodyText } from '@agora/nest-common';
import { DomainErrorsInterceptor } from './domain-errors.interceptor';
import { JsonpInterceptor } from './jsonp.interceptor';
import { OperatorService } from './operator.service';
import type { QueryParams } from './render/inputs';
import type {
  FrameworksJson,
  MetricsJson,
  QuotaJson,
  RolesJson,
  SlavesJson,
  StateSummaryJson,
  TasksJson,
  VersionJson,
} from './render/json';

/**
 * The paths whose request bodies arrive raw (bootstrap mounts `express.raw` on them), so a
 * malformed body is answered like any other bad input: 400 with a text body naming the problem.
 */
export const OPERATOR_RAW_BODY_PATHS = ['/api/v1', '/master/api/v1', '/weights', '/master/weights', '/teardown', '/master/teardown'];

/**
 * The Mesos v0 read endpoints (reference §3), under the names and aliases tools use. Every
 * one answers JSON, or JSONP with `?jsonp=` (JsonpInterceptor). `/state` has a controller of
 * its own (state.controller.ts): its answer is too large to pass through Nest as one object.
 */
@Controller()
@UseInterceptors(JsonpInterceptor)
export class OperatorController {
  constructor(private readonly operator: OperatorService) {}

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

  @Get(['weights', 'master/weights'])
  weights(): WeightInfo[] {
    return this.operator.weights();
  }

  @Get(['quota', 'master/quota'])
  quota(): QuotaJson {
    return this.operator.quota();
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

/** The v0 writes: `/weights` PUT and `/teardown` POST, answered with an empty 200 as Mesos does. */
@Controller()
@UseInterceptors(DomainErrorsInterceptor)
export class OperatorWritesController {
  constructor(private readonly operator: OperatorService) {}

  @Put(['weights', 'master/weights'])
  @HttpCode(HttpStatus.OK)
  async updateWeights(@Req() req: Request): Promise<void> {
    await this.operator.updateWeights(bodyText(req));
  }

  @Post(['teardown', 'master/teardown'])
  @HttpCode(HttpStatus.OK)
  teardown(@Req() req: Request): void {
    this.operator.teardownForm(bodyText(req));
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
