import { Global, Module } from '@nestjs/common';
import { Clock } from './clock';

/** One clock for the whole master, so a test can replace time everywhere at once. */
@Global()
@Module({ providers: [Clock], exports: [Clock] })
export class ClockModule {}
