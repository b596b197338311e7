import { STATUS_CODES } from 'node:http';
import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

/**
 * The one place where errors become HTTP answers. Every error answer has a non-empty
 * `text/plain` body (as Mesos answers) and never a stack trace; unexpected errors are logged
 * with their stack here and reach the client as a bare 500.
 *
 * Domain errors get their status in `statusOf` as features add them, so controllers and
 * services never pick HTTP codes themselves.
 */
@Catch()
export class TextExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ExceptionFilter');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    // Only HTTP for now; the NATS transport (issue 3) adds its own mapping.
    if (host.getType() !== 'http') throw exception;

    const { httpAdapter } = this.adapterHost;
    const response: unknown = host.switchToHttp().getResponse();
    const { status, body } = answerFor(exception);
    if (status >= HttpStatus.INTERNAL_SERVER_ERROR) {
      this.logger.error(describe(exception), exception instanceof Error ? exception.stack : undefined);
    }
    if (httpAdapter.isHeadersSent(response)) {
      httpAdapter.end(response);
      return;
    }
    httpAdapter.setHeader(response, 'Content-Type', 'text/plain; charset=utf-8');
    httpAdapter.reply(response, body, status);
  }
}

/** The status and text body for any thrown value. Exported for tests. */
export function answerFor(exception: unknown): { status: number; body: string } {
  const status = statusOf(exception);
  const fallback = STATUS_CODES[status] ?? 'Error';
  if (status >= HttpStatus.INTERNAL_SERVER_ERROR && !(exception instanceof HttpException)) {
    return { status, body: fallback };
  }
  return { status, body: messageOf(exception) || fallback };
}

function statusOf(exception: unknown): number {
  if (exception instanceof HttpException) return exception.getStatus();
  if (isExposedHttpError(exception)) return exception.status;
  return HttpStatus.INTERNAL_SERVER_ERROR;
}

function messageOf(exception: unknown): string {
  if (exception instanceof HttpException) {
    const response = exception.getResponse();
    if (typeof response === 'string') return response;
    const message = (response as { message?: unknown }).message;
    if (Array.isArray(message)) return message.map(String).join('; ');
    if (typeof message === 'string') return message;
    return exception.message;
  }
  return isExposedHttpError(exception) ? exception.message : '';
}

/** Errors from Express middleware (body-parser: 400, 413, 415) follow the http-errors shape. */
function isExposedHttpError(e: unknown): e is Error & { status: number } {
  if (!(e instanceof Error)) return false;
  const { status, expose } = e as Error & { status?: unknown; expose?: unknown };
  return expose === true && typeof status === 'number' && status >= 400 && status < 500;
}

function describe(exception: unknown): string {
  return exception instanceof Error ? `${exception.name}: ${exception.message}` : String(exception);
}
