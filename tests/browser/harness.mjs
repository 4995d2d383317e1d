// What the browser tests share: the command line, the skip rule (exit 77,
// CTest's SKIP_RETURN_CODE, when npm ci or chromium is missing), the check
// list and the headless chromium they drive through playwright-core.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';

// `--name value` from the command line, else `fallback`.
export function argument(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

// Exits 77 saying what is missing, or returns playwright's chromium.
export async function browserOrSkip(test) {
  const skip = (why) => {
    console.log(`SKIPPED: ${test}: ${why}`);
    process.exit(77);
  };
  if (!existsSync(join(root, 'node_modules', 'abcjs', 'dist', 'abcjs-basic-min.js'))) {
    skip(`node_modules/abcjs is absent: run \`npm ci\` in ${root}`);
  }
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    skip(`playwright-core is absent: run \`npm ci\` in ${root}`);
  }
  if (!existsSync(chromiumPath)) skip(`no browser at ${chromiumPath}: apt-get install chromium (or set CHROMIUM)`);
  return chromium;
}

// check(name, ok, detail) prints one line and records it; summary() prints
// the count and gives the exit status (extra failures: e.g. a test that
// stopped half way).
export function checkList() {
  const results = [];
  const check = (name, ok, detail = '') => {
    results.push({ name, ok: !!ok });
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail !== '' ? ` (${detail})` : ''}`);
    return !!ok;
  };
  const summary = (extraFailures = 0) => {
    const failed = results.filter((r) => !r.ok).length + extraFailures;
    console.log(`${results.filter((r) => r.ok).length} passed, ${failed} failed`);
    return failed ? 1 : 0;
  };
  return { check, summary };
}

// Headless chromium with a throwaway profile, no network of its own and
// audio allowed to play without a click; close() removes the profile.
export async function launch(chromium, options = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'tunesmith-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    ...options,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
  });
  const page = context.pages()[0] || (await context.newPage());
  const close = async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, page, close };
}
