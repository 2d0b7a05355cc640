// Allure 3 report config. History (the trend across runs) lives in reports/history/ and is
// carried between runs (CI restores it from the previous run's artifact/cache).
export default {
  name: 'pocket-e2e regression',
  output: './reports/allure-report',
  historyPath: './reports/history/history.jsonl',
  historyLimit: 50,
};
