// Resources and collections (issue #11) in the browser: a curator uploads a
// small PDF through the resource form, linked to a published case, and lands
// on its page, whose download link serves the file as an attachment (with
// nosniff); a renamed executable is refused with a visible error and nothing
// stored; an anonymous reader finds the resource on /resources (also through
// the type filter, a plain GET form) and in the case page's resources block;
// the curator makes a collection of two cases, shown in the order given.
// axe on both forms (and the form with errors); axe and weight of /resources,
// a resource page, /collections and a collection page.
//
// Each run creates its own resource and collection (the collection's id
// carries t.RUN), so it can run again against the same node.

/** A small but well-formed one-page PDF. */
function pdf(text) {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    null, // the content stream, below
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  const stream = `BT /F1 18 Tf 72 760 Td (${text}) Tj ET`;
  objects[3] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
  let out = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** The first bytes of a Windows executable (a DOS header, "MZ"), padded. */
function executable() {
  const b = Buffer.alloc(1024);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(0x80, 0x3c); // e_lfanew
  b.write('This program cannot be run in DOS mode.', 0x4e, 'latin1');
  b.write('PE\0\0', 0x80, 'latin1');
  return b;
}

export default async function (t) {
  await t.scenario('resources: upload, refusal, list, filter, case block, collections', async () => {
    const { context: curCtx, page: cur } = await t.open();
    const { context: anonCtx, page: anon } = await t.open();
    const titleEn = `Guide to one-stop service counters ${t.RUN}`;
    const titleId = `Panduan mal pelayanan publik ${t.RUN}`;
    const fileName = `one-stop-guide-${t.RUN}.pdf`;
    const bytes = pdf(`One-stop service guide ${t.RUN}`);
    const collectionId = `picks-${t.RUN}`.toLowerCase().replace(/[^a-z0-9-]/g, '');
    const collectionTitle = `Curator's picks ${t.RUN}`;
    let caseId;
    let id;
    let cases;

    const countResources = async () => (await t.api(anonCtx, 'GET', '/api/v1/resources?limit=1')).total;

    /** Fills the resource form on `cur` (not the file). */
    async function fillForm(title) {
      const form = cur.locator('main form[action="/resources/new"]');
      await form.locator('#r-title-en').fill(title);
      await form.locator('#r-title-id').fill(titleId);
      await form.locator('#r-summary-en').fill('How a regency opened **one counter** for forty permits, step by step.');
      await form.locator('#r-summary-id').fill('Bagaimana kabupaten membuka **satu loket** untuk empat puluh izin.');
      await form.locator('#r-type').selectOption('guide');
      await form.locator('#r-languages').fill('en,id');
      await form.locator('#r-licence').fill('CC-BY-4.0');
      await form.locator('#r-cases').fill(caseId);
      return form;
    }

    await t.step(cur, 'a curator uploads a PDF linked to a published case and lands on its page', async () => {
      // A published Indonesian case, preferably one with its own "Resources"
      // story section (section#resources), which the resources block must not clash with.
      const list = await t.api(anonCtx, 'GET', '/api/v1/cases?country=ID&limit=50');
      t.assert(list.items.length > 0, 'a published Indonesian demo case');
      caseId = (list.items.find((c) => c.sections && c.sections.resources) || list.items[0]).id;
      await t.signInForm(cur, t.CURATOR);
      await t.goto(cur, '/resources/new');
      await t.audit(cur, 'resource form');
      const form = await fillForm(titleEn);
      await form.locator('#r-file').setInputFiles({ name: fileName, mimeType: 'application/pdf', buffer: bytes });
      await t.clickAndWait(cur, form.locator('button[type=submit]'));
      const path = new URL(cur.url()).pathname;
      t.assert(/^\/resources\/[0-9A-Z]{26}$/.test(path), `on the new resource's page: ${path} (${(await cur.locator('main').innerText()).slice(0, 300)})`);
      id = path.split('/').pop();
      t.eq((await cur.locator('main h1').innerText()).trim(), titleEn, 'the title');
      t.eq(await cur.locator(`main .subtitle[lang=id]`).innerText(), titleId, 'the other language\'s title');
      t.assert((await cur.locator('main .summary').innerHTML()).includes('<strong>one counter</strong>'), 'the summary, its Markdown rendered');
      t.eq(await cur.locator(`main section a[href="/cases/${caseId}"]`).count(), 1, 'the page links the case');
      const facts = await cur.locator('dl.facts').innerText();
      t.assert(facts.includes('Guide') && facts.includes('CC-BY-4.0'), `type and licence: ${facts}`);
    });

    await t.step(cur, 'the download link serves the PDF as an attachment, not sniffed', async () => {
      const link = cur.locator('main a[download]');
      t.eq(await link.count(), 1, 'a download link');
      const href = await link.getAttribute('href');
      t.eq(href, `/resources/${id}/file`, 'the download address');
      t.assert((await cur.locator('main').innerText()).includes('PDF'), 'the page says the file is a PDF');
      for (const [who, ctx] of [['the curator', curCtx], ['an anonymous reader', anonCtx]]) {
        const res = await ctx.request.get(href);
        t.eq(res.status(), 200, `GET ${href} by ${who}`);
        const h = res.headers();
        t.eq(h['content-type'], 'application/pdf', 'content-type');
        t.assert((h['content-disposition'] || '').startsWith('attachment'), `content-disposition: ${h['content-disposition']}`);
        t.assert((h['content-disposition'] || '').includes(fileName), `the file's name in content-disposition: ${h['content-disposition']}`);
        t.eq(h['x-content-type-options'], 'nosniff', 'x-content-type-options');
        const body = await res.body();
        t.assert(body.equals(bytes), `the file as uploaded (${body.length} bytes served, ${bytes.length} sent)`);
      }
      const api = await t.api(anonCtx, 'GET', `/api/v1/resources/${id}`);
      t.eq(api.file && api.file.media_type, 'application/pdf', 'the API names the detected type');
      t.eq(api.cases.join(), caseId, 'the API lists the linked case');
    });

    await t.step(cur, 'a renamed executable is refused with a visible error and nothing is stored', async () => {
      const before = await countResources();
      await t.goto(cur, '/resources/new');
      const form = await fillForm(`Not a guide ${t.RUN}`);
      await form.locator('#r-file').setInputFiles({ name: 'guide.pdf', mimeType: 'application/pdf', buffer: executable() });
      const [res] = await Promise.all([
        cur.waitForNavigation({ waitUntil: 'load' }),
        form.locator('button[type=submit]').click(),
      ]);
      t.eq(res && res.status(), 415, 'status of the refused upload');
      t.eq(new URL(cur.url()).pathname, '/resources/new', 'still on the form');
      const alert = cur.locator('main [role=alert]');
      t.eq(await alert.count(), 1, 'an error list with role=alert');
      t.assert(await alert.isVisible(), 'the error list is visible');
      const text = await alert.innerText();
      t.assert(text.includes('not saved') && text.length > 40, `the error says why: ${text}`);
      t.eq(await cur.locator('main form[action="/resources/new"] #r-file').count(), 1, 'the form is shown again');
      await t.audit(cur, 'resource form with errors');
      t.eq(await countResources(), before, 'resources counted by /api/v1/resources');
    });

    await t.step(anon, 'an anonymous reader finds the resource on /resources', async () => {
      await t.goto(anon, '/resources');
      const item = anon.locator('ul.resources li').filter({ has: anon.locator(`a[href="/resources/${id}"]`) });
      t.eq(await item.count(), 1, 'the new resource on /resources');
      const text = await item.innerText();
      t.assert(text.includes(titleEn) && text.includes('Guide') && text.includes('PDF'), `its card: ${text}`);
      t.eq(await anon.locator('a[href="/resources/new"]').count(), 0, 'no "new resource" link for a reader');
    });

    await t.step(anon, 'the type filter is a plain GET form', async () => {
      const form = anon.locator('main form.filters');
      await form.locator('#f-type').selectOption('guide');
      await t.clickAndWait(anon, form.locator('button[type=submit]'));
      const url = new URL(anon.url());
      t.eq(url.pathname, '/resources', 'still the list');
      t.eq(url.searchParams.get('type'), 'guide', 'the filter is in the address');
      t.eq(await anon.locator('#f-type').inputValue(), 'guide', 'the filter stays selected');
      t.eq(await anon.locator(`ul.resources a[href="/resources/${id}"]`).count(), 1, 'the guide is listed');
      const kinds = await anon.locator('ul.resources > li > p:first-of-type').allInnerTexts();
      t.assert(kinds.length > 0 && kinds.every((k) => k.startsWith('Guide')), `only guides: ${kinds.join(' | ')}`);
      await form.locator('#f-type').selectOption('dataset');
      await t.clickAndWait(anon, form.locator('button[type=submit]'));
      t.eq(new URL(anon.url()).searchParams.get('type'), 'dataset', 'another type');
      t.eq(await anon.locator(`ul.resources a[href="/resources/${id}"]`).count(), 0, 'the guide is not among the datasets');
      t.assert(await anon.locator('ul.resources li').count() > 0, 'the demo dataset is');
      // "Any type" is an empty value: back to every resource.
      await form.locator('#f-type').selectOption('');
      await t.clickAndWait(anon, form.locator('button[type=submit]'));
      t.eq(await anon.locator(`ul.resources a[href="/resources/${id}"]`).count(), 1, 'every type again');
    });

    await t.step(anon, 'the case page shows the resource in its resources block', async () => {
      await t.goto(anon, `/cases/${caseId}`);
      // Not section#resources: that is the case's own "Resources" story section.
      const block = anon.locator('section#linked-resources');
      t.eq(await block.count(), 1, 'a resources block on the case page');
      const link = block.locator(`a[href="/resources/${id}"]`);
      t.eq(await link.count(), 1, 'the block links the new resource');
      t.eq((await link.innerText()).trim(), titleEn, 'by its title');
      const dup = await anon.evaluate(() => {
        const seen = new Map();
        for (const el of document.querySelectorAll('[id]')) seen.set(el.id, (seen.get(el.id) || 0) + 1);
        return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
      });
      t.eq(dup.join(' '), '', 'ids used more than once on the case page');
    });

    await t.step(cur, 'the curator creates a collection of two cases, shown in the order given', async () => {
      const list = await t.api(anonCtx, 'GET', '/api/v1/cases?country=ID&limit=3');
      t.assert(list.items.length >= 3, 'three published Indonesian demo cases');
      // Not the API's order: the collection keeps the curator's.
      cases = [list.items[2].id, list.items[0].id];
      await t.goto(cur, '/collections/new');
      await t.audit(cur, 'collection form');
      const form = cur.locator('main form[action="/collections/new"]');
      await form.locator('#k-id').fill(collectionId);
      await form.locator('#k-title-en').fill(collectionTitle);
      await form.locator('#k-title-id').fill(`Pilihan kurator ${t.RUN}`);
      await form.locator('#k-intro-en').fill('Two cases to read **before** opening a service mall.');
      await form.locator('#k-cases').fill(cases.join('\n'));
      await t.clickAndWait(cur, form.locator('button[type=submit]'));
      t.eq(new URL(cur.url()).pathname, `/collections/${collectionId}`, `on the collection's page (${(await cur.locator('main').innerText()).slice(0, 300)})`);
      t.eq((await cur.locator('main h1').innerText()).trim(), collectionTitle, 'the title');
      t.assert((await cur.locator('main .intro').innerHTML()).includes('<strong>before</strong>'), 'the introduction, its Markdown rendered');
      const shown = await cur.locator('ol.collection-cases > li h2 a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      t.eq(shown.join(' '), cases.map((c) => `/cases/${c}`).join(' '), 'the cases, in order');
      const api = await t.api(anonCtx, 'GET', '/api/v1/collections?limit=100');
      const mine = api.items.find((k) => k.id === collectionId);
      t.assert(mine, 'the API lists the collection');
      t.eq(mine.cases.join(), cases.join(), 'the API keeps the order');
    });

    await t.step(cur, 'the same collection id again is refused, the form keeping what was typed', async () => {
      await t.goto(cur, '/collections/new');
      const form = cur.locator('main form[action="/collections/new"]');
      await form.locator('#k-id').fill(collectionId);
      await form.locator('#k-title-en').fill(`${collectionTitle} (again)`);
      await form.locator('#k-cases').fill(cases[0]);
      const [res] = await Promise.all([
        cur.waitForNavigation({ waitUntil: 'load' }),
        form.locator('button[type=submit]').click(),
      ]);
      t.assert(res && res.status() >= 400 && res.status() < 500, `status of the refused collection: ${res && res.status()}`);
      t.assert(await cur.locator('main [role=alert]').isVisible(), 'a visible error');
      t.eq(await cur.locator('#k-title-en').inputValue(), `${collectionTitle} (again)`, 'the title typed is kept');
      await t.audit(cur, 'collection form with errors');
      const again = await t.api(anonCtx, 'GET', `/api/v1/collections?limit=100`);
      t.eq(again.items.find((k) => k.id === collectionId).cases.join(), cases.join(), 'the first collection is unchanged');
    });

    await t.step(anon, 'the collection is listed on /collections', async () => {
      await t.goto(anon, '/collections');
      const item = anon.locator('ul.collections li').filter({ has: anon.locator(`a[href="/collections/${collectionId}"]`) });
      t.eq(await item.count(), 1, 'the new collection on /collections');
      t.assert((await item.innerText()).includes('2'), `with its number of cases: ${await item.innerText()}`);
      await t.goto(anon, `/collections/${collectionId}`);
      t.eq(await anon.locator('ol.collection-cases > li').count(), 2, 'the reader sees both cases');
    });

    await t.check(anonCtx, anon, 'resources', '/resources');
    await t.check(anonCtx, anon, 'resources (filtered)', '/resources?type=guide');
    await t.check(anonCtx, anon, 'resource (file)', `/resources/${id}`);
    await t.check(anonCtx, anon, 'collections', '/collections');
    await t.check(anonCtx, anon, 'collection', `/collections/${collectionId}`);
    await t.check(anonCtx, anon, 'collection (demo)', '/collections/complaint-handling-asean');
    await t.check(anonCtx, anon, 'case page (resources block)', `/cases/${caseId}`);
    await t.check(curCtx, cur, 'resources (curator)', '/resources');
    await t.step(anon, 'the reader switches to Bahasa Indonesia', async () => {
      await t.goto(anon, '/lang/id?next=/resources');
      t.eq(await t.htmlLang(anon), 'id', 'the page language');
    });
    await t.check(anonCtx, anon, 'resources (Indonesian)', '/resources');
    await t.check(anonCtx, anon, 'resource (Indonesian)', `/resources/${id}`);
    await t.step(anon, 'the resource page in Bahasa Indonesia shows the Indonesian title', async () => {
      t.eq((await anon.locator('main h1').innerText()).trim(), titleId, 'the title');
      t.eq(await anon.locator('main h1').getAttribute('lang'), 'id', 'its language');
    });
    t.finish();
  });
}
