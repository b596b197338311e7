/**
 * Typed errors of the resources library. Both carry `name` so they survive logging and can be
 * mapped to wire errors in one place without `instanceof` across package boundaries.
 */

/**
 * Input text or JSON could not be turned into resources. The message names the bad fragment
 * (text forms) or the field path (JSON forms), e.g. `invalid resource 'cpus:abc': value is not
 * a number` or `invalid resource at resources[1].scalar.value: expected a number`.
 */
export class ResourceParseError extends Error {
  override readonly name = 'ResourceParseError';

  constructor(
    message: string,
    /** The fragment or field path that was rejected. */
    readonly input?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * A `Resource` built in code breaks the model's rules (negative scalar, malformed range,
 * reservation stack that does not nest, ...). This is a programming error, not bad user input.
 */
export class InvalidResourceError extends Error {
  override readonly name = 'InvalidResourceError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
