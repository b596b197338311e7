/** Domain errors of the registry; the HTTP and NATS edges map them to answers in one place. */
export class RegistryError extends Error {
  override readonly name: string = 'RegistryError';
}

export class UnknownAgentError extends RegistryError {
  override readonly name = 'UnknownAgentError';

  constructor(readonly agentId: string) {
    super(`agent ${agentId} is not in the registry`);
  }
}

/** A gone agent may never come back with the same id (Mesos's `markAgentGone`). */
export class AgentGoneError extends RegistryError {
  override readonly name = 'AgentGoneError';

  constructor(readonly agentId: string) {
    super(`agent ${agentId} has been marked gone`);
  }
}

export class UnknownFrameworkError extends RegistryError {
  override readonly name = 'UnknownFrameworkError';

  constructor(readonly frameworkId: string) {
    super(`framework ${frameworkId} is not in the registry`);
  }
}

/** A removed framework's id may not subscribe again ("Framework has been removed" in Mesos). */
export class FrameworkRemovedError extends RegistryError {
  override readonly name = 'FrameworkRemovedError';

  constructor(readonly frameworkId: string) {
    super(`framework ${frameworkId} has been removed`);
  }
}
