import { BadRequestException, HttpException, ServiceUnavailableException } from '@nestjs/common';
import { answerFor } from './text-exception.filter';

function bodyParserError(status: number, message: string): Error {
  return Object.assign(new Error(message), { status, expose: true });
}

describe('answerFor', () => {
  it.each([
    ['an HttpException with a string', new ServiceUnavailableException('draining'), 503, 'draining'],
    ['validation messages joined', new BadRequestException(['a is bad', 'b is bad']), 400, 'a is bad; b is bad'],
    ['an HttpException with an object body', new HttpException({ reason: 'x' }, 409), 409, 'Http Exception'],
    ['an empty message falls back to the status text', new HttpException('', 404), 404, 'Not Found'],
    ['an exposed body-parser error', bodyParserError(413, 'request entity too large'), 413, 'request entity too large'],
    ['an unexposed error with a status', Object.assign(new Error('secret'), { status: 400 }), 500, 'Internal Server Error'],
    ['a plain Error hides its message', new Error('secret detail'), 500, 'Internal Server Error'],
    ['a thrown string', 'oops', 500, 'Internal Server Error'],
  ])('%s', (_case, exception, status, body) => {
    expect(answerFor(exception)).toEqual({ status, body });
  });
});
