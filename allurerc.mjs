// Allure 3 report config. History (the trend across runs) lives in reports/history/ and is
// carried between runs (CI restores it from the previous run's artifact/cache).
// Tracked upstream defects (reports/known-defects.json) become Allure "resolutions": a failure
// whose message starts with a defect's marker shows as that known issue, not as plain red.
import { readFileSync } from 'node:fs';

const KNOWN_UPSTREAM = '[known upstream issue]';
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const defects = JSON.parse(readFileSync(new URL('./reports/known-defects.json', import.meta.url), 'utf8'));

export default {
  name: 'pocket-e2e regression',
  output: './reports/allure-report',
  historyPath: './reports/history/history.jsonl',
  historyLimit: 50,
  resolutions: {
    knownIssuesPath: './reports/known-issues.json',
    links: {
      'pocket-core': { nameTemplate: 'pocket-core %s', urlTemplate: 'https://github.com/pokt-network/pocket-core/issues?q=%s' },
      'pocket-js': { nameTemplate: 'pocket-js %s', urlTemplate: 'https://github.com/pokt-network/pocket-js/issues?q=%s' },
    },
    rules: defects.map((d) => ({
      resolution: 'issue',
      issue: { id: d.id, type: d.upstream },
      messageRegexp: `^(\\w*Error: )?${escape(`${KNOWN_UPSTREAM} ${d.id}:`)}[\\s\\S]*`,
      comment: d.title,
    })),
  },
};
