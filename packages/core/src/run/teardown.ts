/**
 * How a run ended, which some undo steps depend on: `start-failed` (nothing of it is the caller's:
 * the connection closes too), `failed` (a started run ended in an error: its domain is destroyed),
 * `ended` (the app exited: what is left of the domain is libvirt's to finish).
 */
export type RunOutcome = 'start-failed' | 'failed' | 'ended';

/** One undo step, told how the run ended. */
export type UndoStep = (outcome: RunOutcome) => unknown;

/**
 * The undo steps of one run, last in first out, as crun's and bubblewrap's `cleanup_*` or
 * libvirt-sandbox's clean_post_start: each resource pushes its undo step once acquired, so a start
 * that fails halfway undoes exactly what it made, and the end of a run the same. A step that throws
 * stops none of the others; its error goes to `report`, never lost and never in place of the
 * error the caller gets.
 */
export class Teardown {
  private readonly steps: Array<{ readonly what: string; readonly undo: UndoStep }> = [];
  private running?: Promise<void>;

  /** @param report told of each step that threw: `what` it was to undo (`remove the state dir`), and the error. */
  constructor(private readonly report: (what: string, err: unknown) => void) {}

  /** Adds the undo step of a resource just acquired; `what` names it for the report. */
  push(what: string, undo: UndoStep): void {
    this.steps.push({ what, undo });
  }

  /** Runs every step once, last pushed first; a second call waits for the first. */
  run(outcome: RunOutcome): Promise<void> {
    this.running ??= this.unwind(outcome);
    return this.running;
  }

  private async unwind(outcome: RunOutcome): Promise<void> {
    for (let step = this.steps.pop(); step; step = this.steps.pop()) {
      try {
        await step.undo(outcome);
      } catch (err) {
        this.report(step.what, err);
      }
    }
  }
}
