/**
 * The one error type of the protocol library. Every decoder throws it for input that does not
 * have the shape of a message, with a message that starts with the path of the offending field:
 * `call.accept.offer_ids[0].value: expected a string`. The master answers it with a 400 whose
 * text body is `message`; the agent logs it and drops the message.
 */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';

  constructor(
    /** Where the problem is, e.g. `call.kill.task_id`; `''` for the whole input. */
    readonly path: string,
    /** What is wrong there, e.g. `expected a string`. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(path === '' ? reason : `${path}: ${reason}`, options);
  }
}
