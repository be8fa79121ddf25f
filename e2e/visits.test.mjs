// A delegation visit in a real browser: a consulate asks for a visit in
// English; staff approve it in Chinese, add an itinerary item in a room with
// an interpreter, seat the guests and print the name cards.
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

/** A working day at least a week ahead, as YYYY-MM-DD. */
function workingDayAhead() {
  const d = new Date(Date.now() + 9 * 86400000);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

async function chooseByText(page, selector, text) {
  const value = await page.$eval(selector, (el, t) => [...el.options].find((o) => o.text.includes(t)).value, text);
  await page.selectOption(selector, value);
}

test("a consulate asks in English; staff approve in Chinese, plan an item with a room and an interpreter, print name cards", async () => {
  const date = workingDayAhead();
  // The consulate, on a phone, in English, without an account.
  const guest = await newPage(browser, server.base, { viewport: { width: 390, height: 844 } });
  await guest.page.goto(`${server.base}/visit-request?lang=en`);
  await guest.page.fill('[data-test="organisation-name"]', "Consulate General of Italy in Chongqing");
  await guest.page.selectOption('[data-test="organisation-type"]', "embassy_consulate");
  await guest.page.selectOption('[data-test="country"]', "IT");
  await guest.page.fill('[data-test="purpose"]', "Biomedical cooperation with Chengdu Medical City");
  await guest.page.fill('[data-test="preferred-from"]', date);
  await guest.page.fill('[data-test="preferred-to"]', date);
  await guest.page.fill('[data-test="party-size"]', "4");
  await guest.page.fill('[data-test="languages"]', "it, en");
  await guest.page.fill('[data-test="contact-name"]', "Giulia Rossi");
  await guest.page.fill('[data-test="contact-email"]', "g.rossi@example.it");
  await guest.page.check('[data-test="consent"]');
  const noOverflow = await guest.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  assert.ok(noOverflow, "the request form fits a phone");
  await Promise.all([guest.page.waitForURL(/\/visit-request\/done/), guest.page.click('[data-test="submit"]')]);
  const done = await guest.page.textContent('[data-test="request-done"]');
  const reference = done.match(/V-\d{4}-\d{3}/)[0];
  assert.ok(done.includes("Thank you"), done);
  assert.deepEqual(guest.foreign, []);
  assert.deepEqual(guest.cspErrors, []);

  // Staff, in Chinese, find it and approve it.
  const staff = await newPage(browser, server.base);
  await login(staff.page, server.base, "staff", "zh-CN");
  await staff.page.click('[data-test="nav-visits"]');
  await Promise.all([staff.page.waitForURL(/\/visits\/[0-9a-f-]+$/), staff.page.click(`text=${reference}`)]);
  assert.equal(await staff.page.getAttribute('[data-test="visit-status"]', "data-status"), "request_received");
  assert.equal((await staff.page.textContent('[data-test="visit-status"]')).trim(), "已收到申请");
  await Promise.all([staff.page.waitForURL(/notice=visit-moved/), staff.page.click('[data-test="to-approved"]')]);
  assert.equal((await staff.page.textContent('[data-test="visit-status"]')).trim(), "已批准");
  await Promise.all([staff.page.waitForURL(/notice=visit-moved/), staff.page.click('[data-test="to-planning"]')]);
  assert.equal(await staff.page.getAttribute('[data-test="visit-status"]', "data-status"), "planning");

  // A member of the delegation.
  await staff.page.click('[data-test="add-member"] summary');
  await staff.page.fill('[data-test="member-surname"]', "Rossi");
  await staff.page.fill('[data-test="member-given-name"]', "Giulia");
  await staff.page.fill('[data-test="member-name-zh"]', "罗西");
  await staff.page.fill('[data-test="member-title-zh"]', "总领事");
  await staff.page.fill('[data-test="member-title-en"]', "Consul General");
  await staff.page.check('[data-test="member-head"]');
  await Promise.all([staff.page.waitForURL(/notice=visit-notice-saved/), staff.page.click('[data-test="member-submit"]')]);
  assert.equal(await staff.page.locator('[data-test="member-row"]').count(), 1);

  // Talks in Negotiation Room A.
  await staff.page.click('[data-test="add-item"] summary');
  await staff.page.selectOption('[data-test="item-kind"]', "talks");
  await staff.page.fill('[data-test="item-title-zh"]', "医疗器械合作会谈");
  await staff.page.fill('[data-test="item-title-en"]', "Talks on medical device cooperation");
  assert.equal(await staff.page.inputValue('[data-test="item-date"]'), date, "the visit's date is offered");
  await chooseByText(staff.page, '[data-test="item-room"]', "洽谈室A");
  await staff.page.fill('[data-test="item-start"]', "10:00");
  await staff.page.fill('[data-test="item-end"]', "11:00");
  await Promise.all([staff.page.waitForURL(/notice=visit-notice-saved/), staff.page.click('[data-test="item-submit"]')]);
  assert.equal(await staff.page.locator('[data-test="item-row"]').count(), 1);
  assert.ok((await staff.page.textContent('[data-test="item-row"]')).includes("洽谈室A"));

  // An interpreter for English: ask who is free and qualified, assign the first.
  await Promise.all([staff.page.waitForURL(/\/visits\/items\//), staff.page.click('[data-test="item-link"]')]);
  await staff.page.selectOption('[data-test="suggest-language"]', "en");
  await Promise.all([staff.page.waitForURL(/language=en/), staff.page.click('[data-test="suggest"]')]);
  const first = (await staff.page.locator('[data-test="suggestion"]').first().textContent()).trim();
  assert.ok(first.includes("陈译 Chen Yi"), `senior English interpreter first: ${first}`);
  await Promise.all([staff.page.waitForURL(/notice=visit-notice-saved/), staff.page.locator('[data-test="assign"]').first().click()]);
  assert.equal(await staff.page.getAttribute('[data-test="assignment"]', "data-status"), "offered");

  // Seat the delegation from its members and print the name cards.
  await Promise.all([staff.page.waitForURL(/notice=visit-notice-saved/), staff.page.click('[data-test="seating-fill"]')]);
  assert.equal(await staff.page.inputValue('[data-test="seat-guest"] >> nth=0 >> [data-test="seat-name-other"]'), "ROSSI Giulia");
  await Promise.all([staff.page.waitForURL(/\/cards$/), staff.page.click('[data-test="name-cards"]')]);
  const cards = staff.page.locator('[data-test="name-card"]');
  assert.ok((await cards.count()) >= 1);
  assert.equal((await staff.page.textContent('[data-test="name-card"] >> nth=0 >> [data-test="card-zh"]')).trim(), "罗西");
  assert.equal((await staff.page.textContent('[data-test="name-card"] >> nth=0 >> [data-test="card-other"]')).trim(), "ROSSI Giulia");
  await staff.page.emulateMedia({ media: "print" });
  assert.equal(await staff.page.isVisible('[data-test="print"]'), false, "the print bar is not printed");
  const pdf = await staff.page.pdf({ landscape: true, format: "A4" });
  assert.ok(pdf.length > 1000);
  await staff.page.screenshot({ path: "test-results/name-cards.png" });
  assert.deepEqual(staff.foreign, []);
  assert.deepEqual(staff.cspErrors, []);

  // The interpreter sees the offer on their own page and accepts it.
  const interp = await newPage(browser, server.base);
  await login(interp.page, server.base, "interpreter", "en");
  await interp.page.click('[data-test="nav-interpreting"]');
  assert.equal(await interp.page.getAttribute('[data-test="my-assignment"]', "data-status"), "offered");
  await Promise.all([interp.page.waitForURL(/\/interpreting\/mine$/), interp.page.click('[data-test="accept"]')]);
  assert.equal(await interp.page.getAttribute('[data-test="my-assignment"]', "data-status"), "accepted");
  await Promise.all([guest.context.close(), staff.context.close(), interp.context.close()]);
});
