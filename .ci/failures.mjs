// Prints what failed in one pass, from vitest's machine-readable (JSON) report: each failed test with the
// first lines of its failure, and each test file that failed outside a test (an error while loading it,
// a hook). Exits 1 when the report is missing or says the run failed without naming a failure (vitest
// stopped early, or only unhandled errors): the caller then shows the end of the pass's log instead.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const [file] = process.argv.slice(2);
if (!file || !existsSync(file)) process.exit(1);
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch {
  process.exit(1);
}
const LINES = 12;
const clip = (text) => text.split('\n').slice(0, LINES).join('\n');
let named = 0;
for (const suite of report.testResults ?? []) {
  const where = path.relative(process.cwd(), suite.name);
  const failed = (suite.assertionResults ?? []).filter((a) => a.status === 'failed');
  for (const test of failed) {
    named++;
    console.log(`FAIL ${where} > ${test.fullName}`);
    for (const message of test.failureMessages ?? []) console.log(clip(message).replace(/^/gm, '    '));
  }
  if (suite.status === 'failed' && failed.length === 0) {
    named++;
    console.log(`FAIL ${where} (outside any test)`);
    if (suite.message) console.log(clip(suite.message).replace(/^/gm, '    '));
  }
}
console.log(`${report.numFailedTests ?? 0} failed, ${report.numPassedTests ?? 0} passed, ${report.numPendingTests ?? 0} skipped of ${report.numTotalTests ?? 0} tests`);
process.exit(named > 0 || report.success ? 0 : 1);
