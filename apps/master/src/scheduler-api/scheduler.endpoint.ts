import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import {
  BadRequestException,
  ForbiddenException,
  HttpException,
  HttpStatus,
  Injectable,
  NotAcceptableException,
} from '@nestjs/common';
import { acceptsJson, type JsonCallApi, type RawRequest, type RawRoute, readJsonCall } from '@agora/nest-common';
import { type Call, parseCall, ProtocolError } from '@agora/protocol';
import { Clock } from '../clock/clock';
import { ClusterState } from '../cluster/cluster-state';
import { MasterIdentity } from '../cluster/master-identity';
import { MasterConfig } from '../config/master.config';
import { FrameworkInfoError } from '../frameworks/framework-spec';
import { FrameworksService } from '../frameworks/frameworks.service';
import { SchedulerCallsService } from './scheduler-calls.service';
import { SchedulerStream } from './scheduler-stream';

export const SCHEDULER_PATH = '/api/v1/scheduler';
/** Scheduler calls may be large (an ACCEPT launching thousands of tasks). */
const MAX_CALL_BYTES = 64 * 1024 * 1024;
const SCHEDULER_API: JsonCallApi = { api: 'scheduler', message: 'scheduler::Call', isProtocolError: (e): e is Error => e instanceof ProtocolError };
const STREAM_ID = 'mesos-stream-id';

/**
 * `POST /api/v1/scheduler` (reference §1.1): the HTTP rules of Mesos's scheduler endpoint, in
 * the order Mesos checks them, then the call goes to the frameworks service (SUBSCRIBE) or the
 * calls service. Every ACKNOWLEDGE of every task comes through here, so it is a raw route
 * (plain node:http, see bootstrap) rather than a Nest controller behind Express; its body arrives
 * raw, so malformed JSON is answered like any other bad call: 400 with a text body naming the
 * problem, by the app's one error mapping.
 */
@Injectable()
export class SchedulerEndpoint {
  constructor(
    private readonly frameworks: FrameworksService,
    private readonly calls: SchedulerCallsService,
    private readonly state: ClusterState,
    private readonly identity: MasterIdentity,
    private readonly clock: Clock,
    private readonly config: MasterConfig,
  ) {}

  /** The route bootstrap mounts. */
  route(): RawRoute {
    return { path: SCHEDULER_PATH, maxBodyBytes: MAX_CALL_BYTES, handle: (req, res) => this.handle(req, res) };
  }

  async handle(req: RawRequest, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      throw new HttpException(`Expecting a 'POST' request, received '${req.method}'`, HttpStatus.METHOD_NOT_ALLOWED);
    }
    const call = this.parse(req);
    if (call.type === 'SUBSCRIBE') {
      await this.subscribe(call, req, res);
      return;
    }
    const fw = this.state.frameworks.get(call.framework_id.value);
    if (fw === undefined) throw new BadRequestException('Framework cannot be found');
    if (!fw.connected || fw.stream === undefined) throw new ForbiddenException('Framework is not subscribed');
    const streamId = req.headers[STREAM_ID];
    if (typeof streamId !== 'string') throw new BadRequestException("All non-subscribe calls should include the 'Mesos-Stream-Id' header");
    if (streamId !== fw.stream.streamId) {
      throw new BadRequestException(`The stream ID '${streamId}' included in this request didn't match the stream ID currently associated with framework ID ${fw.id}`);
    }
    try {
      this.calls.handle(fw, call);
    } catch (e) {
      if (e instanceof FrameworkInfoError) throw new BadRequestException(e.message);
      throw e;
    }
    res.statusCode = call.type === 'UPDATE_FRAMEWORK' ? HttpStatus.OK : HttpStatus.ACCEPTED;
    res.end();
  }

  private parse(req: RawRequest): Call {
    return readJsonCall(req, SCHEDULER_API, parseCall);
  }

  private async subscribe(call: Extract<Call, { type: 'SUBSCRIBE' }>, req: RawRequest, res: ServerResponse): Promise<void> {
    if (req.headers[STREAM_ID] !== undefined) throw new BadRequestException("Subscribe calls should not include the 'Mesos-Stream-Id' header");
    if (!acceptsJson(req.headers.accept)) {
      throw new NotAcceptableException('Expecting \'Accept\' to allow application/json or application/x-protobuf');
    }
    const streamId = randomUUID();
    res.statusCode = HttpStatus.OK;
    res.setHeader('Content-Type', 'application/json');
    res.setHeader('Mesos-Stream-Id', streamId);
    res.setHeader('Cache-Control', 'no-cache');
    res.flushHeaders();
    res.socket?.setNoDelay(true);
    res.socket?.setKeepAlive(true);
    const stream = new SchedulerStream(streamId, res, (s) => {
      const fw = [...this.state.frameworks.values()].find((f) => f.stream === s);
      if (fw !== undefined) this.frameworks.disconnected(fw, s);
    });
    try {
      const fw = await this.frameworks.subscribe(call.subscribe, stream);
      if (!stream.isOpen) {
        // The client left while the master checked the registry.
        this.frameworks.disconnected(fw, stream);
        return;
      }
      stream.send({
        type: 'SUBSCRIBED',
        subscribed: {
          framework_id: { value: fw.id },
          heartbeat_interval_seconds: this.config.heartbeatIntervalSeconds,
          master_info: this.identity.info(),
        },
      });
      stream.startHeartbeats((run) => this.clock.every(this.config.heartbeatIntervalSeconds * 1000, run));
    } catch (e) {
      const message = e instanceof FrameworkInfoError ? e.message : `Subscription failed: ${(e as Error).message}`;
      stream.close({ type: 'ERROR', error: { message } });
    }
  }
}

