import { defineConfig } from '@playwright/test';
import { RESULTS_DIR } from './reports/environment';
import { CATEGORIES } from './reports/categories';

const CI = Boolean(process.env.CI);

/**
 * One worker = one real pocket-core network (4 validators + an EVM chain). Two workers fit a
 * 2-core machine; set PW_WORKERS to change it.
 */
export default defineConfig({
  testDir: 'tests',
  testMatch: '**/*.spec.ts',
  globalSetup: './reports/global-setup.ts',
  timeout: 180_000,
  expect: { timeout: 15_000 },
  workers: Number(process.env.PW_WORKERS || 2),
  fullyParallel: false,
  // CI retries once and the report marks such a test flaky (see reports/README.md for the gate policy).
  retries: CI ? 1 : 0,
  forbidOnly: CI,
  reporter: [
    ['list'],
    ['allure-playwright', { resultsDir: RESULTS_DIR, detail: true, suiteTitle: false, categories: CATEGORIES }],
    ['json', { outputFile: 'test-results/results.json' }],
  ],
  use: { trace: 'off' },
  // Tests that reach a tracked upstream defect (fixtures/known-defect.ts) end as expected failures,
  // so they cost no retry and no worker restart and need no project of their own. The split is by
  // cost: `regression` is the ≤ 10-minute run a pull request waits for (every area, its fast
  // scenarios); `nightly` holds the scenarios that wait out jail durations, unstaking, claim
  // expiry or rolling upgrades on private networks (tagged `@nightly`). `npx playwright test`
  // and `npm run regression` run both; `--project=regression` runs the PR selection.
  projects: [
    { name: 'regression', grepInvert: /@nightly/ },
    { name: 'nightly', grep: /@nightly/ },
  ],
});
