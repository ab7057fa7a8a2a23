// Browser tests of Lumbung's web interface (issue #3), in headless Chromium.
//
// Run by `cargo nextest run -p lumbung --test browser`, which starts a demo
// node and sets LUMBUNG_URL. By hand, against a running demo node:
//   cd tests/browser && npm ci && LUMBUNG_URL=http://127.0.0.1:8080 node run.mjs [filter]
// Needs /usr/bin/chromium (or CHROMIUM=/path); `.ci/run` installs it.
// On a failure the page is saved as a full-page screenshot in artifacts/.
//
// Scenarios of other areas live in scenarios/*.mjs (see main()).
//
// Scenarios: the whole workflow (write in steps, leave, resume, submit,
// return with a comment, fix, resubmit, publish, find with facets, read),
// the language switch, keyboard only, no JavaScript, hostile text (XSS),
// and for every page type: axe (WCAG 2.1 A/AA, no serious or critical
// violation), page weight and no request to another host.

import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { mkdirSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const BASE = (process.env.LUMBUNG_URL || '').replace(/\/$/, '');
if (!BASE) {
  console.error('LUMBUNG_URL is not set (the base URL of a demo node, e.g. http://127.0.0.1:8080)');
  process.exit(2);
}
const ORIGIN = new URL(BASE).origin;
const HERE = dirname(fileURLToPath(import.meta.url));
const ARTIFACTS = join(HERE, 'artifacts');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const PASSWORD = 'lumbung-demo';
const CONTRIBUTOR = 'contributor@lumbung.example';
const CURATOR = 'curator@lumbung.example';
const ADMIN = 'admin@lumbung.example';
const FILTER = process.argv[2] || '';

const KB = 1024;
const MAX_TOTAL = 100 * KB;
const MAX_HTML = 30 * KB;

// ---------------------------------------------------------------------------
// A small runner: scenarios in order, steps inside them, a screenshot of the
// current page when a step fails.

let browser;
const results = [];
const weights = [];
const axeReport = [];
let current = null; // { name, pages: Set<Page>, problems: [] }

function slug(s) {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80);
}

class Failure extends Error {}

function assert(cond, msg) {
  if (!cond) throw new Failure(msg);
}

