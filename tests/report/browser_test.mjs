// Opens plansim reports in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core), waits for the page to render, and fails on any console error, page error or
// network request. Writes a screenshot of every section and checks that each is non-trivial
// (expected size, not blank). For a report of five scenarios, checks that the answer — the table
// of targets × scenarios — starts in the first screen.
//
// Usage: node browser_test.mjs OUT_DIR REPORT.html[:min_scenarios] ...
//   OUT_DIR receives <report>-<section>.png.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const CHROMIUM = process.env.PLANSIM_CHROMIUM || '/usr/bin/chromium';
const [outDir, ...reports] = process.argv.slice(2);
const failures = [];
let passed = 0;
const check = (ok, message) => { if (ok) passed++; else failures.push(message); };

/// Width, height and the number of distinct colours of a PNG (8-bit RGB or RGBA, non-interlaced).
function pngStats(buffer) {
  let offset = 8, width = 0, height = 0, channels = 4;
  const idat = [];
  while (offset < buffer.length) {
    const length = buffer.readUInt32BE(offset);
    const type = buffer.toString('ascii', offset + 4, offset + 8);
    const data = buffer.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0); height = data.readUInt32BE(4);
      channels = data[9] === 6 ? 4 : data[9] === 2 ? 3 : 0;
      if (data[8] !== 8 || !channels) throw new Error('unexpected PNG format');
    } else if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const prev = Buffer.alloc(stride), line = Buffer.alloc(stride);
  const colours = new Set();
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x];
      const a = x >= channels ? line[x - channels] : 0, b = prev[x], c = x >= channels ? prev[x - channels] : 0;
      let p;
      if (filter === 0) p = v;
      else if (filter === 1) p = v + a;
      else if (filter === 2) p = v + b;
      else if (filter === 3) p = v + ((a + b) >> 1);
      else {
        const pa = Math.abs(b - c), pb = Math.abs(a - c), pc = Math.abs(a + b - 2 * c);
        p = v + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
      }
      line[x] = p & 255;
    }
    if (y % 2 === 0) for (let x = 0; x < stride; x += channels * 3) colours.add(line.readUIntBE(x, 3));
    line.copy(prev);
  }
  return { width, height, colours: colours.size };
}

const profiles = [];
try {
  for (const spec of reports) {
    const [file, minScenarios] = spec.split(':');
    const name = path.basename(file, '.html');
    // A fresh profile (user data directory) for every page.
    const profile = fs.mkdtempSync(path.join(outDir, 'chromium-profile-'));
    profiles.push(profile);
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 800 },
      locale: 'en-US',
    });
    const page = context.pages()[0] || await context.newPage();
    const problems = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push('console error: ' + m.text()); });
    page.on('pageerror', (e) => problems.push('page error: ' + e.message));
    page.on('request', (r) => { if (!/^(file|data|blob|about):/.test(r.url())) problems.push('network request: ' + r.url()); });
    await page.goto('file://' + path.resolve(file) + '#en');
    await page.waitForSelector('body[data-rendered]', { timeout: 20000 });
    await page.waitForTimeout(300);

    // The answer in the first screen: the scorecard header and its first rows are visible.
    const table = await page.locator('table.scorecard').boundingBox();
    const firstRow = await page.locator('table.scorecard tbody tr[data-target]').first().boundingBox();
    check(table && firstRow && firstRow.y + firstRow.height <= 800,
      `${name}: the first target row is not in the first screen (${JSON.stringify(firstRow)})`);
    const columns = await page.locator('table.scorecard thead th').count();
    if (minScenarios) check(columns >= 2 + Number(minScenarios), `${name}: ${columns - 2} scenario columns, expected ${minScenarios}`);
    const cellsInView = await page.evaluate(() => [...document.querySelectorAll('table.scorecard td.cell')]
      .filter((c) => c.getBoundingClientRect().bottom <= window.innerHeight && c.getBoundingClientRect().right <= window.innerWidth).length);
    check(cellsInView >= 5 * (Number(minScenarios) || 1), `${name}: only ${cellsInView} scorecard cells in the first screen`);
    fs.writeFileSync(path.join(outDir, `${name}-first-screen.png`), await page.screenshot());

    // Every section: a screenshot of a plausible size that is not blank (the sticky header is
    // made static first, so that it does not cover the sections it scrolls over).
    await page.addStyleTag({ content: 'header#top { position: static !important; } th { position: static !important; }' });
    const sections = await page.locator('main > section').evaluateAll((s) => s.map((x) => x.id));
    for (const id of ['answer', 'trajectories', 'maps', 'assumptions', 'provenance'])
      check(sections.includes(id), `${name}: section ${id} missing (have ${sections.join(', ')})`);
    for (const id of sections) {
      const shot = await page.locator(`section#${id}`).screenshot();
      fs.writeFileSync(path.join(outDir, `${name}-${id}.png`), shot);
      const stats = pngStats(shot);
      check(stats.width >= 900 && stats.height >= 120, `${name}: section ${id} is ${stats.width}x${stats.height}`);
      check(stats.colours >= 8, `${name}: section ${id} looks blank (${stats.colours} colours)`);
    }
    // Charts drew something: every chart canvas has ink.
    // (ECharts draws each z-level on a canvas of its own: a chart has ink if any of them has.)
    const blankCharts = await page.evaluate(() => [...document.querySelectorAll('.chart, #map')].filter((box) => {
      let ink = 0;
      for (const c of box.querySelectorAll('canvas')) {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 0; i < d.length; i += 4 * 97) if (d[i + 3] > 0 && (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200)) ink++;
      }
      return ink < 20;
    }).length);
    check(blankCharts === 0, `${name}: ${blankCharts} blank chart canvases`);
    // The map: schematic label, metro drawn, and the controls work.
    check(await page.locator('#maps .schematic').count() > 0, `${name}: the map is not labelled schematic`);
    await page.locator('#map-year').fill('2035');
    await page.locator('#map-year').dispatchEvent('input');
    await page.selectOption('#map-panel', { index: 1 });
    const mapShot = await page.locator('#map').screenshot();
    fs.writeFileSync(path.join(outDir, `${name}-map-2035.png`), mapShot);
    check(pngStats(mapShot).colours >= 8, `${name}: the map of 2035 looks blank`);
    // Chinese.
    await page.locator('.lang button[data-lang=zh]').click();
    await page.waitForTimeout(200);
    check((await page.locator('#answer h2').textContent()).includes('哪个情景'), `${name}: no Chinese after the switch`);
    fs.writeFileSync(path.join(outDir, `${name}-answer-zh.png`), await page.locator('section#answer').screenshot());
    for (const p of problems) failures.push(`${name}: ${p}`);
    check(problems.length === 0, `${name}: ${problems.length} console errors or requests`);
    await context.close();
  }
} finally {
  for (const profile of profiles) fs.rmSync(profile, { recursive: true, force: true });
}
for (const f of failures) console.log('FAIL: ' + f);
console.log(`${passed} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
