import { BadRequestException, type CallHandler, type ExecutionContext, Injectable, type NestInterceptor, NotFoundException } from '@nestjs/common';
import { catchError, type Observable, throwError } from 'rxjs';
import { AgentMaintenanceError } from '../agents/agent-maintenance';
import { UnknownAgentError } from '../registry';
import { RoleConfigError } from '../roles/role-config';

/**
 * Where the domain errors the operator writes can raise become HTTP answers, once for the v0
 * and v1 endpoints: a weight or quota that may not be set is a 400 (as Mesos), an agent the
 * registry never admitted a 404 (Mesos's MARK_AGENT_GONE answer), a maintenance call the
 * agent's state refuses a 400. The global text filter
 * writes the answer.
 */
@Injectable()
export class DomainErrorsInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(catchError((e: unknown) => throwError(() => httpErrorOf(e))));
  }
}

export function httpErrorOf(e: unknown): unknown {
  if (e instanceof RoleConfigError) return new BadRequestException(e.message);
  // DRAIN/DEACTIVATE/REACTIVATE_AGENT refused ("Unknown agent", "Agent is not deactivated"): 400 as Mesos.
  if (e instanceof AgentMaintenanceError) return new BadRequestException(e.message);
  if (e instanceof UnknownAgentError) return new NotFoundException(`Agent '${e.agentId}' not found`);
  return e;
}
