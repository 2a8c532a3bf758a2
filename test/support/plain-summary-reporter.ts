import type { Reporter, TestModule } from 'vitest/node';

/**
 * Ends the run with the plain line CI systems read in any language: "Tests: N passed, N failed, N skipped".
 * Vitest's own summary is kept for people.
 */
export default class PlainSummaryReporter implements Reporter {
  private line = '';

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      if (module.state() === 'failed' && module.children.size === 0) failed++;
    }
    this.line = `Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`;
  }

  // Printed in the last hook, after vitest's own summary, so it is the closing line.
  onFinished(): void {
    if (this.line) process.stdout.write(`${this.line}\n`);
  }
}
