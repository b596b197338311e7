/**
 * The files API's domain errors and their one mapping to HTTP answers (text bodies, as Mesos's
 * `/files` endpoints answer). A path outside the work dir is reported exactly like a missing
 * one, so the API does not reveal what exists elsewhere on the machine.
 */
import { BadRequestException, NotFoundException } from '@nestjs/common';

export class FileNotFoundError extends Error {
  override readonly name = 'FileNotFoundError';

  constructor(readonly path: string) {
    super(`No such file or directory: '${path}'`);
  }
}

/** A request that cannot be served for this path (reading a directory, for instance). */
export class InvalidFileRequestError extends Error {
  override readonly name = 'InvalidFileRequestError';
}

export function httpErrorFor(error: unknown): unknown {
  if (error instanceof FileNotFoundError) return new NotFoundException(error.message);
  if (error instanceof InvalidFileRequestError) return new BadRequestException(error.message);
  return error;
}
