// Runs axe-core in headless Chromium on each HTML page given, and fails
// when it finds a violation of the WCAG 2.0/2.1 A and AA rules or the
// best practices, or leaves `color-contrast` incomplete (SPEC §6,
// "Accessibility").
//
//   node .ci/axe.mjs AXE_MIN_JS CHROMIUM PAGE.html...
//
// Chromium is driven over the DevTools protocol through a pipe
// (--remote-debugging-pipe: messages on file descriptors 3 and 4, each
// ended by a NUL byte), so nothing but axe-core itself is installed and no
// browser is downloaded.
import { spawn } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const [axePath, chromium, ...pages] = process.argv.slice(2);
if (!axePath || !chromium || pages.length === 0) {
  console.error('usage: node .ci/axe.mjs AXE_MIN_JS CHROMIUM PAGE.html...');
  process.exit(2);
}
const axeSource = readFileSync(axePath, 'utf8');
const profile = mkdtempSync(join(tmpdir(), 'bilan-axe-'));
const browser = spawn(chromium, [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-startup-window', `--user-data-dir=${profile}`, '--remote-debugging-pipe',
], { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
const toBrowser = browser.stdio[3];
const fromBrowser = browser.stdio[4];

let nextId = 1;
const waiting = new Map();
const listeners = [];
let buffer = Buffer.alloc(0);
fromBrowser.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  let end;
  while ((end = buffer.indexOf(0)) >= 0) {
    const message = JSON.parse(buffer.subarray(0, end).toString('utf8'));
    buffer = buffer.subarray(end + 1);
    if (message.id && waiting.has(message.id)) {
      const { ok, fail } = waiting.get(message.id);
      waiting.delete(message.id);
      if (message.error) fail(new Error(JSON.stringify(message.error)));
      else ok(message.result);
    } else if (message.method) {
      for (const listener of [...listeners]) listener(message);
    }
  }
});
browser.on('exit', (code) => {
  for (const { fail } of waiting.values()) fail(new Error(`Chromium exited (${code})`));
});

function call(method, params = {}, sessionId) {
  const id = nextId++;
  const message = { id, method, params };
  if (sessionId) message.sessionId = sessionId;
  return new Promise((ok, fail) => {
    waiting.set(id, { ok, fail });
    toBrowser.write(JSON.stringify(message) + '\0');
  });
}

function once(method, sessionId) {
  return new Promise((ok) => {
    const listener = (message) => {
      if (message.method === method && message.sessionId === sessionId) {
        listeners.splice(listeners.indexOf(listener), 1);
        ok(message.params);
      }
    };
    listeners.push(listener);
  });
}

async function audit(page) {
  const { targetId } = await call('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = await call('Target.attachToTarget', { targetId, flatten: true });
  await call('Page.enable', {}, sessionId);
  const loaded = once('Page.loadEventFired', sessionId);
  await call('Page.navigate', { url: pathToFileURL(resolve(page)).href }, sessionId);
  await loaded;
  await call('Runtime.evaluate', { expression: axeSource }, sessionId);
  const run = `axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(TAGS)} } })
    .then((r) => JSON.stringify({
      violations: r.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) })),
      incomplete: r.incomplete.filter((i) => i.id === 'color-contrast')
        .map((i) => ({ id: i.id, help: i.help, nodes: i.nodes.map((n) => n.target.join(" ") + " — " + (n.any[0] && n.any[0].message)) })),
      passes: r.passes.length,
    }))`;
  const { result, exceptionDetails } = await call(
    'Runtime.evaluate', { expression: run, awaitPromise: true, returnByValue: true }, sessionId);
  await call('Target.closeTarget', { targetId });
  if (exceptionDetails) throw new Error(`axe failed on ${page}: ${JSON.stringify(exceptionDetails)}`);
  return JSON.parse(result.value);
}

let failed = 0;
try {
  for (const page of pages) {
    const { violations, incomplete, passes } = await audit(page);
    const problems = [...violations, ...incomplete.map((i) => ({ ...i, id: `${i.id} (incomplete)` }))];
    if (problems.length === 0) {
      console.log(`axe: ${page}: no violation (${passes} rules passed)`);
      continue;
    }
    failed += 1;
    for (const problem of problems) {
      console.log(`axe: ${page}: ${problem.id}: ${problem.help}`);
      for (const node of problem.nodes.slice(0, 5)) console.log(`    ${node}`);
      if (problem.nodes.length > 5) console.log(`    … and ${problem.nodes.length - 5} more`);
    }
  }
} finally {
  browser.kill();
  // The browser may still be writing its profile as it dies: a profile
  // left in the temporary folder is no failure of the pages.
  try {
    rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  } catch (error) {
    console.error(`axe: left ${profile} behind (${error.code})`);
  }
}
console.log(`axe: ${pages.length - failed} of ${pages.length} pages without violation`);
process.exit(failed === 0 ? 0 : 1);
