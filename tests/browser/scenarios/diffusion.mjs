// Diffusion and living cases (issue #12) in the browser: a contributor
// records through the case page that their case adapts another, both case
// pages show the link, the diffusion graph renders; an owner confirms a case
// through the check-in form and another owner reports a case discontinued
// with lessons, which then appear on /lessons. axe and weight of the
// diffusion page, /lessons, /dashboard/diffusion, the check-in form and /map.
//
// Each run creates its own cases (through the API), so it can run again
// against the same node.

// The demo's public service mall (Mal Pelayanan Publik), published.
const SOURCE = '01KDVDNCXR9HAMTGG000000003';
const DELEGATE = 'delegate@lumbung.example';
const KB = 1024;

/** A complete case in `country`, created by `ctx`'s account, submitted and published by `curator`. */
async function publishedCase(t, ctx, curator, title, country) {
  const sections = {};
  for (const name of [
    'problem', 'novelty', 'how_it_works', 'results', 'evidence', 'challenges',
    'conditions_for_success', 'replication_potential', 'resources', 'lessons_learned',
  ]) {
    sections[name] = { en: `${title}: ${name.replace(/_/g, ' ')} described in a full sentence for readers.` };
  }
  const content = {
    title: { en: title },
    summary: { en: `${title}, a one-stop service counter run by a local government.` },
    original_language: 'en',
    country,
    region: country === 'ID' ? 'Jawa Timur' : 'Cebu',
    level_of_government: 'local',
    sectors: ['digital_government'],
    year_launched: 2021,
    sections,
    contact: { name: 'Demo Contact', email: 'contact@example.go.id', organisation: 'Demo Office' },
  };
  const created = await t.api(ctx, 'POST', '/api/v1/cases', content, 201);
  await t.api(ctx, 'POST', `/api/v1/cases/${created.id}/submit`, {});
  await t.api(curator, 'POST', `/api/v1/cases/${created.id}/publish`, {});
  return created.id;
}

