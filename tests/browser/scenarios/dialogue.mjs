// Browser scenarios of the dialogue (issue #10), against a demo node:
// a delegate asks a case's team and sees the answer arrive in the inbox; a
// moderator hides a post with a reason and its author sees why; a private
// room is 404 to a non-member through its page, the API, search, feeds and
// the sitemap; posting works without JavaScript; an appeal is decided on
// /moderation; a curator opens a room from /rooms; and axe and page weight on
// the dialogue's pages.
//
// The demo's accounts (see crates/lumbung/src/demo.rs): the contributor owns
// the Indonesian cases and is a member of the public room; the delegate is a
// member of the public room and of the private working group
// `asean-delegates`; the curator opened and moderates the rooms; the reader
// is in no room.

const DELEGATE = 'delegate@lumbung.example';
const READER = 'reader@lumbung.example';

export default async function (t) {
  const { scenario, open, goto, step, clickAndWait, signInForm, api, assert, eq, check, finish, RUN, CONTRIBUTOR, CURATOR, ADMIN } = t;

  /** Reloads `path` until `text` appears (the notification follower runs every few seconds). */
  async function waitForText(page, path, text, seconds = 30) {
    const until = Date.now() + seconds * 1000;
    for (;;) {
      await goto(page, path);
      const body = await page.locator('main').innerText();
      if (body.includes(text)) return body;
      if (Date.now() > until) throw new t.Failure(`"${text}" did not appear on ${path} within ${seconds} s:\n${body.slice(0, 1500)}`);
      await page.waitForTimeout(1000);
    }
  }

  /**
   * Submits a post form by clicking `button`. A post over the posting limits
   * (the demo's accounts are younger than a day and have just posted) comes
   * back as 429 with the text kept: wait as the page says, and send it again.
   */
  async function submitPost(page, button) {
    for (let tries = 0; tries < 3; tries++) {
      const [res] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
      if (res.status() !== 429) return res;
      const alert = await page.locator('main [role=alert]').first().innerText();
      const m = alert.match(/(\d+) seconds/);
      assert(m, `a 429 page without the time to wait: ${alert}`);
      await page.waitForTimeout((Number(m[1]) + 1) * 1000);
    }
    throw new t.Failure('still refused as too fast after three tries');
  }

  /** A published case of the contributor (its team is the contributor). */
  async function contributorsCase(context) {
    const list = await api(context, 'GET', '/api/v1/cases?mine=true&status=published');
    assert(list.items && list.items.length > 0, 'the contributor has no published case in the demo');
    return list.items[0].id;
  }

  await scenario('dialogue: a delegate asks a case team and the answer reaches the inbox', async () => {
    const { context: octx, page: owner } = await open();
    let caseId;
    await step(owner, 'the owner signs in', async () => {
      await signInForm(owner, CONTRIBUTOR);
      caseId = await contributorsCase(octx);
    });
    const { page: delegate } = await open();
    const TITLE = `Biaya operasional ${RUN}`;
    let threadPath;
    await step(delegate, 'the delegate asks the team from the case discussion', async () => {
      await signInForm(delegate, DELEGATE);
      await goto(delegate, `/cases/${caseId}/discussion`);
      const form = delegate.locator(`form[action="/cases/${caseId}/ask"]`);
      await form.locator('input[name=title]').fill(TITLE);
      await form.locator('textarea[name=body]').fill(`Berapa biaya operasional per tahun? (${RUN})`);
      await form.locator('select[name=language]').selectOption('id');
      await submitPost(delegate, form.locator('button[type=submit]'));
      threadPath = new URL(delegate.url()).pathname;
      assert(/^\/threads\/[0-9A-Z]{26}$/.test(threadPath), `after asking, expected a thread page, got ${delegate.url()}`);
      assert((await delegate.locator('main').innerText()).includes('Not answered yet'), 'a new question shows it is not answered');
    });
    await step(owner, 'the question arrives in the owner\'s inbox', async () => {
      await waitForText(owner, '/inbox', TITLE);
      const link = owner.locator('main a', { hasText: TITLE }).first();
      eq(new URL(await link.getAttribute('href'), t.BASE).pathname, threadPath, 'the inbox links to the question');
      assert(await owner.locator('header.site').innerText().then((h) => /unread/.test(h)), 'the header counts unread notifications');
    });
    await step(owner, 'the owner answers on the thread', async () => {
      await goto(owner, threadPath);
      const form = owner.locator('form#reply');
      await form.locator('textarea[name=body]').fill(`Sekitar 120 juta rupiah per tahun, terutama untuk pelatihan. (${RUN})`);
      await submitPost(owner, form.locator('button[type=submit]'));
      assert((await owner.locator('main').innerText()).includes('Sekitar 120 juta rupiah'), 'the answer is on the thread');
    });
    await step(delegate, 'the answer arrives in the delegate\'s inbox, and the thread shows it is answered', async () => {
      const inbox = await waitForText(delegate, '/inbox', `answered your question`);
      assert(inbox.includes(TITLE), 'the answer notification names the question');
      await clickAndWait(delegate, delegate.locator('main a', { hasText: 'answered your question' }).first());
      eq(new URL(delegate.url()).pathname, threadPath, 'the notification leads to the thread');
      const text = await delegate.locator('main').innerText();
      assert(text.includes('Answered by the team') && text.includes('Sekitar 120 juta rupiah'), 'the thread shows the answer');
    });
  });

  await scenario('dialogue: a moderator hides a post with a reason and the author sees why', async () => {
    const { context: actx, page: author } = await open();
    const BODY = `Promo pelatihan murah hubungi kami ${RUN}`;
    let threadPath;
    await step(author, 'the contributor posts in the public room', async () => {
      await signInForm(author, CONTRIBUTOR);
      const threads = await api(actx, 'GET', '/api/v1/threads?room=digital-public-services');
      assert(threads.length > 0, 'the public room has a thread');
      threadPath = `/threads/${threads[0].id}`;
      await goto(author, threadPath);
      await author.locator('form#reply textarea[name=body]').fill(BODY);
      await submitPost(author, author.locator('form#reply button[type=submit]'));
      assert((await author.locator('main').innerText()).includes(BODY), 'the post is on the thread');
    });
    const { page: mod } = await open();
    const REASON = `Iklan tidak diperbolehkan di ruang ini (${RUN})`;
    await step(mod, 'the curator hides it with a reason', async () => {
      await signInForm(mod, CURATOR);
      await goto(mod, threadPath);
      const post = mod.locator('li.post', { hasText: BODY });
      eq(await post.count(), 1, 'the moderator sees the post');
      const form = post.locator('form[action$="/moderate"]');
      await form.locator('input[name=reason]').fill(REASON);
      await clickAndWait(mod, form.locator('button[type=submit]'));
      const hidden = mod.locator('li.post', { hasText: REASON });
      eq(await hidden.count(), 1, 'a placeholder names the reason');
      assert(!(await mod.locator('main').innerText()).includes(BODY), 'the text is gone');
    });
    await step(author, 'the author sees the placeholder, the reason and the way to appeal', async () => {
      await goto(author, threadPath);
      const placeholder = author.locator('li.post p.placeholder', { hasText: REASON });
      eq(await placeholder.count(), 1, 'the author sees why on the thread');
      assert((await placeholder.innerText()).includes('A moderator hid this post'), 'a moderator, not flags');
      await clickAndWait(author, author.locator('a[href="/moderation"]', { hasText: 'Why was this hidden' }).first());
      const text = await author.locator('main').innerText();
      assert(text.includes(REASON), '/moderation tells the author the reason');
      await waitForText(author, '/inbox', 'A moderator decided about your contribution');
    });
    let decision;
    await step(author, 'the author appeals', async () => {
      await goto(author, '/moderation');
      const item = author.locator('li', { hasText: REASON }).filter({ has: author.locator('textarea[name=body]') });
      eq(await item.count(), 1, 'the decision can be appealed');
      decision = (await item.locator('form').getAttribute('action')).split('/')[2];
      await item.locator('textarea[name=body]').fill(`Ini informasi pelatihan resmi, bukan iklan (${RUN}).`);
      await clickAndWait(author, item.locator('button[type=submit]'));
      assert((await author.locator('main').innerText()).includes('Appeal sent'), 'the appeal is waiting');
    });
    await step(mod, 'the curator who hid the post is not the one to judge the appeal', async () => {
      await goto(mod, '/moderation');
      eq(await mod.locator(`form[action="/moderation/${decision}/appeal/decide"]`).count(), 0, 'not offered to who decided');
    });
    const { page: adm } = await open();
    await step(adm, 'an administrator decides the appeal on /moderation: upheld, with a reason', async () => {
      await signInForm(adm, ADMIN);
      await goto(adm, '/moderation');
      const form = adm.locator(`form[action="/moderation/${decision}/appeal/decide"]`);
      eq(await form.count(), 1, 'the appeal is waiting for another moderator');
      await form.locator('input[value=uphold]').check();
      await form.locator('input[name=reason]').fill(`Tetap iklan komersial (${RUN})`);
      await clickAndWait(adm, form.locator('button[type=submit]'));
      eq(await adm.locator(`form[action="/moderation/${decision}/appeal/decide"]`).count(), 0, 'decided once');
    });
    await step(author, 'the author is told the outcome and why', async () => {
      await waitForText(author, '/inbox', 'Your appeal was decided');
      await goto(author, '/moderation');
      const text = await author.locator('main').innerText();
      assert(text.includes('the decision stands') && text.includes(`Tetap iklan komersial (${RUN})`), 'outcome and reason on /moderation');
    });
  });

  await scenario('dialogue: a private room is 404 to a non-member on every channel', async () => {
    const { context: dctx, page: member } = await open();
    let threadId;
    const TITLE = 'Agenda for the regional exchange';
    await step(member, 'a member reads the private room', async () => {
      await signInForm(member, DELEGATE);
      await goto(member, '/rooms/asean-delegates');
      const threads = await api(dctx, 'GET', '/api/v1/threads?room=asean-delegates');
      const thread = threads.find((x) => x.title === TITLE);
      assert(thread, 'the demo\'s private thread');
      threadId = thread.id;
      await goto(member, `/threads/${threadId}`);
    });
    for (const [who, email] of [['anonymous', null], ['the reader', READER]]) {
      const { context, page } = await open();
      await step(page, `${who}: page, API, search, feeds and sitemap know nothing of it`, async () => {
        if (email) await signInForm(page, email);
        await goto(page, '/rooms/asean-delegates', 404);
        await goto(page, `/threads/${threadId}`, 404);
        await goto(page, '/rooms');
        assert(!(await page.locator('main').innerText()).includes('ASEAN delegates'), '/rooms does not list it');
        for (const path of ['/api/v1/rooms/asean-delegates', '/api/v1/threads?room=asean-delegates', `/api/v1/threads/${threadId}`]) {
          await api(context, 'GET', path, undefined, 404);
        }
        const rooms = await api(context, 'GET', '/api/v1/rooms');
        assert(!JSON.stringify(rooms).includes('asean-delegates'), 'the API\'s room list does not name it');
        await goto(page, `/search?q=${encodeURIComponent('Agenda regional exchange')}`);
        assert(!(await page.content()).includes(threadId) && !(await page.locator('main').innerText()).includes(TITLE), 'search does not find it');
        const search = await context.request.get(`/api/v1/search?q=${encodeURIComponent('Agenda regional exchange')}`);
        assert(!(await search.text()).includes(threadId), 'the search API does not find it');
        for (const path of ['/feeds/cases.atom', `/feeds/search.atom?q=${encodeURIComponent('Agenda')}`, '/sitemap.xml', '/sitemaps/cases-1.xml']) {
          const res = await context.request.get(path);
          const body = await res.text();
          assert(!body.includes(threadId) && !body.includes('asean-delegates') && !body.includes(TITLE), `${path} does not name it`);
        }
        if (email) {
          const feed = await api(context, 'POST', '/api/v1/notifications/feed', undefined, 201);
          const res = await context.request.get(new URL(feed.url).pathname);
          eq(res.status(), 200, 'the reader\'s private feed');
          const body = await res.text();
          assert(!body.includes(threadId) && !body.includes(TITLE), 'the reader\'s private feed does not name it');
        }
      });
    }
  });

  await scenario('dialogue: posting works without JavaScript', async () => {
    const { page } = await open({ javaScriptEnabled: false });
    const BODY = `Balasan tanpa JavaScript ${RUN}`;
    await step(page, 'sign in, reply in a members\' room thread, and see the post', async () => {
      await signInForm(page, DELEGATE);
      await goto(page, '/rooms/reformasi-birokrasi');
      const link = page.locator('ul.threads a', { hasText: 'Penyederhanaan eselon' }).first();
      await clickAndWait(page, link);
      await page.locator('form#reply textarea[name=body]').fill(BODY);
      await page.locator('form#reply select[name=language]').selectOption('id');
      await submitPost(page, page.locator('form#reply button[type=submit]'));
      assert(/\/threads\/[0-9A-Z]{26}/.test(page.url()), `after posting: ${page.url()}`);
      assert((await page.locator('main').innerText()).includes(BODY), 'the post is on the thread');
    });
    await step(page, 'start a thread in the room', async () => {
      await goto(page, '/rooms/reformasi-birokrasi');
      const form = page.locator('form[action="/rooms/reformasi-birokrasi/threads"]');
      await form.locator('input[name=title]').fill(`Utas baru ${RUN}`);
      await form.locator('textarea[name=body]').fill(`Isi utas baru ${RUN}`);
      await submitPost(page, form.locator('button[type=submit]'));
      const text = await page.locator('main').innerText();
      assert(text.includes(`Utas baru ${RUN}`) && text.includes(`Isi utas baru ${RUN}`), 'the new thread with its first post');
    });
    await step(page, 'an empty post is refused, and the form is shown again', async () => {
      await page.locator('form#reply textarea[name=body]').fill('   ');
      const [res] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('form#reply button[type=submit]').click()]);
      eq(res.status(), 422, 'an empty post');
      assert(await page.locator('form#reply [role=alert]').count(), 'the refusal is said');
    });
  });

  await scenario('dialogue: a curator opens a room from /rooms', async () => {
    const { page } = await open();
    const slug = `ruang-${RUN}`;
    await step(page, 'open a members\' room and land in it', async () => {
      await signInForm(page, CURATOR);
      await goto(page, '/rooms');
      const form = page.locator('form[action="/rooms"]');
      await form.locator('input[name=title]').fill(`Ruang uji ${RUN}`);
      await form.locator('input[name=slug]').fill(slug);
      await form.locator('input[name=kind][value=members]').check();
      await form.locator('textarea[name=description]').fill('Ruang untuk uji peramban.');
      await clickAndWait(page, form.locator('button[type=submit]'));
      eq(new URL(page.url()).pathname, `/rooms/${slug}`, 'after opening');
      assert((await page.locator('main').innerText()).includes('You moderate this room'), 'the curator moderates it');
    });
  });

  await scenario('dialogue: pages: axe and weight', async () => {
    const { context: anonCtx, page: anon } = await open();
    let threadId;
    await step(anon, 'a public thread', async () => {
      const threads = await api(anonCtx, 'GET', '/api/v1/threads?room=digital-public-services');
      threadId = threads[0].id;
    });
    await check(anonCtx, anon, 'rooms', '/rooms');
    await check(anonCtx, anon, 'room (public)', '/rooms/digital-public-services');
    await check(anonCtx, anon, 'thread', `/threads/${threadId}`);
    const { context: cctx, page: cur } = await open();
    await step(cur, 'curator signs in', () => signInForm(cur, CURATOR));
    await check(cctx, cur, 'rooms (with the form to open one)', '/rooms');
    await check(cctx, cur, 'thread (moderator)', `/threads/${threadId}`);
    await check(cctx, cur, 'moderation (curator)', '/moderation');
    const { context: rctx, page: reader } = await open();
    await step(reader, 'reader signs in', () => signInForm(reader, READER));
    await check(rctx, reader, 'inbox', '/inbox');
    await check(rctx, reader, 'moderation (author)', '/moderation');
    await check(rctx, reader, 'mail settings', '/account/mail');
    await check(rctx, reader, 'room (members)', '/rooms/reformasi-birokrasi');
    await check(rctx, reader, 'account (with language)', '/account');
    finish();
  });
}
