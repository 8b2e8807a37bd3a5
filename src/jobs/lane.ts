/**
 * One queue's jobs in this process: the jobs of a workspace run one after another, in order; workspaces
 * take turns (round robin: a workspace whose job starts goes to the back of the line), and up to
 * `concurrency` jobs of different workspaces run at once. A workspace with a hundred jobs queued thus
 * delays another's one job by at most one of its own.
 */
export class Lane {
  /** Workspace → its waiting jobs, oldest first; the Map's order is the line. */
  private readonly waiting = new Map<string, (() => Promise<void>)[]>();
  private readonly running = new Set<string>();

  constructor(
    private readonly concurrency: number,
    /** Called whenever a job ends (and the next may have started). */
    private readonly onSettled: () => void,
  ) {}

  get size(): number {
    let n = this.running.size;
    for (const jobs of this.waiting.values()) n += jobs.length;
    return n;
  }

  push(workspaceId: string, job: () => Promise<void>): void {
    const jobs = this.waiting.get(workspaceId) ?? [];
    jobs.push(job);
    this.waiting.set(workspaceId, jobs);
    this.start();
  }

  private start(): void {
    for (const workspaceId of [...this.waiting.keys()]) {
      if (this.running.size >= this.concurrency) return;
      if (this.running.has(workspaceId)) continue;
      const jobs = this.waiting.get(workspaceId)!;
      const job = jobs.shift()!;
      // To the back of the line, behind every workspace that has waited since.
      this.waiting.delete(workspaceId);
      if (jobs.length > 0) this.waiting.set(workspaceId, jobs);
      this.running.add(workspaceId);
      const ended = () => {
        this.running.delete(workspaceId);
        // Jobs it queued meanwhile wait behind every workspace already waiting.
        const queued = this.waiting.get(workspaceId);
        if (queued) {
          this.waiting.delete(workspaceId);
          this.waiting.set(workspaceId, queued);
        }
        this.start();
        this.onSettled();
      };
      job().then(ended, ended);
    }
  }
}
