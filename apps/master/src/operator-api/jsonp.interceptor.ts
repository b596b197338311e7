import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { map, type Observable } from 'rxjs';
import { valid } from './operator.service';
import { jsonpCallback, wrapJsonp } from './render/query';

/**
 * `?jsonp=<callback>` on any v0 GET endpoint (reference §3; the Mesos web UI reads the master
 * this way): the JSON answer becomes `callback(<json>);` as text/javascript. Without the
 * parameter the handler's object goes out as application/json, untouched. A callback that is not
 * a JavaScript name is refused with 400 before the handler runs.
 */
@Injectable()
export class JsonpInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const callback = valid(jsonpCallback(http.getRequest<Request>().query));
    if (callback === undefined) return next.handle();
    return next.handle().pipe(
      map((body: unknown) => {
        http.getResponse<Response>().setHeader('Content-Type', 'text/javascript');
        return wrapJsonp(callback, body);
      }),
    );
  }
}
