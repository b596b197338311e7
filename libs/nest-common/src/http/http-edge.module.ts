import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { TextExceptionFilter } from './text-exception.filter';
import { createValidationPipe } from './validation';

/**
 * Import once in each app's root module: registers the global validation pipe and exception
 * filter through DI, so apps and @nestjs/testing modules get the same edge behaviour.
 */
@Module({
  providers: [
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_FILTER, useClass: TextExceptionFilter },
  ],
})
export class HttpEdgeModule {}
