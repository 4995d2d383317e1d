// End-to-end test of the studio page (CTest label `browser`): starts the real
// `tunesmith serve` on a free loopback port with a fresh --db and the bundled
// model, opens the page in Debian's chromium through playwright-core and goes
// through what a user does: compose with chosen settings (with the keyboard),
// see the notation, play it (the WAV loads, the highlighted note moves), edit
// the ABC (checked by the server, saved as a new tune), make a new B part,
// download MIDI, reload and find the tunes in the history, star one and
// download the tunebook, delete one. Takes the page's screenshots at desktop
// and phone width.
//
//   node tests/browser/studio_test.mjs --tool build/bin/tunesmith \
//        --model models/default.ckpt --out build/tests/studio-browser \
//        [--web DIR] [--screenshots docs]
//
// Exits 77 (CTest SKIP_RETURN_CODE) when node_modules (npm ci) or chromium is
// absent, saying which; 1 when a check fails; 0 when all pass.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, copyFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { argument, browserOrSkip, checkList, launch, root } from './harness.mjs';

const tool = resolve(argument('tool', join(root, 'build', 'bin', 'tunesmith')));
const model = resolve(argument('model', join(root, 'models', 'default.ckpt')));
const out = resolve(argument('out', join(tmpdir(), 'tunesmith-studio-browser')));
const screenshots = argument('screenshots', '');
const web = argument('web', '');  // the folder holding web/ and node_modules/ (default: the server finds it)

const chromium = await browserOrSkip('studio browser test');
for (const [what, path] of [['the tunesmith binary', tool], ['the model', model]]) {
  if (!existsSync(path)) {
    console.error(`studio browser test: ${what} ${path} not found`);
    process.exit(1);
  }
}

const { check, summary } = checkList();

function freePort() {
  return new Promise((done, fail) => {
    const s = createServer();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => done(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- the server -----------------------------------------------------------
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'downloads'), { recursive: true });
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const serverLog = [];
const server = spawn(tool, ['serve', '--host', '127.0.0.1', '--port', String(port), '--db', join(out, 'studio.db'),
                            '--model', model, ...(web ? ['--web', resolve(web)] : [])],
                     { cwd: out, stdio: ['ignore', 'pipe', 'pipe'] });
server.stdout.on('data', (d) => serverLog.push(String(d)));
server.stderr.on('data', (d) => serverLog.push(String(d)));
let serverExit = null;
server.on('exit', (code, signal) => { serverExit = { code, signal }; });

function stopServer() {
  if (serverExit === null) server.kill('SIGTERM');
}
process.on('exit', stopServer);

async function waitHealthy(seconds) {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    if (serverExit) return false;
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) return true;
    } catch { /* not listening yet */ }
    await sleep(200);
  }
  return false;
}

if (!check('tunesmith serve answers /healthz', await waitHealthy(60), base)) {
  console.error(serverLog.join(''));
  stopServer();
  process.exit(1);
}

// ---- the browser ------------------------------------------------------------
const browser = await launch(chromium, { acceptDownloads: true, viewport: { width: 1280, height: 900 } });
const { page } = browser;
const errors = [];
const offsite = [];
page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
page.on('pageerror', (e) => errors.push(String(e)));
page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) offsite.push(r.url()); });
page.setDefaultTimeout(60000);

const tuneId = () => page.evaluate(() => location.hash.slice(1));
const abcText = () => page.inputValue('#abc-text');
async function waitTitleChange(previous) {
  await page.waitForFunction((prev) => {
    const t = document.getElementById('tune-title').textContent;
    return location.hash.length > 1 && location.hash.slice(1) !== prev && t !== 'No tune yet';
  }, previous, { timeout: 120000 });
}
async function download(selector, name) {
  const [d] = await Promise.all([page.waitForEvent('download', { timeout: 60000 }), page.click(selector)]);
  const path = join(out, 'downloads', name || d.suggestedFilename());
  await d.saveAs(path);
  return { name: d.suggestedFilename(), bytes: readFileSync(path) };
}

