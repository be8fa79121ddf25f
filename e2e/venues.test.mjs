// Venues in a real browser: book a room in Chinese, be refused with
// alternatives in English, approve from the inbox, see it on the week calendar.
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
  const d = new Date(Date.now() + 8 * 86400000);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

async function chooseRoom(page, text) {
  const value = await page.$eval('[data-test="room"]', (el, t) => [...el.options].find((o) => o.text.includes(t)).value, text);
  await page.selectOption('[data-test="room"]', value);
  return value;
}

async function fillBooking(page, { room, zh, en, date, start, end, attendees }) {
  const id = await chooseRoom(page, room);
  await page.fill('[data-test="title-zh"]', zh);
  await page.fill('[data-test="title-en"]', en);
  await page.fill('[data-test="date"]', date);
  await page.fill('[data-test="start"]', start);
  await page.fill('[data-test="end"]', end);
  await page.fill('[data-test="attendees"]', String(attendees));
  return id;
}

test("book in Chinese, refused with alternatives in English, approved from the inbox, on the week calendar", async () => {
  const date = workingDayAhead();
  const staff = await newPage(browser, server.base);
  await login(staff.page, server.base, "staff", "zh-CN");

  await staff.page.goto(`${server.base}/bookings/new`);
  const hall = await fillBooking(staff.page, { room: "国际会议厅", zh: "医疗器械产业发展交流会", en: "Medical equipment industry exchange meeting", date, start: "09:00", end: "11:00", attendees: 120 });
  await Promise.all([staff.page.waitForURL(/\/bookings\/[0-9a-f-]+\?notice=created/), staff.page.click('[data-test="submit"]')]);
  assert.equal(await staff.page.getAttribute('[data-test="status"]', "data-status"), "requested");
  assert.equal((await staff.page.textContent('[data-test="status"]')).trim(), "待审批");

  // Switch to English and ask for an overlapping time in the same hall.
  await Promise.all([staff.page.waitForLoadState("load"), staff.page.click('[data-test="lang-switch"]')]);
  assert.equal(await staff.page.getAttribute("html", "lang"), "en");
  await staff.page.goto(`${server.base}/bookings/new`);
  await fillBooking(staff.page, { room: "International Conference Hall", zh: "签约仪式", en: "Signing ceremony", date, start: "10:00", end: "11:00", attendees: 40 });
  const [response] = await Promise.all([staff.page.waitForResponse((r) => r.url().endsWith("/bookings") && r.request().method() === "POST"), staff.page.click('[data-test="submit"]')]);
  assert.equal(response.status(), 409);
  await staff.page.waitForSelector('[data-test="conflicts"]');
  assert.match(await staff.page.textContent('[data-test="conflicts"]'), /These would work instead:/);
  assert.ok((await staff.page.locator('[data-test="alternative"]').count()) >= 2);
  assert.ok((await staff.page.locator('[data-test="alternative"][data-kind="other_room"]').count()) >= 1);
  // Following an alternative prefills the form with it, and it books.
  await staff.page.locator('[data-test="alternative"][data-kind="other_room"] a').first().click();
  await staff.page.waitForLoadState("load");
  assert.equal(await staff.page.inputValue('[data-test="start"]'), "10:00");
  await Promise.all([staff.page.waitForURL(/notice=created/), staff.page.click('[data-test="submit"]')]);

  // The admin approves the hall request from the inbox.
  const admin = await newPage(browser, server.base);
  await login(admin.page, server.base, "admin", "en");
  await admin.page.click('[data-test="nav-inbox"]');
  await admin.page.waitForSelector('[data-test="inbox-item"]');
  assert.match(await admin.page.textContent('[data-test="inbox-item"]'), /International Conference Hall/);
  await Promise.all([admin.page.waitForURL(/\/inbox\?notice=approved/), admin.page.click('[data-test="inbox-item"] [data-test="approve"]')]);
  assert.ok(await admin.page.isVisible('[data-test="inbox-empty"]'));

  // The organizer sees it confirmed on the hall's week calendar, and was told.
  await staff.page.goto(`${server.base}/venues/rooms/${hall}?view=week&date=${date}`);
  const item = staff.page.locator('[data-test="cal-item"][data-status="confirmed"]', { hasText: "Medical equipment industry exchange meeting" });
  assert.equal(await item.count(), 1);
  assert.match(await item.textContent(), /09:00–11:00/);
  await staff.page.click('[data-test="who"]');
  await staff.page.click('[data-test="nav-notifications"]');
  assert.match(await staff.page.textContent('[data-test="notification"]'), /Booking approved/);
  assert.deepEqual(staff.foreign, []);
  assert.deepEqual(staff.cspErrors, []);
  assert.deepEqual(admin.cspErrors, []);
  await staff.page.setViewportSize({ width: 375, height: 800 });
  await staff.page.goto(`${server.base}/venues/rooms/${hall}?view=day&date=${date}`);
  await staff.page.screenshot({ path: "test-results/room-day-375-en.png", fullPage: true });
  await staff.context.close();
  await admin.context.close();
});

test("the door display is public behind its secret link and refreshes itself", async () => {
  const admin = await newPage(browser, server.base);
  await login(admin.page, server.base, "admin", "zh-CN");
  await admin.page.goto(`${server.base}/venues`);
  await admin.page.locator('[data-test="room"] a').first().click();
  // The admin makes the display's own secret link; it is shown once, whole.
  await admin.page.click('[data-test="room-links"] summary');
  await admin.page.click('[data-test="renew-display"]');
  const address = await admin.page.inputValue('[data-test="new-link-path"]');
  assert.match(address, new RegExp(`^${server.base}/display/[0-9a-f]{64}$`));
  const door = await newPage(browser, server.base, { viewport: { width: 1024, height: 768 } });
  const resp = await door.page.goto(address);
  assert.equal(resp.status(), 200);
  assert.equal(resp.headers()["refresh"], "60");
  assert.match(await door.page.textContent('[data-test="display-state"]'), /空闲|使用中/);
  assert.match(await door.page.textContent('[data-test="display-state"]'), /Available|In use/);
  await door.page.screenshot({ path: "test-results/door-display.png" });
  assert.deepEqual(door.foreign, []);
  await door.context.close();
  await admin.context.close();
});
