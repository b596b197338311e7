// Entry point of a standalone agent process; `agora agent` does the same through the CLI.
import { stopOnSignals } from '@agora/nest-common';
import { bootstrapAgent } from './bootstrap';

async function main(): Promise<void> {
  const app = await bootstrapAgent();
  await stopOnSignals(() => app.close(), (message) => console.error(`agent: ${message}`));
}

main().catch((error: unknown) => {
  console.error(`agent: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
