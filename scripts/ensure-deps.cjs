// Runs before `npm test` / `npm run regression` (npm's pre-scripts), with no dependency of its own:
// a fresh clone gets its node_modules from package-lock.json, so the README's two commands are
// all a newcomer types. An up-to-date install is left alone.
const { execSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const lock = path.join(root, 'package-lock.json');
const installed = path.join(root, 'node_modules', '.package-lock.json');
const stale = !fs.existsSync(installed) || fs.statSync(installed).mtimeMs < fs.statSync(lock).mtimeMs;
if (stale) {
  console.error('[pocket-e2e] installing node modules (npm ci)');
  execSync('npm ci --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
}
