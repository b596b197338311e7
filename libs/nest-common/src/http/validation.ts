import { ValidationPipe } from '@nestjs/common';

/**
 * The single validation policy for every request body, query and param: DTOs are transformed to
 * their classes, unknown properties are rejected (not silently dropped), and the messages reach
 * the client through TextExceptionFilter as one text line.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
  });
}
