/**
 * One task at a time per key, in the order they were queued: two steps of one game never
 * interleave, and a later interaction never overtakes an earlier one. Keys with nothing queued
 * cost nothing (their entry is dropped when their last task ends).
 */
export class KeyedQueue {
  private readonly tails = new Map<string, { promise: Promise<unknown>; pending: number }>();

  /** runs `task` after every task queued before it under `key`; a failed task does not stop the ones after it */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const entry = this.tails.get(key) ?? { promise: Promise.resolve(), pending: 0 };
    entry.pending++;
    const result = entry.promise.then(task, task);
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    entry.promise = settled;
    this.tails.set(key, entry);
    void settled.then(() => {
      entry.pending--;
      if (entry.pending === 0 && this.tails.get(key) === entry) this.tails.delete(key);
    });
    return result;
  }

  /** tasks queued or running under `key` */
  pending(key: string): number {
    return this.tails.get(key)?.pending ?? 0;
  }
}
