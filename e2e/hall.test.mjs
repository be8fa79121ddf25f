// The exhibition hall in a real browser: a family of three books in Chinese
// on a phone; a class of 40 is refused in English with the reason; at the
// door, on a phone, the family is admitted with two of three people and the
// figures move by one group and two person-visits; a visitor who did not
// come, once the strike limit is reached, is refused the next booking with
// the day they may book again.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { launchBrowser, login, newPage, startServer } from "./lib/harness.mjs";

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const PHONE = { viewport: { width: 375, height: 800 }, hasTouch: true, isMobile: true };

async function fits(page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

/// Books the first slot with room, as a family; returns the holder's page.
async function bookFamily(page, base, lang, people, name, phone) {
  await page.goto(`${base}/hall?lang=${lang}`);
  assert.ok(await fits(page), "the calendar fits a phone");
  await page.click('[data-test="book-slot"] >> nth=0');
  await page.check('[data-test="kind-individual"]');
  await page.fill('[data-test="people"]', String(people));
  await page.fill('[data-test="contact-name"]', name);
  await page.fill('[data-test="phone"]', phone);
  await page.check('[data-test="consent"]');
  await Promise.all([page.waitForURL(/\/hall\/r\//), page.click('[data-test="book-submit"]')]);
  return page.url().split("?")[0];
}

async function totals(page, base, from) {
  // Up to two days ahead: in the evening the first slot with room is tomorrow's.
  const to = new Date(Date.now() + 2 * 86400000).toISOString().slice(0, 10);
  await page.goto(`${base}/hall/figures?from=${from}&to=${to}&lang=en`);
  const n = async (t) => parseInt(await page.textContent(`[data-test="${t}"]`), 10);
  return { groups: await n("total-groups"), visits: await n("total-visits") };
}

test("a family of three books in Chinese on a phone and is admitted with two at the door", async () => {
  const family = await newPage(browser, server.base, PHONE);
  const holder = await bookFamily(family.page, server.base, "zh-CN", 3, "王芳", "+86 138 0000 2468");
  assert.equal(await family.page.getAttribute('[data-test="reservation-status"]', "data-status"), "confirmed");
  assert.ok((await family.page.textContent('[data-test="notice"]')).includes("预约成功"));
  assert.equal(await family.page.locator('[data-test="hall-ticket"] svg').count(), 1);
  assert.ok(await fits(family.page), "the ticket fits a phone");
  const code = (await family.page.textContent('[data-test="ticket-code"]')).trim();
  const ics = await family.page.evaluate(async (u) => (await fetch(u)).text(), `${holder}/ticket.ics`);
  assert.match(ics, /BEGIN:VEVENT/);

  const staff = await newPage(browser, server.base);
  await login(staff.page, server.base, "staff", "en");
  const today = new Date().toISOString().slice(0, 10);
  const from = new Date(Date.now() - 2 * 86400000).toISOString().slice(0, 10);
  const before = await totals(staff.page, server.base, from);

  // At the door, on a phone, in Chinese: two of the three came.
  const door = await newPage(browser, server.base, PHONE);
  await login(door.page, server.base, "staff", "zh-CN");
  await door.page.goto(`${server.base}/hall/door`);
  assert.ok(await fits(door.page), "the door page fits a phone");
  await door.page.waitForSelector('[data-test="net"][data-online="yes"]');
  await door.page.fill('[data-test="checkin-code"]', code.toLowerCase());
  await door.page.fill('[data-test="heads"]', "2");
  await door.page.click('[data-test="checkin-submit"]');
  const shown = await door.page.waitForSelector('[data-test="checkin-result"][data-result="ok"], [data-test="checkin-result"][data-result="confirm"]');
  if ((await shown.getAttribute("data-result")) === "confirm") {
    // Outside the arrival window (the test runs at any hour): a second look.
    await door.page.click('[data-test="confirm-admit"]');
    await door.page.waitForSelector('[data-test="checkin-result"][data-result="ok"]');
  }
  const said = await door.page.textContent('[data-test="checkin-result"]');
  assert.ok(said.includes("已入场") && said.includes("王芳"), said);
  // Scanned again: already admitted.
  await door.page.type('[data-test="checkin-code"]', code + "\n");
  await door.page.waitForSelector('[data-test="checkin-result"][data-result="already"]');

  const after = await totals(staff.page, server.base, from);
  assert.deepEqual({ groups: after.groups - before.groups, visits: after.visits - before.visits }, { groups: 1, visits: 2 });
  // The holder's page says who came.
  await family.page.goto(holder);
  assert.equal(await family.page.getAttribute('[data-test="reservation-status"]', "data-status"), "admitted");
  assert.equal((await family.page.textContent('[data-test="admitted"]')).trim(), "2");
  assert.ok(today);
  for (const p of [family, staff, door]) {
    assert.deepEqual(p.foreign, []);
    assert.deepEqual(p.cspErrors, []);
  }
  await Promise.all([family, staff, door].map((p) => p.context.close()));
});

test("a class of 40 is refused above the per-reservation cap, with the reason in English", async () => {
  const teacher = await newPage(browser, server.base);
  await teacher.page.goto(`${server.base}/hall?lang=en`);
  await teacher.page.click('[data-test="book-slot"] >> nth=0');
  await teacher.page.check('[data-test="kind-group"]');
  assert.ok(await teacher.page.isVisible('[data-test="organisation"]'), "groups give their organisation");
  await teacher.page.fill('[data-test="people"]', "40");
  await teacher.page.fill('[data-test="organisation"]', "Wenjiang Experimental Primary School");
  await teacher.page.fill('[data-test="contact-name"]', "Ms Li");
  await teacher.page.fill('[data-test="phone"]', "13900001357");
  await teacher.page.check('[data-test="consent"]');
  await teacher.page.click('[data-test="book-submit"]');
  const summary = await teacher.page.waitForSelector('[data-test="form-error"]');
  const text = await summary.textContent();
  assert.ok(text.includes("at most 30 people") && text.includes("split the group"), text);
  assert.equal(await teacher.page.inputValue('[data-test="organisation"]'), "Wenjiang Experimental Primary School");
  await teacher.context.close();
});

test("a no-show reaching the strike limit is refused at the next booking with the day it may book again", async () => {
  // Its own server: the second run is fifteen days later, on the same database.
  const first = await startServer({ dir: (await import("node:fs")).mkdtempSync((await import("node:path")).join((await import("node:os")).tmpdir(), "liaison-hall-")) });
  const admin = await newPage(browser, first.base);
  await login(admin.page, first.base, "admin", "en");
  await admin.page.goto(`${first.base}/hall/manage`);
  await admin.page.fill('[data-test="strike_limit"]', "1");
  await Promise.all([admin.page.waitForURL(/notice=saved/), admin.page.click('[data-test="save-hall"]')]);
  const visitor = await newPage(browser, first.base, PHONE);
  await bookFamily(visitor.page, first.base, "en", 2, "Tom Green", "+86 137 0000 1111");
  const when = await visitor.page.textContent('[data-test="when"]');
  await Promise.all([admin.context.close(), visitor.context.close()]);
  await first.stop({ keep: true });

  const later = await startServer({ dir: first.dir, env: { LIAISON_CLOCK_SHIFT_HOURS: "360" } });
  try {
    const again = await newPage(browser, later.base, PHONE);
    await again.page.goto(`${later.base}/hall?lang=en`);
    await again.page.click('[data-test="book-slot"] >> nth=0');
    await again.page.check('[data-test="kind-individual"]');
    await again.page.fill('[data-test="people"]', "2");
    await again.page.fill('[data-test="contact-name"]', "Tom Green");
    await again.page.fill('[data-test="phone"]', "137 0000 1111");
    await again.page.check('[data-test="consent"]');
    await again.page.click('[data-test="book-submit"]');
    const alert = await again.page.waitForSelector('[data-test="alert"]');
    const text = await alert.textContent();
    // The first visit's day, thirty days on.
    const months = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };
    const m = when.match(/(\d{1,2}) ([A-Z][a-z]{2}) (\d{4})/);
    const day = new Date(Date.UTC(+m[3], months[m[2]], +m[1] + 30)).toISOString().slice(0, 10);
    assert.ok(text.includes(`until ${day}`), `${text} (expected until ${day})`);
    assert.ok(await fits(again.page));
    await again.context.close();
  } finally {
    await later.stop({ keep: false });
  }
});
