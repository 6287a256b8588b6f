// Takes the screenshot of a DAG's graph view in the Airflow UI for the docs (headless Debian
// chromium driven by playwright-core from web/node_modules). Used by
// orchestration/airflow/screenshot-graph, which starts the Airflow it points at.
//   node screenshot_graph.mjs --url http://127.0.0.1:PORT --dag pizzastream_full --out docs/airflow-graph.png
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
for (const k of ['url', 'dag', 'out']) if (!args[k]) throw new Error(`missing --${k}`);
const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', '..', 'web', 'package.json'));
const { chromium } = require('playwright-core');

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 800 } });
  await page.goto(`${args.url}/dags/${args.dag}`, { waitUntil: 'networkidle', timeout: 120000 });
  if (args.explore) {
    console.log(await page.locator('button, a[role=tab], [role=tab]').evaluateAll(
      (els) => els.map((e) => `${e.tagName} ${e.getAttribute('aria-label') || ''} | ${e.textContent.trim().slice(0, 40)}`)));
  }
  // The latest run's graph: the tasks with their states.
  await page.locator('a[href*="/runs/"]').first().click();
  const graph = page.getByRole('button', { name: /graph/i }).first();
  if (await graph.count()) await graph.click();
  await page.locator('.react-flow__node').first().waitFor({ timeout: 120000 });
  await page.waitForTimeout(1500);  // the layout animates into place
  await page.screenshot({ path: args.out });
  console.log(`wrote ${args.out}`);
} finally {
  await browser.close();
}
