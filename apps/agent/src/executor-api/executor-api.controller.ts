import {
  All,
  BadRequestException,
  Controller,
  ForbiddenException,
  HttpException,
  HttpStatus,
  NotAcceptableException,
  NotImplementedException,
  Req,
  Res,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { acceptsJson, type JsonCallApi, readJsonCall } from '@agora/nest-common';
import { type ExecutorCall, type ExecutorCallOf, parseExecutorCall, ProtocolError } from '@agora/protocol';
import { CustomExecutorService } from '../executors/custom-executor.service';
import { ExecutorCallError } from '../executors/executor-errors';
import { HttpExecutorStream } from './executor-stream';

/** Where executors call, for express middleware (bootstrap mounts the raw body parser there). */
export const EXECUTOR_API_PATHS = ['/api/v1/executor', '/slave\\(1\\)/api/v1/executor'];

/**
 * `POST /api/v1/executor` (also `/slave(1)/api/v1/executor`), reference §2: the HTTP rules of
 * Mesos's executor endpoint (`Http::executor`, src/slave/http.cpp) in the order it checks
 * them — method, Content-Type (missing: 400, not JSON: 415), the call (400 naming the
 * problem), Accept for SUBSCRIBE (406), the executor (unknown framework or executor: 400),
 * subscribed before any other call (403). SUBSCRIBE answers 200 with a never-ending RecordIO
 * stream of events; UPDATE, MESSAGE and HEARTBEAT answer 202. The body arrives raw (see
 * bootstrap) so that malformed JSON is answered like any other bad call.
 */
@Controller()
export class ExecutorApiController {
  constructor(private readonly executors: CustomExecutorService) {}

  @All(['api/v1/executor', 'slave\\(1\\)/api/v1/executor'])
  executor(@Req() req: Request, @Res() res: Response): void {
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      throw new HttpException(`Expecting a 'POST' request, received '${req.method}'`, HttpStatus.METHOD_NOT_ALLOWED);
    }
    const call = parse(req);
    try {
      switch (call.type) {
        case 'SUBSCRIBE':
          this.subscribe(call, req, res);
          return;
        case 'HEARTBEAT':
          break;
        case 'UPDATE':
          this.executors.update(call);
          break;
        case 'MESSAGE':
          this.executors.message(call);
          break;
        case 'UNKNOWN':
          throw new NotImplementedException("Received 'UNKNOWN' call");
      }
    } catch (e) {
      throw httpError(e);
    }
    res.status(HttpStatus.ACCEPTED).end();
  }

  private subscribe(call: ExecutorCallOf<'SUBSCRIBE'>, req: Request, res: Response): void {
    if (!acceptsJson(req.headers.accept)) throw new NotAcceptableException("Expecting 'Accept' to allow 'application/json'");
    const run = this.executors.find(call);
    res.status(HttpStatus.OK);
    res.setHeader('Content-Type', 'application/json');
    res.setHeader('Cache-Control', 'no-cache');
    res.flushHeaders();
    res.socket?.setNoDelay(true);
    res.socket?.setKeepAlive(true);
    const stream = new HttpExecutorStream(res, (s) => this.executors.disconnected(run, s));
    this.executors.subscribe(call, stream);
  }
}


/** The executors' refusals as Mesos answers them. */
function httpError(e: unknown): unknown {
  if (!(e instanceof ExecutorCallError)) return e;
  return e.problem === 'not-subscribed' ? new ForbiddenException(e.message) : new BadRequestException(e.message);
}

const EXECUTOR_API: JsonCallApi = { api: 'executor', message: 'Executor::Call', isProtocolError: (e): e is Error => e instanceof ProtocolError };

function parse(req: Request): ExecutorCall {
  return readJsonCall(req, EXECUTOR_API, parseExecutorCall);
}