export default async function (t) {
  await t.scenario('diffusion: links, check-ins, lessons', async () => {
    const { context: cctx, page } = await t.open();
    const { context: dctx, page: dpage } = await t.open();
    const { context: curator } = await t.open();
    const { context: anonCtx, page: anon } = await t.open();
    const title = `Layanan terpadu ${t.RUN}`;
    const lesson = `Lesson ${t.RUN}: a counter without a legal basis closes when its sponsor leaves.`;
    let adopter;
    let discontinued;

    await t.step(page, 'a contributor and a delegate each own a published case', async () => {
      await t.signInForm(page, t.CONTRIBUTOR);
      await t.signInForm(dpage, DELEGATE);
      await t.signInApi(curator, t.CURATOR);
      adopter = await publishedCase(t, cctx, curator, title, 'ID');
      discontinued = await publishedCase(t, dctx, curator, `Permit counter ${t.RUN}`, 'PH');
    });

    await t.step(page, 'the contributor records on the case page that the case adapts another', async () => {
      await t.goto(page, `/cases/${adopter}`);
      const block = page.locator('section#diffusion');
      await block.locator('summary').click();
      await block.locator('select[name=kind]').selectOption('adapts');
      await block.locator('input[name=target]').fill(SOURCE);
      await block.locator('textarea[name=changes]').fill(`Mobile counters in markets (${t.RUN}).`);
      await block.locator('select[name=country]').selectOption('ID');
      await block.locator('input[name=region]').fill('Jawa Timur');
      await block.locator('input[name=year]').fill('2023');
      await t.clickAndWait(page, block.locator('button[type=submit]', { hasText: 'Record the link' }));
      t.eq(new URL(page.url()).pathname, `/cases/${adopter}`, 'back on the case page after recording the link');
      const up = page.locator('section#diffusion ul.links-up li');
      t.eq(await up.count(), 1, 'links the adopter records');
      const text = await up.first().innerText();
      t.assert(text.includes('Adapts'), `the link says its kind: ${text}`);
      t.assert(text.includes(`Mobile counters in markets (${t.RUN})`), `the link says what changed: ${text}`);
      t.assert(await up.first().locator(`a[href="/cases/${SOURCE}"]`).count(), 'the link leads to the source case');
    });

    await t.step(anon, 'the source case shows the adopter to an anonymous reader', async () => {
      await t.goto(anon, `/cases/${SOURCE}`);
      const adopters = anon.locator('section#diffusion ol.timeline li');
      const mine = adopters.filter({ has: anon.locator(`a[href="/cases/${adopter}"]`) });
      t.eq(await mine.count(), 1, 'the adopter in the source case\'s timeline');
      const text = await mine.innerText();
      t.assert(text.includes(title) && text.includes('Adapts') && text.includes('2023'), `the timeline entry: ${text}`);
      t.assert(await anon.locator(`section#diffusion a[href="/cases/${SOURCE}/diffusion"]`).count(), 'a link to the graph');
    });

    await t.step(anon, 'the diffusion page draws the adopter in the graph and the table', async () => {
      await t.goto(anon, `/cases/${SOURCE}/diffusion`);
      const svg = anon.locator('svg.diffusion-graph');
      t.eq(await svg.getAttribute('role'), 'img', 'the graph is an image');
      t.assert((await svg.locator('title').first().textContent()).length > 0, 'the graph has a title');
      t.eq(await svg.locator('[style]').count(), 0, 'no inline styles in the graph');
      t.assert(await svg.locator('circle title', { hasText: title }).count(), 'the adopter is a node of the graph');
      t.assert(await anon.locator(`svg.dg-links a[href="/cases/${adopter}"]`).count(), 'its node leads to its page');
      const row = anon.locator('table tr').filter({ has: anon.locator(`a[href="/cases/${adopter}"]`) });
      t.eq(await row.count(), 1, 'the adopter is a row of the table');
      t.assert((await row.innerText()).includes('Adapts'), 'the row says the link kind');
    });
    await t.check(anonCtx, anon, 'diffusion graph', `/cases/${SOURCE}/diffusion`);

    await t.check(cctx, page, 'check-in form (case page, owner)', `/cases/${adopter}`);
    await t.step(page, 'the owner confirms the case is still running', async () => {
      await t.goto(page, `/cases/${adopter}`);
      const block = page.locator('section#checkins');
      t.assert((await block.locator('p.schedule').innerText()).includes('every 12 months'), 'the schedule is the node\'s');
      await block.locator('summary', { hasText: 'Send the check-in' }).click();
      await t.audit(page, 'check-in form (open)');
      await block.locator('select[name=answer]').selectOption('still_running');
      await t.clickAndWait(page, block.locator('button[type=submit]', { hasText: 'Send the check-in' }));
      t.eq(new URL(page.url()).pathname, `/cases/${adopter}`, 'back on the case page after the check-in');
      const history = page.locator('section#checkins ol li');
      t.eq(await history.count(), 1, 'check-ins in the history');
      t.assert((await history.first().innerText()).includes('Still running'), 'the history shows the answer');
      t.eq(await page.locator('p.stale').count(), 0, 'a confirmed case is not marked "not confirmed"');
    });

    await t.step(page, 'the owner has the case checked every 6 months', async () => {
      const block = page.locator('section#checkins');
      await block.locator('summary', { hasText: 'how often' }).click();
      await block.locator('input[name=interval_months]').fill('6');
      await t.clickAndWait(page, block.locator('button[type=submit]', { hasText: 'Save the schedule' }));
      const text = await page.locator('section#checkins p.schedule').innerText();
      t.assert(text.includes('every 6 months') && text.includes('its own schedule'), `the schedule: ${text}`);
      const api = await t.api(cctx, 'GET', `/api/v1/cases/${adopter}/checkin-schedule`);
      t.eq(api.interval_months, 6, 'the API reports the case\'s own interval');
    });

    await t.step(dpage, 'another owner reports their case discontinued, with lessons', async () => {
      await t.goto(dpage, `/cases/${discontinued}`);
      const block = dpage.locator('section#checkins');
      await block.locator('summary', { hasText: 'Send the check-in' }).click();
      await block.locator('select[name=answer]').selectOption('discontinued');
      await block.locator('input[name=discontinued_on]').fill('2024-06-30');
      await block.locator('select[name=reason]').selectOption('political_change');
      await block.locator('textarea[name=lessons]').fill(lesson);
      await t.clickAndWait(dpage, block.locator('button[type=submit]', { hasText: 'Send the check-in' }));
      t.eq(new URL(dpage.url()).pathname, `/cases/${discontinued}`, 'back on the case page after the check-in');
      const first = dpage.locator('section#lessons');
      t.assert((await first.innerText()).includes(lesson), 'the case page shows what was learned');
      const order = await dpage.evaluate(() => {
        const l = document.querySelector('section#lessons');
        const h = document.querySelector('section#checkins');
        return l && h ? Boolean(l.compareDocumentPosition(h) & Node.DOCUMENT_POSITION_FOLLOWING) : null;
      });
      t.eq(order, true, 'the lessons come before the check-in history');
    });

    await t.step(anon, 'the lessons appear on /lessons', async () => {
      await t.goto(anon, '/lessons');
      const item = anon.locator('ul.lessons li').filter({ has: anon.locator(`a[href="/cases/${discontinued}"]`) });
      t.eq(await item.count(), 1, 'the discontinued case on /lessons');
      const text = await item.innerText();
      t.assert(text.includes(lesson), `its lesson: ${text}`);
      t.assert(text.includes('Political change') && text.includes('2024-06-30'), `its reason and date: ${text}`);
    });

    await t.step(anon, '/lessons is filtered by why the innovation stopped (a plain form)', async () => {
      await t.goto(anon, '/lessons');
      const form = anon.locator('form.filters');
      await form.locator('select[name=reason]').selectOption('political_change');
      await t.clickAndWait(anon, form.locator('button[type=submit]'));
      t.eq(new URL(anon.url()).searchParams.get('reason'), 'political_change', 'the filter is in the address');
      const reasons = await anon.locator('ul.lessons li p.meta').allInnerTexts();
      t.assert(reasons.length > 0 && reasons.every((m) => m.includes('Political change')), `only that reason: ${reasons}`);
      t.eq(await anon.locator(`ul.lessons a[href="/cases/${discontinued}"]`).count(), 1, 'the case is among them');
    });

    await t.check(anonCtx, anon, 'lessons', '/lessons');
    await t.check(anonCtx, anon, 'lessons (filtered)', '/lessons?reason=political_change');
    await t.check(anonCtx, anon, 'diffusion dashboard', '/dashboard/diffusion');
    await t.check(anonCtx, anon, 'map (diffusion)', '/map', 200, { html: 150 * KB, total: 170 * KB });
    t.finish();
  });
}
