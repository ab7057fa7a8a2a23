// Events (issue #11) in the browser: a curator creates an event through the
// form, with two sessions presenting two published cases; a reader registers,
// sees the online link that only participants see, and downloads the event's
// calendar file; after the event the curator records its outcome and an
// action item for an organisation; the case page shows "presented at" and
// the organisation's page shows the action item. axe and weight of the event
// form, the event page, /events and the organisation page.
//
// Each run creates its own event, so it can run again against the same node.

const READER = 'reader@lumbung.example';
// The demo's National Institute of Public Administration (LAN).
const OWNER = 'lan';

/** `YYYY-MM-DDTHH:MM` of the day `days` from today, at `time`. */
function local(days, time) {
  const d = new Date(Date.now() + days * 86400000);
  return `${d.toISOString().slice(0, 10)}T${time}`;
}

export default async function (t) {
  await t.scenario('events: agenda, registration, calendar, outcome, action item', async () => {
    const { context: curCtx, page: cur } = await t.open();
    const { context: readerCtx, page: reader } = await t.open();
    const { context: anonCtx, page: anon } = await t.open();
    const title = `Peer-learning forum ${t.RUN}`;
    const link = `https://meet.example.org/forum-${t.RUN}`;
    const action = `Publish the one-stop service guide (${t.RUN})`;
    let cases;
    let id;

    await t.step(cur, 'a curator creates an event with two sessions presenting two cases', async () => {
      const list = await t.api(anonCtx, 'GET', '/api/v1/cases?country=ID&limit=2');
      cases = list.items.map((c) => c.id);
      t.eq(cases.length, 2, 'two published Indonesian demo cases');
      await t.signInForm(cur, t.CURATOR);
      await t.goto(cur, '/events/new');
      await t.audit(cur, 'event form');
      const form = cur.locator('main form[action="/events/new"]');
      await form.locator('#title').fill(title);
      await form.locator('#description').fill('Two local governments show how their **one-stop services** work.');
      await form.locator('#kind').selectOption('workshop');
      await form.locator('#level').selectOption('national');
      await form.locator('#starts_at').fill(local(7, '09:00'));
      await form.locator('#ends_at').fill(local(7, '12:00'));
      await form.locator('#time_zone').selectOption('Asia/Makassar');
      await form.locator('#venue').fill('Balai Kota');
      await form.locator('#city').fill('Makassar');
      await form.locator('#country').selectOption('ID');
      await form.locator('#online_url').fill(link);
      await form.locator(`input[name=organisers][value="kemenpan-rb"]`).check();
      await form.locator('#sessions').fill([
        `${local(7, '09:30')} | 45 | Service malls in practice | Dewi; Arief | ${cases[0]}`,
        `${local(7, '10:30')} | 45 | Complaints through one channel | Sari | ${cases[1]}`,
      ].join('\n'));
      await form.locator('input[name=registration_open]').check();
      await form.locator('#capacity').fill('30');
      await t.clickAndWait(cur, form.locator('button[type=submit]'));
      const path = new URL(cur.url()).pathname;
      t.assert(/^\/events\/[0-9A-Z]{26}$/.test(path), `on the new event's page: ${path}`);
      id = path.split('/').pop();
      const agenda = cur.locator('ol.agenda > li');
      t.eq(await agenda.count(), 2, 'sessions on the agenda');
      for (const [i, c] of cases.entries()) {
        t.eq(await agenda.nth(i).locator(`a[href="/cases/${c}"]`).count(), 1, `session ${i + 1} presents its case`);
      }
      const facts = await cur.locator('dl.facts').innerText();
      t.assert(facts.includes('WITA'), `the time in the event's zone with its common name: ${facts}`);
    });

    await t.step(reader, 'a reader registers and then sees the online link', async () => {
      await t.signInForm(reader, READER);
      await t.goto(reader, `/events/${id}`);
      t.eq(await reader.locator(`a[href="${link}"]`).count(), 0, 'the online link is hidden before registering');
      t.assert((await reader.locator('dl.facts').innerText()).includes('Shown to registered participants'), 'says why');
      await t.clickAndWait(reader, reader.locator(`form[action="/events/${id}/register"] button[type=submit]`));
      t.eq(new URL(reader.url()).pathname, `/events/${id}`, 'back on the event page');
      const text = await reader.locator('section[aria-labelledby=registration]').innerText();
      t.assert(text.includes('Your registration'), `the registration is shown: ${text}`);
      t.eq(await reader.locator(`a[href="${link}"]`).count(), 1, 'the online link is shown to a participant');
      const mine = await t.api(readerCtx, 'GET', `/api/v1/events/${id}`);
      t.eq(mine.my_registration, 'registered', 'the API agrees');
    });

    await t.step(reader, 'the reader downloads the event\'s calendar file', async () => {
      const href = await reader.locator(`a[href="/events/${id}.ics"]`).getAttribute('href');
      t.eq(href, `/events/${id}.ics`, 'the page links its calendar file');
      const res = await readerCtx.request.get(href);
      t.eq(res.status(), 200, 'GET the .ics');
      t.assert(res.headers()['content-type'].startsWith('text/calendar'), `content type ${res.headers()['content-type']}`);
      const ics = (await res.text()).replace(/\r\n[ \t]/g, '');
      const day = local(7, '').slice(0, 10).replace(/-/g, '');
      t.assert(ics.includes(`DTSTART;TZID=Asia/Makassar:${day}T090000`), 'DTSTART in the event\'s zone');
      t.assert(ics.includes('BEGIN:VTIMEZONE') && ics.includes('TZID:Asia/Makassar'), 'a VTIMEZONE for the zone');
      t.assert(ics.includes(`SUMMARY:${title}`), 'the title');
    });

    await t.step(cur, 'after the event the curator records its outcome and an action item for LAN', async () => {
      // The event took place: its dates move to last week.
      await t.goto(cur, `/events/${id}/edit`);
      const edit = cur.locator(`main form[action="/events/${id}/edit"]`);
      await edit.locator('#starts_at').fill(local(-7, '09:00'));
      await edit.locator('#ends_at').fill(local(-7, '12:00'));
      await edit.locator('#sessions').fill([
        `${local(-7, '09:30')} | 45 | Service malls in practice | Dewi; Arief | ${cases[0]}`,
        `${local(-7, '10:30')} | 45 | Complaints through one channel | Sari | ${cases[1]}`,
      ].join('\n'));
      await t.clickAndWait(cur, edit.locator('button[type=submit]'));
      t.eq(new URL(cur.url()).pathname, `/events/${id}`, 'the edit is saved');
      const outcome = cur.locator('section#outcome-section');
      await outcome.locator('summary').click();
      await outcome.locator('#o-summary').fill('Both cases were judged **ready to replicate**.');
      await outcome.locator('#o-decisions').fill('Pilot the service mall in two more regencies\nWrite a joint guide');
      await outcome.locator('#o-minutes').fill('Minutes of the workshop.');
      await t.clickAndWait(cur, outcome.locator('button[type=submit]'));
      t.assert((await cur.locator('section#outcome-section').innerHTML()).includes('<strong>ready to replicate</strong>'),
        'the outcome is shown, its Markdown rendered');
      t.eq(await cur.locator('section#outcome-section ol li').count(), 2, 'the decisions');
      const actions = cur.locator('section#actions-section');
      await actions.locator('summary').click();
      await actions.locator('#a-what').fill(action);
      await actions.locator('#a-owner').selectOption(OWNER);
      await actions.locator('#a-due').fill(local(30, '').slice(0, 10));
      await actions.locator('#a-cases').fill(cases[0]);
      await t.clickAndWait(cur, actions.locator('button[type=submit]', { hasText: 'Add an action item' }));
      t.assert((await cur.locator('section#actions-section ul.actions-list').innerText()).includes(action),
        'the action item is on the event page');
    });

    await t.step(anon, 'the case page shows where it was presented', async () => {
      for (const c of cases) {
        await t.goto(anon, `/cases/${c}`);
        const at = anon.locator('section#presented-at');
        t.eq(await at.locator(`a[href="/events/${id}"]`).count(), 1, `case ${c} shows "Presented at" the event`);
      }
    });

    await t.step(anon, 'the organisation\'s page shows the action item it owns', async () => {
      await t.goto(anon, `/organisations/${OWNER}`);
      const text = await anon.locator('ul.actions-list').innerText();
      t.assert(text.includes(action), `the action item on LAN's page: ${text.slice(0, 300)}`);
    });

    await t.check(anonCtx, anon, 'event (with outcome)', `/events/${id}`);
    await t.check(anonCtx, anon, 'events', '/events?when=past');
    await t.check(anonCtx, anon, 'organisation (action items)', `/organisations/${OWNER}`);
    await t.check(curCtx, cur, 'event (curator, forms)', `/events/${id}`);
    t.finish();
  });
}
