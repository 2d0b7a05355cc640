/**
 * Opens the generated HTML report in a real headless Chromium (Debian's), reads the totals it
 * shows, compares them with the run's results, and saves a screenshot of the overview to
 * reports/report-overview.png. A report that renders wrong totals (or not at all) fails the run.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { chromium } from '@playwright/test';
import { PROJECT_ROOT } from '../network/settings';

export const REPORT_DIR = path.join(PROJECT_ROOT, 'reports', 'allure-report');
export const SCREENSHOT = path.join(PROJECT_ROOT, 'reports', 'report-overview.png');
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export interface ReportCheck {
  status: 'passed' | 'failed' | 'not-run';
  message: string;
  shown?: { total: number; passed: number };
}

function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];
  return candidates.find((c) => fs.existsSync(c));
}

/** Serves the report folder on loopback only (the report loads its data with fetch). */
function serve(dir: string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent((req.url ?? '/').split('?')[0]);
    let file = path.join(dir, rel);
    if (!file.startsWith(dir)) { res.statusCode = 403; res.end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!fs.existsSync(file)) { res.statusCode = 404; res.end(); return; }
    res.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export function totalsIn(text: string): { total: number; passed: number } | undefined {
  const total = text.match(/\bTotal\s+(\d+)/)?.[1];
  const passed = text.match(/\bPassed\s+(\d+)/)?.[1];
  return total === undefined ? undefined : { total: Number(total), passed: Number(passed ?? 0) };
}

export async function checkReport(expected: { total: number; passed: number }): Promise<ReportCheck> {
  const executablePath = chromiumPath();
  if (!executablePath) return { status: 'not-run', message: 'report check not run: no Chromium here (apt-get install chromium, or set CHROMIUM_PATH)' };
  if (!fs.existsSync(path.join(REPORT_DIR, 'index.html'))) return { status: 'failed', message: `no report at ${REPORT_DIR}/index.html` };
  const server = await serve(REPORT_DIR);
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/index.html`);
    await page.getByText('Total', { exact: true }).first().waitFor({ timeout: 30_000 });
    const shown = totalsIn(await page.locator('body').innerText());
    await page.screenshot({ path: SCREENSHOT });
    if (!shown) return { status: 'failed', message: 'the report shows no totals' };
    const ok = shown.total === expected.total && shown.passed === expected.passed;
    return {
      status: ok ? 'passed' : 'failed',
      message: `${ok ? 'report totals match' : 'REPORT TOTALS DIFFER'}: the report shows ${shown.total} tests, ${shown.passed} passed; the results hold ${expected.total}, ${expected.passed} passed (screenshot: reports/report-overview.png)`,
      shown,
    };
  } finally {
    await browser.close();
    server.close();
  }
}
