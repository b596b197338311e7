import {
  All,
  Controller,
  HttpException,
  HttpStatus,
  NotAcceptableException,
  Req,
  Res,
  UseInterceptors,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { type OperatorCall, parseOperatorCall, ProtocolError } from '@agora/protocol';
import { DomainErrorsInterceptor } from '../domain-errors.interceptor';
import { acceptsJson, type JsonCallApi, readJsonCall } from '@agora/nest-common';
import { Batched } from '../batched';
import { sendJsonParts } from '../stream-json';
import { OperatorEventStreams } from './operator-event-streams';
import { OperatorV1Service } from './operator-v1.service';

/**
 * `POST /api/v1` (= `/master/api/v1`), the v1 operator API (reference §3.3), checked in the
 * order Mesos checks: method (405), Content-Type (400 when absent, 415 unless JSON), the call
 * (400 with a text body naming the field), Accept (406). SUBSCRIBE opens a RecordIO stream;
 * every other call answers 200, with `{"type": ..., "<type in snake_case>": {...}}` for reads
 * and an empty body for writes. The body arrives raw (see bootstrap), so malformed JSON is a 400
 * like any other bad call.
 */
@Controller()
@UseInterceptors(DomainErrorsInterceptor)
export class OperatorV1Controller {
  /** GET_STATE calls of one turn of the event loop share one rendering. */
  private readonly states: Batched<string[]>;

  constructor(
    private readonly v1: OperatorV1Service,
    private readonly streams: OperatorEventStreams,
  ) {
    this.states = new Batched(() => v1.getStateParts());
  }

  @All(['api/v1', 'master/api/v1'])
  async call(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      throw new HttpException(`Expecting a 'POST' request, received '${req.method}'`, HttpStatus.METHOD_NOT_ALLOWED);
    }
    const call = parse(req);
    if (!acceptsJson(req.headers.accept)) throw new NotAcceptableException("Expecting 'Accept' to allow 'application/json'");
    if (call.type === 'SUBSCRIBE') {
      res.status(HttpStatus.OK);
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('Cache-Control', 'no-cache');
      res.flushHeaders();
      res.socket?.setNoDelay(true);
      res.socket?.setKeepAlive(true);
      this.streams.subscribe(res);
      return;
    }
    if (call.type === 'GET_STATE') {
      // Tens of megabytes at 100,000 tasks: written a slice at a time, never one string.
      await sendJsonParts(res, await this.states.get());
      return;
    }
    const answer = await this.v1.answer(call);
    res.status(HttpStatus.OK);
    if (answer === undefined) {
      res.end();
      return;
    }
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(answer));
  }
}

const OPERATOR_API: JsonCallApi = { api: 'operator', message: 'master::Call', isProtocolError: (e): e is Error => e instanceof ProtocolError };

function parse(req: Request): OperatorCall {
  return readJsonCall(req, OPERATOR_API, parseOperatorCall);
}
