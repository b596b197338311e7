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
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import type { Request, Response } from 'express';
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

function parse(req: Request): ExecutorCall {
  const type = req.headers['content-type'];
  if (type === undefined) throw new BadRequestException("Expecting 'Content-Type' to be present");
  const media = type.split(';')[0].trim().toLowerCase();
  if (media === 'application/x-protobuf') {
    throw new UnsupportedMediaTypeException('Agora speaks the JSON executor API; send Content-Type: application/json');
  }
  if (media !== 'application/json') {
    throw new UnsupportedMediaTypeException(`Expecting 'Content-Type' of application/json or application/x-protobuf, got '${type}'`);
  }
  const body: unknown = req.body;
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : '';
  if (text.trim() === '') throw new BadRequestException('Failed to parse body into Call: the request body is empty');
  try {
    return parseExecutorCall(text);
  } catch (e) {
    if (e instanceof ProtocolError) throw new BadRequestException(`Failed to validate Executor::Call: ${e.message}`);
    throw e;
  }
}

/** The executors' refusals as Mesos answers them. */
function httpError(e: unknown): unknown {
  if (!(e instanceof ExecutorCallError)) return e;
  return e.problem === 'not-subscribed' ? new ForbiddenException(e.message) : new BadRequestException(e.message);
}

/** No Accept header means JSON; otherwise JSON or a wildcard must be allowed. */
function acceptsJson(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return accept.split(',').some((part) => {
    const media = part.split(';')[0].trim().toLowerCase();
    return media === 'application/json' || media === '*/*' || media === 'application/*';
  });
}
