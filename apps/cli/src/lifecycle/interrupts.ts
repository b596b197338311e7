/**
 * Ctrl+C for commands that must clean up rather than die (`agora run` kills its task first).
 * While a handler is installed, SIGINT and SIGTERM no longer end the process by themselves.
 */
export function onProcessInterrupt(handler: () => void): () => void {
  const listener = (): void => handler();
  process.on('SIGINT', listener);
  process.on('SIGTERM', listener);
  return () => {
    process.off('SIGINT', listener);
    process.off('SIGTERM', listener);
  };
}
