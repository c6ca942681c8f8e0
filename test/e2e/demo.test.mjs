// `npm run demo` end to end, without a browser: it builds, installs the extension into a demo
// profile, serves the example workspace, falls back to a free port when PORT is busy, prints the
// URL, and (DEMO_EXIT_AFTER_READY=1) stops its server again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function listen() {
  return new Promise((resolve) => { const s = net.createServer().listen(0, '127.0.0.1', () => resolve(s)); });
}

function run(cmd, args, env) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('close', (code) => resolve({ code, out }));
  });
}

test('npm run demo serves the workspace and stops cleanly', { timeout: 180_000 }, async () => {
  const busy = await listen();                      // PORT is taken: the demo must pick another one
  const busyPort = busy.address().port;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heaplens-demo-test-'));
  try {
    const { code, out } = await run('bash', ['scripts/demo.sh'],
      { PORT: String(busyPort), HEAPLENS_DEMO_DIR: dir, DEMO_EXIT_AFTER_READY: '1' });
    assert.equal(code, 0, out);
    const m = /http:\/\/127\.0\.0\.1:(\d+)\/\?folder=(\S+)/.exec(out);
    assert.ok(m, out);
    const port = Number(m[1]);
    assert.notEqual(port, busyPort);
    assert.equal(m[2], path.join(dir, 'workspace'));
    assert.ok(fs.existsSync(path.join(dir, 'workspace/profiles/bodies/bad_heap.prof')));
    assert.match(out, /good_heap\.prof and bad_heap\.prof/);
    // the server is gone: the port accepts a new listener
    const again = net.createServer();
    await new Promise((resolve, reject) => again.once('error', reject).listen(port, '127.0.0.1', resolve));
    again.close();
  } finally {
    busy.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
