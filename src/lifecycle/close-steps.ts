import type { Logger } from 'pino';

interface Step {
  readonly name: string;
  readonly run: () => unknown;
}

/**
 * What a start has opened, to be closed in reverse order: on stop, and when
 * start-up fails half-way. Every step runs even when an earlier one fails;
 * failures are logged and counted.
 */
export class CloseSteps {
  private readonly steps: Step[] = [];
  private closing: Promise<number> | null = null;

  constructor(private readonly logger: Logger) {}

  add(name: string, run: () => unknown): void {
    this.steps.push({ name, run });
  }

  /** Runs every step once (last added first); resolves to the number that failed. */
  closeAll(): Promise<number> {
    this.closing ??= this.unwind();
    return this.closing;
  }

  private async unwind(): Promise<number> {
    let failed = 0;
    for (const step of this.steps.splice(0).reverse()) {
      try {
        await step.run();
      } catch (err) {
        failed++;
        this.logger.error({ err, step: step.name }, `closing ${step.name} failed`);
      }
    }
    return failed;
  }

  /** Runs `open`; when it throws, closes everything added so far and rethrows. */
  async guard<T>(open: () => Promise<T>): Promise<T> {
    try {
      return await open();
    } catch (err) {
      await this.closeAll();
      throw err;
    }
  }
}
