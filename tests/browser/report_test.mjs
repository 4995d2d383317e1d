// Browser test of report.html (CTest label `browser`): draws the page from a
// hand-made report.json with tunesmith-report, opens it in Debian's chromium
// through playwright-core and checks that abcjs engraved every example tune,
// the plots are there and parse as SVG, the audio player loads its WAV, and
// nothing was logged as an error or fetched from the network.
//
//   node tests/browser/report_test.mjs --tool build/bin/tunesmith-report \
//        --fixture tests/browser/report_fixture.json --out build/tests/report-browser
//
// Exits 77 (CTest SKIP_RETURN_CODE) when node_modules (npm ci) or chromium is
// absent, saying which; 1 when a check fails; 0 when all pass.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import { argument, browserOrSkip, checkList, launch, root } from './harness.mjs';

const tool = argument('tool', join(root, 'build', 'bin', 'tunesmith-report'));
const fixture = argument('fixture', join(root, 'tests', 'browser', 'report_fixture.json'));
const out = resolve(argument('out', join(tmpdir(), 'tunesmith-report-browser')));

const chromium = await browserOrSkip('report browser test');
if (!existsSync(tool)) {
  console.error(`report browser test: ${tool} not found (build the tunesmith-report target)`);
  process.exit(1);
}

// A short 440 Hz tone as 16-bit mono PCM WAV, for the first tune's player.
function toneWav(seconds = 0.5, rate = 8000) {
  const n = Math.round(seconds * rate);
  const b = Buffer.alloc(44 + 2 * n);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + 2 * n, 4);
  b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(rate, 24);
  b.writeUInt32LE(rate * 2, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36);
  b.writeUInt32LE(2 * n, 40);
  for (let i = 0; i < n; ++i) b.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)), 44 + 2 * i);
  return b;
}

// The report folder: report.json, the audio it names, then report.html drawn by the tool.
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'audio'), { recursive: true });
copyFileSync(fixture, join(out, 'report.json'));
const report = JSON.parse(readFileSync(fixture, 'utf8'));
for (const ex of report.examples) if (ex.audio) writeFileSync(join(out, ex.audio), toneWav());
const drawn = spawnSync(tool, ['html', join(out, 'report.json')], { encoding: 'utf8' });
if (drawn.status !== 0) {
  console.error(`report browser test: ${tool} failed:\n${drawn.stderr}`);
  process.exit(1);
}

const { check, summary } = checkList();
const browser = await launch(chromium);
try {
  const { page } = browser;
  const errors = [];
  const network = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => { if (!r.url().startsWith('file:')) network.push(r.url()); });
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));

  await page.setViewportSize({ width: 1200, height: 900 });
  await page.goto(pathToFileURL(join(out, 'report.html')).href);
  await page.waitForSelector('body[data-abcjs]', { timeout: 30000 });
  check('abcjs ran', (await page.getAttribute('body', 'data-abcjs')) === 'done');

  // Sheet music: every tune's notation div holds an SVG with notes in it.
  const tunes = await page.$$eval('article.tune', (cards) => cards.map((c) => ({
    id: c.id,
    rendered: c.getAttribute('data-rendered'),
    svgs: c.querySelectorAll('.notation svg').length,
    notes: c.querySelectorAll('.notation svg .abcjs-note').length,
    bars: c.querySelectorAll('.notation svg .abcjs-bar').length,
    warnings: c.querySelector('.abcjs-warnings').textContent,
  })));
  check('five example tunes', tunes.length === report.examples.length && tunes.length === 5, `${tunes.length}`);
  for (const t of tunes) {
    check(`${t.id} engraved by abcjs`, t.rendered === 'yes' && t.svgs >= 1 && t.notes >= 8 && t.bars >= 4,
          `${t.svgs} svg, ${t.notes} notes, ${t.bars} bars`);
    check(`${t.id} without abcjs warnings`, t.warnings === '', t.warnings);
  }

  // Plots: one histogram per report histogram, two training charts; each parses as SVG and has marks.
  const plots = await page.$$eval('svg.chart', (svgs) => svgs.map((s) => {
    const doc = new DOMParser().parseFromString(s.outerHTML, 'image/svg+xml');
    return {
      id: s.id,
      kind: s.classList.contains('histogram') ? 'histogram' : 'line',
      parses: doc.getElementsByTagName('parsererror').length === 0,
      bars: [...s.querySelectorAll('rect.bar')].filter((r) => Number(r.getAttribute('height')) > 0).length,
      lines: s.querySelectorAll('polyline.line').length,
      width: s.getBoundingClientRect().width,
    };
  }));
  const histograms = plots.filter((p) => p.kind === 'histogram');
  const lines = plots.filter((p) => p.kind === 'line');
  check('a histogram per report histogram', histograms.length === report.histograms.length,
        `${histograms.length} of ${report.histograms.length}`);
  check('two training charts', lines.length === 2, `${lines.length}`);
  for (const p of plots) {
    check(`${p.id} parses as SVG and shows data`, p.parses && p.width > 100 && (p.kind === 'histogram' ? p.bars > 0 : p.lines > 0),
          p.kind === 'histogram' ? `${p.bars} bars` : `${p.lines} lines`);
  }

  // Tables.
  for (const t of ['likelihood', 'validity', 'features', 'structure', 'classifier', 'novelty']) {
    const rows = await page.$$eval(`table.${t} tr`, (r) => r.length);
    check(`table ${t}`, rows >= 3, `${rows} rows`);
  }
  const bitsPerToken = await page.$eval('table.likelihood', (t) => t.textContent);
  check('likelihood shows the report\'s bits per token', bitsPerToken.includes(String(report.likelihood.bits_per_token)));

  // Audio: the relative WAV path loads.
  const audio = await page.$eval('#tune-1 audio', (a) => new Promise((done) => {
    if (a.readyState >= 1) return done({ duration: a.duration, error: a.error && a.error.code });
    a.addEventListener('loadedmetadata', () => done({ duration: a.duration, error: null }));
    a.addEventListener('error', () => done({ duration: 0, error: a.error && a.error.code }));
    a.load();
    setTimeout(() => done({ duration: a.duration, error: 'timeout' }), 10000);
  }));
  check('audio player loads its WAV', audio.error === null && Math.abs(audio.duration - 0.5) < 0.05,
        `duration ${audio.duration}, error ${audio.error}`);

  await page.screenshot({ path: join(out, 'report.png'), fullPage: true });
  check('no console or page errors', errors.length === 0, errors.join(' | '));
  check('nothing fetched from the network', network.length === 0, network.join(' '));
} finally {
  await browser.close();
}

process.exit(summary());