function eq(actual, expected, msg) {
  if (actual !== expected) throw new Failure(`${msg}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

async function screenshot(page, name) {
  try {
    mkdirSync(ARTIFACTS, { recursive: true });
    const path = join(ARTIFACTS, `${slug(name)}.png`);
    await page.screenshot({ path, fullPage: true, timeout: 10000 });
    console.error(`    screenshot: ${path} (${page.url()})`);
  } catch (e) {
    console.error(`    (no screenshot: ${e.message.split('\n')[0]})`);
  }
}

/** Runs one step; on failure saves a screenshot of `page` and rethrows. */
async function step(page, name, fn) {
  const label = `${current.name}: ${name}`;
  try {
    const v = await fn();
    // Problems seen by the page guards (foreign hosts, dialogs) fail the step they happen in.
    if (current.problems.length) {
      const p = current.problems.splice(0);
      throw new Failure(p.join('\n'));
    }
    return v;
  } catch (e) {
    if (!e.stepped) {
      console.error(`  ✗ ${label}\n    ${String(e.message).split('\n').join('\n    ')}`);
      if (page) await screenshot(page, label);
      e.stepped = true;
    }
    throw e;
  }
}

async function scenario(name, fn) {
  if (FILTER && !name.includes(FILTER)) return;
  const started = Date.now();
  current = { name, contexts: [], problems: [] };
  let ok = true;
  let error = null;
  try {
    await fn();
  } catch (e) {
    ok = false;
    error = e;
    if (!e.stepped) console.error(`  ✗ ${name}\n    ${e.stack || e}`);
  } finally {
    for (const c of current.contexts) await c.close().catch(() => {});
  }
  const ms = Date.now() - started;
  results.push({ name, ok, ms, error });
  console.log(`${ok ? '✓' : '✗'} ${name} (${(ms / 1000).toFixed(1)} s)`);
}

/**
 * A fresh browser context and page, guarded: a request to any other host,
 * or a dialog (alert, confirm, prompt), is a failure.
 */
async function open(options = {}) {
  const context = await browser.newContext({
    locale: 'en-US',
    baseURL: BASE,
    viewport: { width: 1280, height: 900 },
    ...options,
  });
  context.setDefaultTimeout(15000);
  current.contexts.push(context);
  const scen = current;
  const page = await context.newPage();
  const guard = (p) => {
    p.on('request', (req) => {
      const url = req.url();
      if (url.startsWith('data:') || url.startsWith('about:') || url.startsWith('blob:')) return;
      let origin;
      try {
        origin = new URL(url).origin;
      } catch {
        origin = url;
      }
      if (origin !== ORIGIN) scen.problems.push(`request to another host: ${url} (from ${p.url()})`);
    });
    p.on('dialog', async (d) => {
      if (d.type() === 'beforeunload') {
        await d.accept().catch(() => {});
        return;
      }
      scen.problems.push(`a ${d.type()} dialog opened on ${p.url()}: ${d.message()}`);
      await d.dismiss().catch(() => {});
    });
    p.on('pageerror', (e) => scen.problems.push(`script error on ${p.url()}: ${e.message}`));
  };
  guard(page);
  context.on('page', guard);
  return { context, page };
}

async function goto(page, path, expectStatus = 200) {
  const res = await page.goto(path, { waitUntil: 'load' });
  assert(res, `no response for ${path}`);
  eq(res.status(), expectStatus, `status of GET ${path}`);
  return res;
}

/** Submits a form by clicking `button`, waiting for the page it leads to. */
async function clickAndWait(page, locator) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), locator.click()]);
}

async function signInForm(page, email) {
  await goto(page, '/signin');
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await clickAndWait(page, page.locator('main form[action="/signin"] button[type=submit]'));
  assert(!new URL(page.url()).pathname.startsWith('/signin'), `still on the sign-in page after signing in as ${email}`);
  assert(await page.locator('form[action="/signout"]').count(), `no sign-out button after signing in as ${email}`);
}

/** Signs the context in through the JSON API (the session cookie is shared with its pages). */
async function signInApi(context, email) {
  const res = await context.request.post('/api/v1/auth/login', { data: { email, password: PASSWORD } });
  eq(res.status(), 200, `API sign-in as ${email}`);
}

async function api(context, method, path, data, expect = 200) {
  const res = await context.request.fetch(path, { method, data, headers: { Accept: 'application/json' } });
  const body = await res.text();
  assert(res.status() === expect, `${method} ${path}: expected ${expect}, got ${res.status()}: ${body.slice(0, 500)}`);
  return body ? JSON.parse(body) : null;
}

const htmlLang = (page) => page.evaluate(() => document.documentElement.lang);
const navText = (page) => page.locator('header.site nav').innerText();

// ---------------------------------------------------------------------------
// Axe and page weight for one page.

async function audit(page, type) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const minor = results.violations.filter((v) => !(v.impact === 'serious' || v.impact === 'critical'));
  axeReport.push({ type, url: page.url(), passes: results.passes.length, bad: bad.length, minor: minor.map((v) => v.id) });
  const labelRule = results.passes.concat(results.violations, results.incomplete, results.inapplicable).some((r) => r.id === 'label');
  assert(labelRule, `axe did not run the 'label' rule on ${type}`);
  if (bad.length) {
    const text = bad
      .map((v) => `[${v.impact}] ${v.id}: ${v.help}\n      ${v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ' — ' + (n.failureSummary || '').split('\n').join(' ')).join('\n      ')}`)
      .join('\n    ');
    throw new Failure(`axe: ${bad.length} serious/critical violation(s) on ${type} (${page.url()}):\n    ${text}`);
  }
}

/**
 * Loads `path` with an empty cache and sums what went over the wire:
 * response headers + body as served (compressed) of every request.
 */
async function measure(context, page, type, path, expectStatus = 200, limits = {}) {
  const maxHtml = limits.html ?? MAX_HTML;
  const maxTotal = limits.total ?? MAX_TOTAL;
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const requests = [];
  const onRequest = (r) => requests.push(r);
  page.on('requestfinished', onRequest);
  const res = await page.goto(path, { waitUntil: 'load' });
  eq(res.status(), expectStatus, `status of GET ${path}`);
  await page.waitForLoadState('networkidle').catch(() => {});
  page.off('requestfinished', onRequest);
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
  await cdp.detach();
  let total = 0;
  let html = 0;
  const parts = [];
  for (const r of requests) {
    const s = await r.sizes();
    const bytes = s.responseBodySize + s.responseHeadersSize;
    total += bytes;
    if (r === res.request()) html = bytes;
    parts.push(`${r.resourceType()} ${new URL(r.url()).pathname} ${bytes}`);
  }
  weights.push({ type, path: new URL(page.url()).pathname + new URL(page.url()).search, html, total, requests: requests.length, parts });
  assert(html > 0, `no size measured for the HTML of ${type}`);
  assert(html <= maxHtml, `${type}: the HTML is ${html} bytes compressed (limit ${maxHtml})`);
  assert(total <= maxTotal, `${type}: ${total} bytes in all (limit ${maxTotal}): ${parts.join(', ')}`);
}

/**
 * Weight and axe for one page type. A failure is recorded (with its
 * screenshot) and the other page types are still checked; `finish()` fails
 * the scenario when any failed.
 */
const pageFailures = [];
async function soft(page, name, fn) {
  try {
    return await step(page, name, fn);
  } catch (e) {
    pageFailures.push(`${name}: ${String(e.message).split('\n')[0]}`);
    return undefined;
  }
}
async function check(context, page, type, path, expectStatus = 200, limits = {}) {
  await soft(page, `${type} (${path})`, async () => {
    await measure(context, page, type, path, expectStatus, limits);
    await audit(page, type);
  });
}
function finish() {
  const failures = pageFailures.splice(0);
  if (failures.length) {
    const e = new Failure(`${failures.length} page type(s) failed:\n${failures.join('\n')}`);
    e.stepped = true;
    console.error(`  ✗ ${current.name}\n    ${e.message.split('\n').join('\n    ')}`);
    throw e;
  }
}

// ---------------------------------------------------------------------------
// Case text used by the workflow (Bahasa Indonesia).

const RUN = Date.now().toString(36);
const WORD = `Sigapdesa${RUN}`; // one word only this case has
const TITLE = `${WORD}: layanan posyandu keliling di desa terpencil`;
const STORY = {
  problem: 'Ibu hamil dan balita di desa terpencil sulit menjangkau posyandu karena jarak dan biaya transportasi.',
  novelty: 'Posyandu datang ke warga dengan motor yang membawa alat timbang dan vaksin, dijadwalkan lewat pesan singkat.',
  how_it_works: 'Kader desa mendaftar warga, dinas kesehatan menyusun rute mingguan, dan puskesmas menyediakan petugas.',
  results: 'Cakupan imunisasi dasar naik dari 61% menjadi 88% dalam dua tahun.',
  evidence: 'Data puskesmas 2021–2023 dan survei kepuasan warga.',
  challenges: 'Jalan rusak pada musim hujan dan pergantian kader.',
  conditions_for_success: 'Dukungan kepala desa dan anggaran dana desa.',
  replication_potential: 'Dapat diterapkan di kabupaten lain dengan desa tersebar.',
  resources: 'Dua motor, satu petugas kesehatan per rute, dan pulsa untuk pesan singkat.',
  lessons_learned: 'Jadwal yang tetap lebih penting daripada frekuensi kunjungan.',
};

// ---------------------------------------------------------------------------
// Scenarios

async function workflow() {
  const { context: cctx, page } = await open();
  let id;

  await step(page, 'contributor signs in', () => signInForm(page, CONTRIBUTOR));

  await step(page, 'step 1 (identity) creates the draft', async () => {
    await goto(page, '/submit');
    await page.selectOption('select[name=original_language]', 'id');
    await page.fill('input[name=title]', TITLE);
    await page.fill('textarea[name=summary]', 'Posyandu keliling membawa layanan kesehatan ibu dan anak ke desa yang jauh dari puskesmas.');
    await clickAndWait(page, page.locator('button[name=action][value=next]'));
    const m = new URL(page.url()).pathname.match(/^\/submit\/([^/]+)\/place$/);
    assert(m, `after step 1 expected /submit/{id}/place, got ${page.url()}`);
    id = m[1];
  });

  await step(page, 'step 2 (place)', async () => {
    const basedOn = page.locator('section#based-on');
    eq(await basedOn.locator('h2', { hasText: 'Is your innovation based on one of these?' }).count(), 1, 'the wizard asks for a source case');
    assert(await basedOn.locator('ul.suggestions li').count() > 0, 'similar published cases are suggested');
    await page.selectOption('select[name=country]', 'ID');
    await page.fill('input[name=region]', 'Nusa Tenggara Timur');
    await page.fill('input[name=city]', 'Kabupaten Sumba Barat');
    await page.selectOption('select[name=level_of_government]', 'local');
    await page.locator('input[name=organisations]').first().check();
    await clickAndWait(page, page.locator('button[name=action][value=next]'));
    eq(new URL(page.url()).pathname, `/submit/${id}/classification`, 'after step 2');
  });

  await step(page, 'leaves, and resumes the draft from /my/cases', async () => {
    await goto(page, '/');
    await goto(page, '/my/cases');
    const row = page.locator('tr', { hasText: WORD });
    eq(await row.count(), 1, 'rows naming the draft on /my/cases');
    await clickAndWait(page, row.locator(`a[href="/submit/${id}"]`));
    assert(new URL(page.url()).pathname.startsWith(`/submit/${id}`), `resume went to ${page.url()}`);
    eq(await page.inputValue('input[name=title]'), TITLE, 'title kept in the draft');
    await clickAndWait(page, page.locator('button[name=action][value=next]'));
    eq(await page.inputValue('select[name=country]'), 'ID', 'country kept in the draft');
    eq(await page.inputValue('input[name=region]'), 'Nusa Tenggara Timur', 'region kept in the draft');
    await clickAndWait(page, page.locator('button[name=action][value=next]'));
    eq(new URL(page.url()).pathname, `/submit/${id}/classification`, 'back at step 3');
  });

  await step(page, 'step 3 (classification)', async () => {
    await page.check('input[name=sectors][value=health]');
    await page.check('input[name=innovation_facets][value=enhancement]');
    await page.check('input[name=sdgs][value="3"]');
    await page.selectOption('select[name=lifecycle_stage]', 'implementing');
    await page.fill('input[name=year_launched]', '2021');
    await page.fill('input[name=tags]', 'posyandu, kesehatan ibu, desa');
    await clickAndWait(page, page.locator('button[name=action][value=next]'));
    eq(new URL(page.url()).pathname, `/submit/${id}/story`, 'after step 3');
  });

  await step(page, 'step 4 (story)', async () => {
    for (const [name, text] of Object.entries(STORY)) await page.fill(`textarea[name=${name}]`, text);
    await clickAndWait(page, page.locator('button[name=action][value=next]'));
    eq(new URL(page.url()).pathname, `/submit/${id}/evidence`, 'after step 4');
  });

  await step(page, 'step 5 (evidence)', async () => {
    await page.fill('input[name=website]', 'https://posyandu-keliling.example.go.id');
    await page.fill('textarea[name=links]', 'https://dinkes.example.go.id/laporan-2023 Laporan dinas kesehatan 2023');
    await clickAndWait(page, page.locator('button[name=action][value=next]'));
    eq(new URL(page.url()).pathname, `/submit/${id}/contacts`, 'after step 5');
  });

  await step(page, 'step 6 (contacts)', async () => {
    await page.fill('input[name=contact_name]', 'Maria Ndapa');
    await page.fill('input[name=contact_email]', 'maria.ndapa@example.go.id');
    await page.fill('input[name=contact_organisation]', 'Dinas Kesehatan Kabupaten Sumba Barat');
    await clickAndWait(page, page.locator('button[name=action][value=next]'));
    eq(new URL(page.url()).pathname, `/submit/${id}/preview`, 'after step 6');
  });

  await step(page, 'preview shows the case, and submits it', async () => {
    const article = page.locator('article');
    assert((await article.innerText()).includes(WORD), 'the preview shows the title');
    assert((await article.innerText()).includes('61%'), 'the preview shows the results section');
    await clickAndWait(page, page.locator(`form[action="/submit/${id}/submit"] button[type=submit]`));
    eq(new URL(page.url()).pathname, '/my/cases', 'after submitting');
    const row = page.locator('tr', { hasText: WORD });
    eq(await row.locator(`a[href="/submit/${id}"]`).count(), 0, 'a submitted case cannot be edited by its author');
  });

  const { page: cur } = await open();
  const COMMENT = `Mohon lengkapi bagian hasil dengan sumber data (${RUN}).`;
  await step(cur, 'curator returns the case with a comment', async () => {
    await signInForm(cur, CURATOR);
    await goto(cur, '/curate');
    const link = cur.locator(`a[href="/curate/${id}"]`);
    assert((await link.count()) > 0, `the queue on /curate has no link to /curate/${id}`);
    await clickAndWait(cur, link.first());
    eq(new URL(cur.url()).pathname, `/curate/${id}`, 'curator case page');
    const form = cur.locator(`form[action="/curate/${id}/return"]`);
    await form.locator('textarea[name=comment]').fill(COMMENT);
    await clickAndWait(cur, form.locator('button[type=submit]'));
  });

  await step(page, 'contributor sees the comment, fixes the case and resubmits', async () => {
    await goto(page, '/my/cases');
    const row = page.locator('tr', { hasText: WORD });
    assert((await row.innerText()).includes(COMMENT), `the comment is not on /my/cases: ${await row.innerText()}`);
    await clickAndWait(page, row.locator(`a[href="/submit/${id}"]`));
    await goto(page, `/submit/${id}/story`);
    await page.fill('textarea[name=results]', `${STORY.results} Sumber: laporan tahunan puskesmas 2023.`);
    await clickAndWait(page, page.locator('button[name=action][value=next]'));
    await goto(page, `/submit/${id}/preview`);
    assert((await page.locator('article').innerText()).includes('laporan tahunan puskesmas'), 'the fix is in the preview');
    await clickAndWait(page, page.locator(`form[action="/submit/${id}/submit"] button[type=submit]`));
    eq(new URL(page.url()).pathname, '/my/cases', 'after resubmitting');
  });

  await step(cur, 'curator publishes', async () => {
    await goto(cur, `/curate/${id}`);
    await clickAndWait(cur, cur.locator(`form[action="/curate/${id}/publish"] button[type=submit]`));
    await goto(cur, `/cases/${id}`);
    eq(await cur.locator('p.banner').count(), 0, 'no status banner on a published case');
  });

  const { page: anon } = await open();
  await step(anon, 'a reader finds it with facets and a query, and opens it', async () => {
    let found = false;
    for (let i = 0; i < 20 && !found; i++) {
      await goto(anon, '/search');
      // A long facet lists its first values; "Show N more" lists the rest.
      if (!(await anon.locator('#f-sector-health').count())) {
        await clickAndWait(anon, anon.locator('#facet-sector a.more'));
      }
      await anon.fill('#q', 'posyandu keliling');
      await anon.check('#f-country-ID');
      await anon.check('#f-sector-health');
      await clickAndWait(anon, anon.locator('aside.facets button[type=submit]'));
      const url = new URL(anon.url());
      eq(url.searchParams.getAll('country').join(), 'ID', 'country filter in the URL');
      eq(url.searchParams.getAll('sector').join(), 'health', 'sector filter in the URL');
      found = (await anon.locator(`ul.hits a[href="/cases/${id}"]`).count()) > 0;
      if (!found) await anon.waitForTimeout(250); // the index catches up
    }
    assert(found, 'the published case is not among the results');
    await clickAndWait(anon, anon.locator(`ul.hits a[href="/cases/${id}"]`).first());
    eq(new URL(anon.url()).pathname, `/cases/${id}`, 'opened the case');
    assert((await anon.locator('h1').first().innerText()).includes(WORD), 'the case page shows the title');
    assert((await anon.locator('article').innerText()).includes('laporan tahunan puskesmas'), 'the case page shows the fixed text');
  });
  return id;
}

async function language() {
  const { page } = await open();
  await step(page, 'English by default, switch to Indonesian', async () => {
    await goto(page, '/');
    eq(await htmlLang(page), 'en', '<html lang> by default');
    assert((await navText(page)).includes('Browse cases'), 'English nav');
    await clickAndWait(page, page.locator('header a.lang'));
    eq(await htmlLang(page), 'id', '<html lang> after the switch');
    assert((await navText(page)).includes('Jelajahi kasus'), 'Indonesian nav after the switch');
    eq(new URL(page.url()).pathname, '/', 'the switch returns to the same page');
  });
  await step(page, 'the choice is remembered on the next page', async () => {
    await goto(page, '/search');
    // With JavaScript, lumbung.js gives the search box its suggestion list (the no-JS scenario checks the opposite).
    assert(await page.getAttribute('#q', 'list'), 'lumbung.js ran: the search box has a suggestion list');
    eq(await htmlLang(page), 'id', '<html lang> on the next page');
    assert((await navText(page)).includes('Jelajahi kasus'), 'Indonesian nav on the next page');
    await clickAndWait(page, page.locator('header a.lang'));
    eq(await htmlLang(page), 'en', 'back to English');
    eq(new URL(page.url()).pathname, '/search', 'the switch returns to the same page');
    await goto(page, '/');
    assert((await navText(page)).includes('Browse cases'), 'English remembered');
  });
}

/** The element that has focus, described. */
const focused = (page) =>
  page.evaluate(() => {
    const e = document.activeElement;
    if (!e) return null;
    return { tag: e.tagName.toLowerCase(), id: e.id, name: e.getAttribute('name'), cls: e.className, href: e.getAttribute('href'), type: e.getAttribute('type'), inMain: !!e.closest('main') };
  });

/** Presses Tab until `pred(focused)` holds. */
async function tabTo(page, pred, what, max = 120) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (f && pred(f)) return f;
  }
  throw new Failure(`Tab never reached ${what}`);
}

async function keyboard() {
  const { page } = await open();
  await step(page, 'skip link', async () => {
    await goto(page, '/');
    await page.keyboard.press('Tab');
    const f = await focused(page);
    assert(f && f.tag === 'a' && f.href === '#main', `the first Tab should reach the skip link, got ${JSON.stringify(f)}`);
    assert(await page.locator('a.skip').isVisible(), 'the skip link is visible when focused');
    await page.keyboard.press('Enter');
    eq(new URL(page.url()).hash, '#main', 'the skip link goes to #main');
    await page.keyboard.press('Tab');
    const g = await focused(page);
    assert(g && g.inMain, `after the skip link, Tab should land inside <main>, got ${JSON.stringify(g)}`);
  });
  await step(page, 'sign in with the keyboard only', async () => {
    await goto(page, '/signin');
    await tabTo(page, (f) => f.id === 'email', '#email');
    await page.keyboard.type(CONTRIBUTOR);
    await page.keyboard.press('Tab');
    eq((await focused(page)).id, 'password', 'Tab from e-mail goes to password');
    await page.keyboard.type(PASSWORD);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    assert(!new URL(page.url()).pathname.startsWith('/signin'), 'signed in with Enter');
    assert(await page.locator('form[action="/signout"]').count(), 'signed in');
  });
  await step(page, 'search with filters, keyboard only', async () => {
    await goto(page, '/search');
    await tabTo(page, (f) => f.id === 'q', 'the search box');
    await page.keyboard.type('kesehatan');
    await tabTo(page, (f) => f.id === 'f-country-ID', 'the country Indonesia checkbox');
    await page.keyboard.press('Space');
    await tabTo(page, (f) => f.name === 'sector', 'a sector checkbox');
    const sector = (await focused(page)).id.replace(/^f-sector-/, '');
    await page.keyboard.press('Space');
    await tabTo(page, (f) => f.tag === 'button' && f.type === 'submit', 'a submit button', 200);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    const url = new URL(page.url());
    eq(url.pathname, '/search', 'search page');
    eq(url.searchParams.get('q'), 'kesehatan', 'query typed');
    eq(url.searchParams.getAll('country').join(), 'ID', 'country ticked with Space');
    eq(url.searchParams.getAll('sector').join(), sector, 'sector ticked with Space');
    assert(await page.locator('#f-country-ID').isChecked(), 'the filter stays ticked');
    // Tab reaches a result and Enter opens it.
    const hits = await page.locator('ul.hits a[href^="/cases/"]').count();
    assert(hits > 0, 'the filtered search has results');
    await tabTo(page, (f) => f.tag === 'a' && (f.href || '').startsWith('/cases/'), 'a result', 300);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    assert(new URL(page.url()).pathname.startsWith('/cases/'), 'Enter on a result opens the case');
  });
}

async function noJavaScript() {
  const { page } = await open({ javaScriptEnabled: false });
  await step(page, 'sign in without JavaScript', async () => {
    await signInForm(page, CONTRIBUTOR);
  });
  await step(page, 'search with a filter without JavaScript', async () => {
    await goto(page, '/search');
    // lumbung.js would give the search box a suggestion list: it did not run.
    eq(await page.getAttribute('#q', 'list'), null, 'the search box list attribute (set by lumbung.js)');
    await page.fill('#q', 'desa');
    await page.check('#f-country-ID');
    await clickAndWait(page, page.locator('aside.facets button[type=submit]'));
    const url = new URL(page.url());
    eq(url.searchParams.getAll('country').join(), 'ID', 'filter applied');
    assert((await page.locator('ul.hits li').count()) > 0, 'results without JavaScript');
    // Removing the filter is a plain link.
    const chip = page.locator('a.chip').first();
    assert(await chip.count(), 'an active filter chip');
    await clickAndWait(page, chip);
    eq(new URL(page.url()).searchParams.getAll('country').length, 0, 'the chip removes the filter');
  });
}

const PAYLOADS = [
  '<script>window.__xss=1</script>',
  '<img src=x onerror="window.__xss=1">',
  '[x](javascript:window.__xss=1)',
  '<a href="javascript:window.__xss=1">x</a>',
  '<p style="background:red">x</p>',
  '<svg onload="window.__xss=1">',
];

async function xss() {
  const { context: author, page } = await open();
  const { context: curator } = await open();
  const all = PAYLOADS.join(' ');
  const text = (prefix) => `${prefix} ${WORD}xss ${all}`;
  const ids = [];
  await step(page, 'hostile cases created, submitted and published through the API', async () => {
    await signInApi(author, CONTRIBUTOR);
    await signInApi(curator, CURATOR);
    // Short fields (at most 200 characters) cannot hold every payload at
    // once: two cases, each short field with half of them.
    for (const half of [PAYLOADS.slice(0, 3), PAYLOADS.slice(3)]) {
      const short = half.join(' ');
      const sections = {};
      for (const name of Object.keys(STORY)) sections[name] = { id: text(name) };
      const content = {
        title: { id: text('Judul') },
        summary: { id: text('Ringkasan') },
        original_language: 'id',
        country: 'ID',
        region: short,
        city: short,
        level_of_government: 'local',
        partners: PAYLOADS.map((p) => `Mitra ${p}`),
        sectors: ['health'],
        tags: PAYLOADS.map((p) => `tag ${p}`),
        year_launched: 2022,
        website: 'javascript:window.__xss=1',
        links: [{ url: 'javascript:window.__xss=1', title: short }],
        sections,
        contact: { name: short, email: 'xss@example.go.id', organisation: short },
      };
      let created;
      const res = await author.request.post('/api/v1/cases', { data: content });
      if (res.status() === 422) {
        // The API may refuse a javascript: website or link outright; that is fine too.
        delete content.website;
        content.links = [{ url: 'https://example.go.id/', title: short }];
        created = await api(author, 'POST', '/api/v1/cases', content, 201);
      } else {
        eq(res.status(), 201, `POST /api/v1/cases: ${(await res.text()).slice(0, 300)}`);
        created = await res.json();
      }
      ids.push(created.id);
      await api(author, 'POST', `/api/v1/cases/${created.id}/submit`, {});
      await api(curator, 'POST', `/api/v1/cases/${created.id}/publish`, {});
    }
  });

  const { page: reader } = await open();
  const targets = [
    ...ids.map((id, i) => [`case page ${i + 1}`, `/cases/${id}`, [id]]),
    ['search results', `/search?q=${encodeURIComponent(WORD + 'xss')}`, ids],
    ['home page', '/', ids],
  ];
  for (const [type, path, expectIds] of targets) {
    await step(reader, `no script runs on the ${type}`, async () => {
      let res;
      for (let i = 0; i < 20; i++) {
        res = await goto(reader, path);
        if (type !== 'search results' || (await reader.locator(`a[href="/cases/${expectIds[1]}"]`).count())) break;
        await reader.waitForTimeout(250);
      }
      if (type.startsWith('case page')) {
        assert((await reader.locator('h1').first().innerText()).includes(`${WORD}xss`), `the hostile case is the ${type}`);
      } else {
        for (const id of expectIds) assert(await reader.locator(`a[href="/cases/${id}"]`).count(), `the hostile case ${id} is on the ${type}`);
      }
      const raw = await res.text();
      await reader.waitForTimeout(300);
      eq(await reader.evaluate(() => typeof window.__xss), 'undefined', 'window.__xss');
      assert(!raw.includes('<script>window.__xss'), 'the served HTML contains <script>window.__xss');
      assert(!/<svg[^>]*onload/i.test(raw), 'the served HTML contains an <svg onload> element');
      assert(!/<img[^>]*onerror/i.test(raw), 'the served HTML contains an <img onerror> element');
      // Text may mention "onerror=" or "javascript:" (escaped); no tag may carry them.
      const tags = raw.match(/<[a-zA-Z][^>]*>/g) || [];
      for (const tag of tags) {
        const attrs = tag.replace(/"[^"]*"|'[^']*'/g, '""');
        assert(!/\son[a-z]+\s*=/i.test(attrs), `an event handler attribute is served: ${tag}`);
        assert(!/=\s*["']?\s*javascript:/i.test(tag), `a javascript: URL is served: ${tag}`);
      }
      const bad = await reader.evaluate(() => {
        const out = [];
        for (const el of document.querySelectorAll('*')) {
          for (const a of el.attributes) {
            const v = a.value.trim().toLowerCase();
            if (a.name.startsWith('on')) out.push(`${el.tagName} ${a.name}`);
            if (['href', 'src', 'action', 'formaction', 'xlink:href'].includes(a.name) && v.startsWith('javascript:')) out.push(`${el.tagName} ${a.name}=${v}`);
          }
        }
        for (const el of document.querySelectorAll('main [style], main iframe, main object, main embed')) out.push(`${el.tagName} ${el.outerHTML.slice(0, 80)}`);
        for (const s of document.scripts) if (s.textContent.includes('__xss') && s.type !== 'application/ld+json') out.push(`script: ${s.textContent.slice(0, 80)}`);
        return out;
      });
      eq(bad.join('; '), '', 'dangerous elements or attributes in the DOM');
    });
  }
}

async function pagesAudit(workflowCase) {
  const { context: anonCtx, page: anon } = await open();
  let caseId;
  let orgId;
  await step(anon, 'find a case and an organisation', async () => {
    await goto(anon, '/');
    caseId = workflowCase || (await anon.locator('ul.hits a[href^="/cases/"]').first().getAttribute('href')).split('/')[2];
    await goto(anon, `/cases/${caseId}`);
    const org = anon.locator('a[href^="/organisations/"]').first();
    if (await org.count()) orgId = (await org.getAttribute('href')).split('/')[2];
    else {
      await goto(anon, '/search');
      const first = await anon.locator('ul.hits a[href^="/cases/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      for (const href of first) {
        await goto(anon, href);
        const o = anon.locator('a[href^="/organisations/"]').first();
        if (await o.count()) {
          orgId = (await o.getAttribute('href')).split('/')[2];
          break;
        }
      }
    }
    assert(orgId, 'no case page links to an organisation');
  });
  await check(anonCtx, anon, 'home', '/');
  await check(anonCtx, anon, 'search with results', '/search?q=desa&country=ID');
  assert((await anon.locator('ul.hits li').count()) > 0, 'search with results has results');
  await check(anonCtx, anon, 'search with no results', '/search?q=zzqxjvbwk');
  eq(await anon.locator('ul.hits li').count(), 0, 'search with no results');
  await check(anonCtx, anon, 'case page', `/cases/${caseId}`);
  await check(anonCtx, anon, 'organisation page', `/organisations/${orgId}`);
  await check(anonCtx, anon, 'country page', '/countries/ID');
  await check(anonCtx, anon, 'sign-in', '/signin');
  await check(anonCtx, anon, 'dashboard', '/dashboard');
  // The map carries its outlines inline (no map script, no tiles): its own budget (issue #12).
  await check(anonCtx, anon, 'map', '/map', 200, { html: 150 * KB, total: 170 * KB });
  await check(anonCtx, anon, 'error page (404)', '/no-such-page', 404);
  await step(anon, 'Indonesian pages', async () => {
    await goto(anon, '/lang/id?next=/');
  });
  await check(anonCtx, anon, 'home (Indonesian)', '/');
  await check(anonCtx, anon, 'case page (Indonesian)', `/cases/${caseId}`);

  const { context: cctx, page } = await open();
  let draft;
  await step(page, 'contributor with a draft', async () => {
    await signInForm(page, CONTRIBUTOR);
    const created = await api(cctx, 'POST', '/api/v1/cases', {
      title: { id: `Draf uji aksesibilitas ${RUN}` },
      summary: { id: 'Ringkasan singkat.' },
      original_language: 'id',
      country: 'ID',
      sectors: ['education'],
    }, 201);
    draft = created.id;
  });
  await check(cctx, page, 'my cases', '/my/cases');
  await check(cctx, page, 'account', '/account');
  await check(cctx, page, 'submission step identity (new)', '/submit');
  for (const s of ['identity', 'place', 'classification', 'story', 'evidence', 'contacts', 'preview']) {
    await check(cctx, page, `submission step ${s}`, `/submit/${draft}/${s}`);
  }
  await check(cctx, page, 'translation', `/translate/${draft}/en`);
  await soft(page, 'a step with errors', async () => {
    await goto(page, `/submit/${draft}/classification`);
    await page.fill('input[name=year_launched]', '1066');
    await clickAndWait(page, page.locator('button[name=action][value=save]'));
    await audit(page, 'submission step with errors');
  });

  const { context: kctx, page: cur } = await open();
  let queued;
  await soft(cur, 'curator queue lists a case', async () => {
    await signInForm(cur, CURATOR);
    await goto(cur, '/curate');
    const link = cur.locator('main a[href^="/curate/"]').first();
    assert(await link.count(), 'the curator queue lists no case');
    queued = await link.getAttribute('href');
  });
  await check(kctx, cur, 'curator queue', '/curate');
  if (queued) await check(kctx, cur, 'curator case page', queued);

  const { context: actx, page: adm } = await open();
  await step(adm, 'admin signs in', () => signInForm(adm, ADMIN));
  for (const p of ['/admin', '/admin/accounts', '/admin/organisations', '/admin/harvest']) {
    await check(actx, adm, `admin ${p}`, p);
  }
  finish();
}

// ---------------------------------------------------------------------------

async function main() {
  const started = Date.now();
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  } catch (e) {
    console.error(`cannot start Chromium at ${CHROMIUM}: ${e.message}\n(.ci/run installs it: apt-get install chromium)`);
    process.exit(2);
  }
  console.log(`Chromium ${browser.version()} against ${BASE}`);
  let caseId = null;
  await scenario('language switch', language);
  await scenario('keyboard only', keyboard);
  await scenario('no JavaScript', noJavaScript);
  await scenario('workflow', async () => {
    caseId = await workflow();
  });
  await scenario('xss', xss);
  await scenario('pages: axe and weight', () => pagesAudit(caseId));
  // Scenarios of other areas (dialogue, events, diffusion…), one module each in
  // scenarios/, run in name order: each default-exports `async (t) => {}` and
  // gets the runner's helpers in `t`.
  const helpers = {
    BASE, PASSWORD, CONTRIBUTOR, CURATOR, ADMIN, RUN,
    scenario, open, goto, step, clickAndWait, signInForm, signInApi, api,
    assert, eq, check, finish, audit, measure, htmlLang, navText, Failure,
  };
  const dir = join(HERE, 'scenarios');
  let modules = [];
  try {
    modules = readdirSync(dir).filter((f) => f.endsWith('.mjs')).sort();
  } catch {
    // no scenarios/ folder: only the core scenarios
  }
  for (const file of modules) {
    const mod = await import(pathToFileURL(join(dir, file)).href);
    await mod.default(helpers);
  }
  await browser.close();

  if (weights.length) {
    console.log('\nPage weight (bytes over the wire, compressed, headers included; empty cache)');
    console.log(`${'page type'.padEnd(38)} ${'HTML'.padStart(7)} ${'total'.padStart(7)} requests`);
    for (const w of weights) console.log(`${w.type.padEnd(38)} ${String(w.html).padStart(7)} ${String(w.total).padStart(7)} ${w.requests}`);
  }
  if (axeReport.length) {
    console.log('\naxe (wcag2a, wcag2aa, wcag21a, wcag21aa)');
    for (const a of axeReport) {
      console.log(`${a.type.padEnd(38)} passes ${String(a.passes).padStart(3)}  serious/critical ${a.bad}${a.minor.length ? '  minor: ' + a.minor.join(', ') : ''}`);
    }
  }
  const failed = results.filter((r) => !r.ok);
  console.log(`\n${results.length - failed.length} passed, ${failed.length} failed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (const f of failed) console.log(`FAILED: ${f.name}: ${String(f.error && f.error.message).split('\n').slice(0, 12).join('\n  ')}`);
  process.exit(failed.length ? 1 : 0);
}

await main();
