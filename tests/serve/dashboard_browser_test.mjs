// The dashboard in a real browser (headless Debian chromium, driven by playwright-core):
// load the page over a generated warehouse, check every card equals /api/kpi, apply a category
// filter and check the cards change to the filtered figures, check the charts drew, save
// screenshots, load more data and check the page updates by itself. Run by ctest
// (tests/serve/CMakeLists.txt); exits non-zero on the first failed check.
//
//   node dashboard_browser_test.mjs --pizzastream BIN --loader BIN --web-dir DIR --work-dir DIR
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import assert from 'node:assert/strict';

const args = {};
for (let i = 2; i < process.argv.length; i += 2) {
  args[process.argv[i].replace(/^--/, '')] = path.resolve(process.argv[i + 1]);
}
for (const k of ['pizzastream', 'loader', 'web-dir', 'work-dir']) {
  if (!args[k]) throw new Error(`missing --${k}`);
}
const require = createRequire(path.join(args['web-dir'], 'package.json'));
let chromium;
try {
  ({ chromium } = require('playwright-core'));
} catch (e) {
  console.error(`playwright-core is not installed in ${args['web-dir']}/node_modules: run scripts/bootstrap`);
  process.exit(1);
}

const CHROMIUM = '/usr/bin/chromium';
const WAIT_MS = 60000;  // an upper bound so a broken page fails instead of hanging
const work = args['work-dir'];
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });
const dataDir = path.join(work, 'data');
fs.mkdirSync(dataDir);
const warehouse = path.join(dataDir, 'warehouse.db');

function log(...m) { console.log('[browser-test]', ...m); }

function load(first, count, version) {
  const r = spawnSync(args.loader, [warehouse, String(first), String(count), String(version)],
                      { encoding: 'utf8' });
  assert.equal(r.status, 0, `fixture loader failed: ${r.stderr}`);
}

// Starts `pizzastream serve --port 0` and resolves with its URL once it prints it.
function startServer() {
  const child = spawn(args.pizzastream, ['serve', '--data-dir', dataDir, '--port', '0'],
                      { stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr = [];
  child.stderr.on('data', (d) => stderr.push(d));
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const m = /dashboard on (http:\/\/\S+?)\/?$/.exec(line);
      if (m) resolve({ child, url: m[1], stderr });
    });
    child.on('exit', (code) => reject(new Error(`serve exited (${code}): ${Buffer.concat(stderr)}`)));
  });
}

async function apiJson(url) {
  const res = await fetch(url);
  assert.equal(res.status, 200, `${url}: ${res.status}`);
  return res.json();
}

const CARDS = ['total_revenue', 'total_orders', 'total_pizzas_sold', 'avg_order_value',
               'avg_pizzas_per_order', 'avg_orders_per_day', 'top_pizza_by_revenue'];

async function cardValues(page) {
  return page.evaluate((cards) => Object.fromEntries(cards.map((c) => [
    c, document.querySelector(`#card-${c} .value`).dataset.value])), CARDS);
}

function assertCardsEqual(cards, kpi, what) {
  for (const c of CARDS) {
    const expected = kpi[c];
    if (typeof expected === 'number') {
      assert.equal(Number(cards[c]), expected, `${what}: card ${c}`);
    } else {
      assert.equal(cards[c], expected == null ? '' : expected, `${what}: card ${c}`);
    }
  }
}

// Waits until every card shows `kpi`.
async function waitForCards(page, kpi) {
  await page.waitForFunction(({ cards, kpi }) => cards.every((c) => {
    const v = document.querySelector(`#card-${c} .value`).dataset.value;
    return typeof kpi[c] === 'number' ? Number(v) === kpi[c] : v === (kpi[c] == null ? '' : kpi[c]);
  }), { cards: CARDS, kpi }, { timeout: WAIT_MS });
}

