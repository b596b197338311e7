import { processSpawner } from './choose-spawner';
import { testLauncherBinary } from './test-launcher';

describe('processSpawner (AGORA_PROCESS_LAUNCHER)', () => {
  const said = (): { log: jest.Mock; warn: jest.Mock } => ({ log: jest.fn(), warn: jest.fn() });

  it("uses Node's spawn when turned off, and says so", async () => {
    const log = said();
    const spawner = await processSpawner('off', log);
    expect(spawner.name).toBe('node');
    expect(log.log).toHaveBeenCalledWith("tasks start with Node's child_process.spawn (AGORA_PROCESS_LAUNCHER=off)");
  });

  it("falls back to Node's spawn with a warning when the launcher cannot run", async () => {
    const log = said();
    const spawner = await processSpawner('/no/such/agora-launcher', log);
    expect(spawner.name).toBe('node');
    expect(log.warn).toHaveBeenCalledWith(expect.stringMatching(/^tasks start with Node's child_process.spawn, which is slow: .*ENOENT/));
  });

  it('uses a launcher that answers, and says which', async () => {
    const log = said();
    const spawner = await processSpawner(testLauncherBinary(), log);
    try {
      expect(spawner.name).toBe('launcher');
      expect(log.log).toHaveBeenCalledWith(expect.stringMatching(/^tasks start through .*agora-launcher \(pid \d+\)$/));
    } finally {
      spawner.close();
    }
  });
});
