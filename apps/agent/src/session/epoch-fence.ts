/**
 * Fencing by leader epoch (DESIGN §3.4): every master message carries the epoch of the leader
 * that sent it, and a new leader's epoch is higher than any before. Remembering the highest
 * epoch seen and refusing anything older means a deposed master that still believes it leads
 * cannot kill or launch tasks here.
 */
export class EpochFence {
  private highest = -1;

  /** The highest epoch seen so far; -1 before any. */
  get epoch(): number {
    return this.highest;
  }

  /** Whether a message of `epoch` may act; admitting a newer epoch raises the fence. */
  admit(epoch: number): boolean {
    if (epoch < this.highest) return false;
    this.highest = epoch;
    return true;
  }
}
