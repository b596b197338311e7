/** A request the allocator refuses: an unknown id, an invalid role, a malformed constraint. */
export class AllocatorError extends Error {
  override readonly name = 'AllocatorError';
}