let failedHard = false;
try {
  await page.goto(`${base}/`);
  await page.waitForSelector('body[data-ready="yes"]');
  check('abcjs served from /vendor', await page.evaluate(() => typeof window.ABCJS?.renderAbc === 'function'));

  // Settings: the model's known values are offered.
  const offered = await page.evaluate(() => Object.fromEntries(['rhythm', 'meter', 'key', 'mode', 'parts', 'instrument']
    .map((n) => [n, [...document.getElementById(`f-${n}`).options].map((o) => o.value).filter(Boolean)])));
  check('settings offer the model\'s meters, keys, modes, rhythms, instruments',
        offered.meter.length > 0 && offered.key.length > 0 && offered.mode.length > 0 && offered.rhythm.length > 0 &&
        offered.instrument.length > 0, JSON.stringify(Object.fromEntries(Object.entries(offered).map(([k, v]) => [k, v.length]))));
  const temperature = await page.inputValue('#f-temperature');
  check('sampling settings have defaults from the model', temperature !== '' && Number(temperature) > 0, `temperature ${temperature}`);

  // Compose with chosen settings, with the keyboard.
  const want = {
    rhythm: offered.rhythm.includes('reel') ? 'reel' : offered.rhythm[0],
    meter: offered.meter.includes('4/4') ? '4/4' : offered.meter[0],
    key: offered.key.includes('G') ? 'G' : offered.key[0],
    mode: offered.mode.includes('maj') ? 'maj' : offered.mode[0],
  };
  for (const [name, value] of Object.entries(want)) await page.selectOption(`#f-${name}`, value);
  if (offered.parts.includes('AB')) await page.selectOption('#f-parts', 'AB');
  await page.fill('#f-seed', '11');
  await page.focus('#f-rhythm');
  let tabs = 0;
  while (tabs < 20 && (await page.evaluate(() => document.activeElement.id)) !== 'compose') {
    await page.keyboard.press('Tab');
    tabs += 1;
  }
  check('Tab reaches Compose from the first setting', (await page.evaluate(() => document.activeElement.id)) === 'compose',
        `${tabs} tabs`);
  const focusRing = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  check('the focused button shows a focus ring', focusRing !== 'none', focusRing);
  await page.keyboard.press('Enter');
  await waitTitleChange('');
  const first = await tuneId();
  const firstAbc = await abcText();
  const firstTitle = await page.textContent('#tune-title');
  check('a tune was composed', /^[a-z0-9]{6,16}$/.test(first) && firstAbc.includes('K:'), `${first} “${firstTitle}”`);
  check('it has the chosen meter and key',
        new RegExp(`^M:${want.meter.replace('/', '\\/')}\\s*$`, 'm').test(firstAbc) && new RegExp(`^K:${want.key}`, 'm').test(firstAbc),
        firstAbc.split('\n').filter((l) => /^[MK]:/.test(l)).join(' '));

  // The notation.
  const sheet = await page.evaluate(() => ({
    svgs: document.querySelectorAll('#notation svg').length,
    notes: document.querySelectorAll('#notation svg .abcjs-note').length,
    bars: document.querySelectorAll('#notation svg .abcjs-bar').length,
    warnings: document.getElementById('notation-warnings').textContent,
  }));
  check('the tune is drawn as sheet music', sheet.svgs >= 1 && sheet.notes >= 16 && sheet.bars >= 8,
        `${sheet.notes} notes, ${sheet.bars} bar lines`);
  check('abcjs drew it without warnings', sheet.warnings === '', sheet.warnings);
  const nearest = await page.textContent('#tune-nearest');
  check('the nearest training tune is shown', /training tune/.test(nearest), nearest);

  // Play: the WAV loads, has a duration, and the highlighted note moves.
  await page.click('#play');
  const duration = await page.waitForFunction(() => {
    const a = document.getElementById('audio');
    return a.error ? `error ${a.error.code}` : (a.duration > 0 && Number.isFinite(a.duration) ? a.duration : false);
  }, null, { timeout: 120000 }).then((h) => h.jsonValue()).catch((e) => `timeout: ${e.message.split('\n')[0]}`);
  check('the audio loads and has a duration', typeof duration === 'number' && duration > 2, `${duration} s`);
  const seen = new Set();
  const until = Date.now() + 6000;
  let time = 0;
  while (Date.now() < until && seen.size < 3) {
    const s = await page.evaluate(() => ({
      index: Number(document.getElementById('notation').dataset.playingIndex ?? -1),
      lit: document.querySelectorAll('#notation .playing').length,
      time: document.getElementById('audio').currentTime,
    }));
    if (s.index >= 0 && s.lit > 0) seen.add(s.index);
    time = s.time;
    await sleep(150);
  }
  check('the highlighted note moves while it plays', seen.size >= 3, `${seen.size} notes lit, at ${time.toFixed(2)} s`);
  await page.click('#play');
  check('Play toggles to pause', await page.evaluate(() => document.getElementById('audio').paused));

  // The lilt follows the tune type; the controls reach the WAV's address.
  await page.fill('#tempo', '100');
  await page.dispatchEvent('#tempo', 'change');
  await page.selectOption('#lilt', 'swing');
  const src = await page.getAttribute('#audio', 'src');
  check('tempo and lilt go to the WAV', /tempo=100/.test(src) && /lilt=swing/.test(src), src);
  await page.selectOption('#lilt', 'auto');

  // Transpose: the display and the downloads.
  const before = await page.evaluate(() => [...document.querySelectorAll('#notation svg .abcjs-note')].map((n) => n.getBBox().y).join());
  await page.fill('#transpose', '2');
  await page.dispatchEvent('#transpose', 'change');
  const after = await page.evaluate(() => [...document.querySelectorAll('#notation svg .abcjs-note')].map((n) => n.getBBox().y).join());
  check('transpose moves the drawn notes', before !== after);
  const abcHref = await page.getAttribute('#dl-abc', 'href');
  const transposed = await download('#dl-abc', 'transposed.abc');
  check('the ABC download carries the transposition', /transpose=2/.test(abcHref) && /^K:A/m.test(String(transposed.bytes)),
        String(transposed.bytes).split('\n').filter((l) => l.startsWith('K:')).join(' '));
  await page.fill('#transpose', '0');
  await page.dispatchEvent('#transpose', 'change');

  // Edit the ABC: a broken edit is reported, a good one saved as a new tune.
  const body = firstAbc.indexOf('\n', firstAbc.search(/^K:/m)) + 1;
  await page.fill('#abc-text', `${firstAbc.slice(0, body)}"Am A2 B2 c2 d2 |\n${firstAbc.slice(body)}`);
  await page.waitForFunction(() => /Problems|Could not check/.test(document.getElementById('abc-status').textContent));
  const broken = await page.textContent('#abc-status');
  check('a broken edit is checked by the server and reported', /Problems/.test(broken) &&
        (await page.isDisabled('#save-edit')), broken);
  const edited = firstAbc.replace(/^T:.*$/m, 'T:My Own Reel');
  await page.fill('#abc-text', edited);
  await page.waitForFunction(() => /Reads cleanly/.test(document.getElementById('abc-status').textContent));
  check('a good edit re-renders and can be saved', !(await page.isDisabled('#save-edit')));
  await page.click('#save-edit');
  await waitTitleChange(first);
  const editId = await tuneId();
  check('the edit is saved as a new tune', editId !== first && (await page.textContent('#tune-title')).includes('My Own Reel'),
        editId);
  await page.goto(`${base}/#${first}`);
  await page.waitForSelector('body[data-ready="yes"]');
  check('a tune opens from its address', (await tuneId()) === first && (await abcText()) === firstAbc);

  // A new B part: the A part is kept, the rest is new.
  await page.click('#new-b');
  await waitTitleChange(first);
  const variation = await tuneId();
  const varied = await abcText();
  // The body up to the first closing repeat or double bar: the A part (or its first ending).
  const aPart = (abc) => abc.slice(abc.search(/^K:/m)).split(/:\||\|\||\|\]/)[0].replace(/\s+/g, '');
  check('New B part keeps the A part', aPart(varied) === aPart(firstAbc) && aPart(varied).length > 10, variation);
  check('… and composes a different rest', varied.slice(varied.search(/^K:/m)) !== firstAbc.slice(firstAbc.search(/^K:/m)));
  check('the variation names its parent', await page.evaluate(() => document.querySelector('#tune-meta a')?.getAttribute('href')) === `#${first}`);

  // Download MIDI.
  const midi = await download('#dl-mid');
  check('MIDI downloads as a Standard MIDI File', midi.bytes.subarray(0, 4).toString('latin1') === 'MThd' && midi.name.endsWith('.mid'),
        `${midi.name}, ${midi.bytes.length} bytes`);

  // Reload: the tunes are in the history.
  await page.reload();
  await page.waitForSelector('body[data-ready="yes"]');
  const listed = await page.$$eval('#history-list li', (lis) => lis.map((li) => li.dataset.id));
  check('after a reload the history lists the tunes, newest first',
        listed.includes(first) && listed.includes(variation) && listed.indexOf(variation) < listed.indexOf(first), listed.join(' '));

  // Star the first tune from the history; download the tunebook.
  await page.click(`#history-list li[data-id="${first}"] button.star`);
  await page.waitForSelector(`#history-list li[data-id="${first}"] button.star[aria-pressed="true"]`);
  check('a tune is starred from the history', true);
  const tunebook = String((await download('#dl-tunebook')).bytes);
  check('the tunebook holds the starred tune', tunebook.includes(`T:${firstTitle}`) && /^X:1$/m.test(tunebook),
        `${tunebook.length} bytes`);
  check('… and only starred tunes', !tunebook.includes('T:My Own Reel'));
  await page.check('#starred-only');
  await page.waitForFunction((id) => [...document.querySelectorAll('#history-list li')].map((li) => li.dataset.id).join() === id, first);
  check('the history filters by star', true);
  await page.uncheck('#starred-only');
  await page.waitForSelector(`#history-list li[data-id="${variation}"]`);

  // Delete (two presses, no dialog).
  await page.click(`#history-list li[data-id="${editId}"] button.delete`);
  await page.click(`#history-list li[data-id="${editId}"] button.delete`);
  await page.waitForSelector(`#history-list li[data-id="${editId}"]`, { state: 'detached' });
  const gone = await fetch(`${base}/api/tunes/${editId}`);
  check('a tune is deleted from the history and the server', gone.status === 404, `GET after delete: ${gone.status}`);

  // Screenshots: desktop and phone width, a tune shown.
  await page.goto(`${base}/#${first}`);
  await page.reload();
  await page.waitForSelector('body[data-ready="yes"]');
  await page.waitForSelector('#notation svg .abcjs-note');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(out, 'studio-desktop.png') });
  await page.setViewportSize({ width: 390, height: 844 });
  await sleep(300);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check('no sideways scrolling at phone width', overflow <= 0, `${overflow} px`);
  await page.screenshot({ path: join(out, 'studio-phone-full.png'), fullPage: true });
  await page.evaluate(() => document.getElementById('tune').scrollIntoView());
  await page.screenshot({ path: join(out, 'studio-phone.png') });
  if (screenshots) {
    copyFileSync(join(out, 'studio-desktop.png'), join(screenshots, 'studio-desktop.png'));
    copyFileSync(join(out, 'studio-phone.png'), join(screenshots, 'studio-phone.png'));
  }

  check('no console or page errors', errors.length === 0, errors.join(' | '));
  check('nothing fetched beyond the server', offsite.length === 0, offsite.join(' '));
  check('the server kept running', serverExit === null, JSON.stringify(serverExit));
} catch (e) {
  failedHard = true;
  console.error(`studio browser test stopped: ${e.stack || e}`);
  try { await page.screenshot({ path: join(out, 'failure.png'), fullPage: true }); } catch { /* page gone */ }
  console.error(`server log:\n${serverLog.join('').slice(-4000)}`);
} finally {
  await browser.close();
  stopServer();
}

process.exit(summary(failedHard ? 1 : 0));
