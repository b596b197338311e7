import { Injectable, Logger } from '@nestjs/common';

/** The exit status of a master that lost its leadership (EX_SOFTWARE, as a supervisor expects a restart). */
export const STEP_DOWN_EXIT_CODE = 70;

/**
 * What a leader does when it loses the leadership lock: as Mesos's master does when it loses its
 * ZooKeeper session, it exits at once (a supervisor restarts it as a standby). Its in-memory view
 * may already be stale and another master may already lead, so it must not go on serving or try
 * to become a standby in-process. Injectable so tests replace the exit (`MasterOptions.onStepDown`).
 */
@Injectable()
export class StepDown {
  private readonly logger = new Logger('leadership');
  private action: (why: string) => void = (why) => {
    this.logger.error(`stepping down: ${why}; exiting with status ${STEP_DOWN_EXIT_CODE}`);
    process.exit(STEP_DOWN_EXIT_CODE);
  };

  /** Replaces the default exit (tests, or an embedding process with its own policy). */
  replace(action: (why: string) => void): void {
    this.action = action;
  }

  now(why: string): void {
    this.action(why);
  }
}