async function main() {
  load(1, 1500, 0);
  const server = await startServer();
  log('serving at', server.url);
  const problems = [];
  const context = await chromium.launchPersistentContext(path.join(work, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1400, height: 1000 },
  });
  try {
    const page = context.pages()[0] || await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    // Offline by construction: any request off the server is a failure.
    await context.route('**/*', (route) => (route.request().url().startsWith(server.url)
      ? route.continue() : (problems.push(`external request: ${route.request().url()}`), route.abort())));

    await page.goto(server.url + '/');
    await page.waitForFunction(() => Number(document.body.dataset.renders || 0) >= 1, null,
                               { timeout: WAIT_MS });

    // 1. The cards equal /api/kpi.
    const kpi = await apiJson(server.url + '/api/kpi');
    assert.ok(kpi.total_orders > 0, 'the fixture loaded orders');
    assertCardsEqual(await cardValues(page), kpi, 'unfiltered');
    log('cards equal /api/kpi:', kpi.total_revenue, kpi.total_orders);

    // 2. Every chart drew something.
    const drawn = await page.evaluate(() => ['chart-time', 'chart-hour', 'chart-weekday',
      'chart-category', 'chart-size', 'chart-channel', 'chart-top', 'chart-bottom'].map((id) => {
      const canvas = document.getElementById(id);
      const chart = Chart.getChart(canvas);
      const points = chart ? chart.data.datasets[0].data.length : 0;
      const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
      return { id, points, painted, width: canvas.width };
    }));
    for (const c of drawn) {
      assert.ok(c.points > 0, `${c.id} has data`);
      assert.ok(c.width > 0 && c.painted > 100, `${c.id} painted pixels (${c.painted})`);
    }
    log('charts drawn:', drawn.map((c) => `${c.id}=${c.points}`).join(' '));
    await page.screenshot({ path: path.join(work, 'dashboard.png'), fullPage: true });

    // 3. A category filter changes every card to the filtered figures.
    const options = await page.$$eval('#f-category option', (os) => os.map((o) => o.value));
    assert.ok(options.includes('Classic'), `category options: ${options}`);
    const filtered = await apiJson(server.url + '/api/kpi?category=Classic');
    assert.ok(filtered.total_orders < kpi.total_orders, 'Classic is a strict subset');
    await page.selectOption('#f-category', 'Classic');
    await waitForCards(page, filtered);
    assertCardsEqual(await cardValues(page), filtered, 'category=Classic');
    const categories = await page.evaluate(() => Chart.getChart('chart-category').data.labels);
    assert.deepEqual(categories, ['Classic'], 'the category chart follows the filter');
    log('filtered cards equal /api/kpi?category=Classic:', filtered.total_revenue);
    await page.screenshot({ path: path.join(work, 'dashboard-classic.png'), fullPage: true });

    // 4. The page updates by itself when more data is loaded.
    await page.click('#f-reset');
    await waitForCards(page, kpi);
    const version = await page.evaluate(() => document.body.dataset.dataVersion);
    load(1501, 1000, 1);
    const more = await apiJson(server.url + '/api/kpi');
    assert.ok(more.total_orders > kpi.total_orders, 'the second load added orders');
    await waitForCards(page, more);
    assert.notEqual(await page.evaluate(() => document.body.dataset.dataVersion), version);
    const pipelineRows = await page.$$eval('#pipeline-rows tr[data-stage]', (rs) => rs.length);
    assert.ok(pipelineRows >= 1, 'the pipeline panel lists stages');
    log('page refreshed by itself:', more.total_orders, 'orders');
    await page.screenshot({ path: path.join(work, 'dashboard-updated.png'), fullPage: true });

    assert.deepEqual(problems, [], 'no console errors, failed or external requests');
  } finally {
    await context.close();
    server.child.kill('SIGTERM');
  }
  const code = await new Promise((resolve) => server.child.on('exit', (c) => resolve(c)));
  assert.equal(code, 143, 'serve stops cleanly on SIGTERM (exit 128 + 15)');
  log('ok; screenshots in', work);
}

main().catch((e) => {
  console.error('[browser-test] FAILED:', e.stack || e);
  process.exit(1);
});
