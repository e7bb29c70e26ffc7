/**
 * The exercise's clock: wall time from an injected source, stopped while the facilitator pauses
 * it. Tests drive it with a fake `now`.
 */
export class ExerciseClock {
  private startedAt: number | null = null;
  private pausedAt: number | null = null;
  private pausedTotal = 0;

  constructor(
    private readonly now: () => number,
    readonly boxMs: number,
  ) {}

  start(): void {
    this.startedAt ??= this.now();
  }

  get paused(): boolean {
    return this.pausedAt !== null;
  }

  /** false when it was paused already */
  pause(): boolean {
    if (this.pausedAt !== null) return false;
    this.pausedAt = this.now();
    return true;
  }

  /** false when it was running */
  resume(): boolean {
    if (this.pausedAt === null) return false;
    this.pausedTotal += this.now() - this.pausedAt;
    this.pausedAt = null;
    return true;
  }

  /** running time so far, pauses left out; the clock stops at the box */
  elapsed(): number {
    if (this.startedAt === null) return 0;
    const until = this.pausedAt ?? this.now();
    return Math.min(this.boxMs, Math.max(0, until - this.startedAt - this.pausedTotal));
  }

  remaining(): number {
    return Math.max(0, this.boxMs - this.elapsed());
  }

  expired(): boolean {
    return this.startedAt !== null && this.remaining() === 0;
  }

  /** the wall clock, for records */
  wall(): number {
    return this.now();
  }
}
