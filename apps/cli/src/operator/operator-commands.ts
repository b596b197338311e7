/**
 * `agora agents`, `agora frameworks`, `agora tasks`: one GET of the master's v0 endpoint each,
 * printed as a table, or as the master's JSON untouched with `--json` (for scripts and jq).
 */
import { getJson } from '../http/http-client';
import { masterEndpoint } from '../master-url';
import { agentRows, agentsTable, frameworkRows, frameworksTable, taskRows, tasksTable } from './views';

export type OperatorQuery =
  | { readonly name: 'agents'; readonly json: boolean }
  | { readonly name: 'frameworks'; readonly json: boolean; readonly all: boolean }
  | { readonly name: 'tasks'; readonly json: boolean; readonly all: boolean; readonly framework?: string; readonly limit: number };

const TIMEOUT_MS = 15_000;

/** The endpoint a query reads. */
export function endpointFor(master: string, query: OperatorQuery): URL {
  switch (query.name) {
    case 'agents':
      return masterEndpoint(master, '/slaves');
    case 'frameworks':
      return masterEndpoint(master, '/frameworks');
    case 'tasks': {
      const url = masterEndpoint(master, '/tasks');
      url.searchParams.set('limit', String(query.limit));
      if (query.framework !== undefined) url.searchParams.set('framework_id', query.framework);
      return url;
    }
  }
}

/** What to print for the master's answer. */
export function render(query: OperatorQuery, body: unknown): string {
  if (query.json) return JSON.stringify(body, null, 2);
  switch (query.name) {
    case 'agents':
      return agentsTable(agentRows(body));
    case 'frameworks':
      return frameworksTable(frameworkRows(body, query.all));
    case 'tasks':
      return tasksTable(taskRows(body, query.all));
  }
}

/**
 * Reads and renders. Throws UnreachableError or HttpStatusError (from http-client) when the
 * master cannot answer; the CLI turns those into a message and exit status 1.
 */
export async function queryMaster(master: string, query: OperatorQuery): Promise<string> {
  const body = await getJson(endpointFor(master, query), { timeoutMs: TIMEOUT_MS });
  return render(query, body);
}
