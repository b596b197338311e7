import { LOCAL_DEFAULT_AGENTS, LOCAL_DEFAULT_PORT, LOCAL_MAX_AGENTS, ServerCommandName } from './args';

const GENERAL = `agora - run and operate an Agora cluster (Mesos-compatible two-level scheduling)

Usage:
  agora <command> [options]

Commands:
  master   run a master (scheduler, operator and health APIs; default port 5050)
  agent    run an agent, one per machine (default port 5051)
  local    run a master and a few agents in this process, to try Agora on one machine

Options:
  -h, --help      show this help; 'agora <command> --help' shows a command's options
  -V, --version   print the version

Flags win over AGORA_* environment variables, which win over defaults.`;

const COMMAND_HELP: Record<ServerCommandName, string> = {
  master: `Usage: agora master [--port N] [--host ADDR]

Runs a master in the foreground until SIGINT or SIGTERM.

Options:
  --port N      HTTP port, 0 for any free port (default 5050, or AGORA_MASTER_PORT)
  --host ADDR   address to bind (default 0.0.0.0, or AGORA_MASTER_HOST)`,

  agent: `Usage: agora agent [--port N] [--host ADDR]

Runs an agent in the foreground until SIGINT or SIGTERM.

Options:
  --port N      HTTP port, 0 for any free port (default 5051, or AGORA_AGENT_PORT)
  --host ADDR   address to bind (default 0.0.0.0, or AGORA_AGENT_HOST)`,

  local: `Usage: agora local [--agents N] [--port N]

Runs a whole cluster in this process on 127.0.0.1, in the foreground: a master on --port and
N agents on the ports right after it. Ctrl+C (SIGINT) or SIGTERM stops it cleanly.

Options:
  --agents N    number of agents, 0 to ${LOCAL_MAX_AGENTS} (default ${LOCAL_DEFAULT_AGENTS})
  --port N      master port; agents take the next N ports (default ${LOCAL_DEFAULT_PORT}; 0 picks free ports)`,
};

export function usage(topic?: ServerCommandName): string {
  return topic === undefined ? GENERAL : COMMAND_HELP[topic];
}
