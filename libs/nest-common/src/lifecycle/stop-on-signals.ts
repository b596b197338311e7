/**
 * Waits for SIGINT or SIGTERM, then runs `stop` once. A second signal while stopping exits at
 * once (status 130), so an operator is never stuck behind a hung shutdown.
 *
 * Resolves with the signal received after `stop` has finished.
 */
export function stopOnSignals(
  stop: () => Promise<void>,
  log: (message: string) => void,
): Promise<NodeJS.Signals> {
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
  return new Promise((resolve, reject) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) {
        log(`received ${signal} again, exiting without waiting`);
        process.exit(130);
      }
      stopping = true;
      log(`received ${signal}, stopping`);
      stop().then(
        () => {
          for (const s of signals) process.removeListener(s, onSignal);
          resolve(signal);
        },
        (error: unknown) => {
          for (const s of signals) process.removeListener(s, onSignal);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    };
    for (const s of signals) process.on(s, onSignal);
  });
}
