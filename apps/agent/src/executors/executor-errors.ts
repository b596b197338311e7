/**
 * Why an executor's call was refused, as Mesos's agent words it (`Http::executor`,
 * src/slave/http.cpp). The executor API maps the kinds to HTTP answers in one place
 * (executor-api/executor-api.controller.ts): unknown framework or executor → 400, a call
 * before SUBSCRIBE → 403.
 */
export type ExecutorCallProblem = 'unknown-framework' | 'unknown-executor' | 'not-subscribed';

export class ExecutorCallError extends Error {
  override readonly name = 'ExecutorCallError';

  constructor(
    readonly problem: ExecutorCallProblem,
    message: string,
  ) {
    super(message);
  }
}
