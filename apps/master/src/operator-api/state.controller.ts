import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Batched } from './batched';
import { OperatorService, valid } from './operator.service';
import { jsonpCallback } from './render/query';
import { sendJsonParts } from './stream-json';

/**
 * `/state` (and its aliases), the largest answer the master gives: at 10,000 agents and 100,000
 * tasks some 50 MB. It is rendered at once (a consistent snapshot) from the remembered text of
 * unchanged tasks and agents (render/state-fragments.ts), once for all requests of the same turn
 * (batched.ts), then written a slice at a time (stream-json.ts), so other requests are served
 * meanwhile.
 * `?jsonp=` wraps it as the other v0 reads are wrapped (JsonpInterceptor cannot: the body never
 * passes through Nest).
 */
@Controller()
export class StateController {
  /** Requests of one turn of the event loop share one rendering. */
  private readonly answers: Batched<string[]>;

  constructor(operator: OperatorService) {
    this.answers = new Batched(() => operator.stateParts());
  }

  @Get(['state', 'master/state', 'state.json', 'master/state.json'])
  async state(@Req() req: Request, @Res() res: Response): Promise<void> {
    const callback = valid(jsonpCallback(req.query));
    const parts = await this.answers.get();
    if (callback === undefined) await sendJsonParts(res, parts, 'application/json; charset=utf-8');
    else await sendJsonParts(res, parts, 'text/javascript; charset=utf-8', `${callback}(`, ');');
  }
}
