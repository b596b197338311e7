// Entry point of a standalone master process; `agora master` does the same through the CLI.
import { stopOnSignals } from '@agora/nest-common';
import { bootstrapMaster } from './bootstrap';

async function main(): Promise<void> {
  const app = await bootstrapMaster();
  await stopOnSignals(() => app.close(), (message) => console.error(`master: ${message}`));
}

main().catch((error: unknown) => {
  console.error(`master: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
