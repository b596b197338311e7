import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandName } from './args';
import { usage } from './usage';

/** The variables a config class reads: every `@FromEnv('NAME')` in its source. */
function variablesOf(configFile: string): string[] {
  const source = readFileSync(join(__dirname, '..', '..', configFile), 'utf8');
  return [...source.matchAll(/@FromEnv\('([A-Z0-9_]+)'\)/g)].map((m) => m[1]);
}

const MASTER_VARIABLES = variablesOf('master/src/config/master.config.ts');
const AGENT_VARIABLES = variablesOf('agent/src/config/agent.config.ts');

describe('help texts', () => {
  // Keeps the help in step with the config classes: a variable added there fails here until documented.
  it.each(MASTER_VARIABLES)('agora master --help documents %s', (variable) => {
    expect(usage('master')).toContain(variable);
  });

  it.each(AGENT_VARIABLES)('agora agent --help documents %s', (variable) => {
    expect(usage('agent')).toContain(variable);
  });

  it('finds the config classes’ variables at all', () => {
    expect(MASTER_VARIABLES).toContain('AGORA_MASTER_PORT');
    expect(AGENT_VARIABLES).toContain('AGORA_AGENT_PORT');
  });

  it.each<CommandName>(['run', 'agents', 'frameworks', 'tasks', 'drain', 'deactivate', 'reactivate'])('agora %s --help documents --master and AGORA_MASTER', (command) => {
    expect(usage(command)).toContain('--master URL');
    expect(usage(command)).toContain('AGORA_MASTER');
  });

  it.each<[CommandName, string[]]>([
    ['run', ['--cpus', '--mem', '--role', '--name', '--env', '--timeout', '--image', '--verbose', '-- COMMAND']],
    ['agents', ['--json']],
    ['frameworks', ['--all', '--json']],
    ['tasks', ['--all', '--framework', '--limit', '--json']],
    ['drain', ['AGENT_ID', '--max-grace-period SECONDS', '--mark-gone']],
    ['deactivate', ['AGENT_ID']],
    ['reactivate', ['AGENT_ID']],
    ['local', ['--agents', '--port']],
    ['sim', ['--agents', '--resources', '--task-duration', '--master-namespace', 'NATS_URL', 'AGORA_BUS_NAMESPACE']],
  ])('agora %s --help documents its flags', (command, flags) => {
    for (const flag of flags) expect(usage(command)).toContain(flag);
  });

  it('lists every command in the general help', () => {
    for (const command of ['master', 'agent', 'local', 'sim', 'run', 'agents', 'frameworks', 'tasks', 'drain', 'deactivate', 'reactivate']) {
      expect(usage()).toMatch(new RegExp(`^  ${command} `, 'm'));
    }
  });
});
