// Print "N passed, N failed[, N skipped]" from vitest's JSON report (last line of the test output).
import fs from 'node:fs';

let report;
try {
  report = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
} catch (e) {
  console.log(`0 passed, 1 failed`);
  console.error(`test-summary: no readable vitest report: ${e.message}`);
  process.exit(1);
}
const failedSuites = report.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
const passed = report.numPassedTests;
const failed = report.numFailedTests + failedSuites;
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
