// Installs dependencies when they are missing (fresh clone), so `npm start` and `npm test` work on their own.
const { existsSync } = require('node:fs');
const { execSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
if (!existsSync(path.join(root, 'node_modules/.bin/nx')) || !existsSync(path.join(root, 'node_modules/kafkajs'))) {
  process.stderr.write('Installing dependencies (npm ci)...\n');
  execSync('npm ci --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
}
