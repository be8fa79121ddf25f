// Events in a real browser: staff publish an event; a group of three
// registers in English and gets three tickets; the event fills, the next
// person waits and moves up when the group cancels; at the door, on a phone
// page in Chinese, a typed code checks in once and is refused the second time.
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

function dayAhead(days) {
  const d = new Date(Date.now() + days * 86400000);
  return d.toISOString().slice(0, 10);
}

async function registerAs(page, base, eventId, people, lang = "en") {
  await page.goto(`${base}/events/${eventId}?lang=${lang}&people=${people.length}`);
  for (const [i, p] of people.entries()) {
    await page.fill(`[data-test="name-${i}"]`, p.name);
    if (p.email) await page.fill(`[data-test="email-${i}"]`, p.email);
  }
  await page.check('[data-test="consent"]');
  await Promise.all([page.waitForURL(/\/tickets\//), page.click('[data-test="register"]')]);
  return page.url().split("?")[0];
}

test("a group of three, a waiting list that moves up, and check-in at the door", async () => {
  const staff = await newPage(browser, server.base);
  await login(staff.page, server.base, "staff", "en");
  await staff.page.click('[data-test="nav-events"]');
  await staff.page.click('[data-test="new-event"]');
  await staff.page.selectOption('[data-test="kind"]', "salon");
  await staff.page.fill('[data-test="title-zh"]', "生物医药出海沙龙");
  await staff.page.fill('[data-test="title-en"]', "Biopharma going-global salon");
  await staff.page.fill('[data-test="date"]', dayAhead(20));
  await staff.page.fill('[data-test="capacity"]', "4");
  await Promise.all([staff.page.waitForURL(/\/manage$/), staff.page.click('[data-test="submit"]')]);
  const eventId = staff.page.url().split("/events/")[1].split("/")[0];
  await Promise.all([staff.page.waitForURL(/notice=saved/), staff.page.click('[data-test="to-registration_open"]')]);
  assert.equal(await staff.page.getAttribute('[data-test="event-status"]', "class"), "status status--registration_open");

  // A group of three, in English, without an account: three tickets.
  const group = await newPage(browser, server.base);
  const groupPage = await registerAs(group.page, server.base, eventId, [
    { name: "Ada Lovelace", email: "ada@example.org" }, { name: "Charles Babbage" }, { name: "Mary Somerville" },
  ]);
  assert.equal(await group.page.locator('[data-test="ticket"]').count(), 3);
  assert.equal(await group.page.locator('[data-test="ticket"] svg').count(), 3, "a QR code on each");
  const codes = await group.page.$$eval('[data-test="ticket-code"]', (els) => els.map((e) => e.textContent.trim()));
  assert.equal(new Set(codes).size, 3);

  // One more fills the event; the next waits.
  const fourth = await newPage(browser, server.base);
  await registerAs(fourth.page, server.base, eventId, [{ name: "Zhang Wei", email: "zhang@example.org" }]);
  assert.equal(await fourth.page.getAttribute('[data-test="registration-status"]', "data-status"), "confirmed");
  const fifth = await newPage(browser, server.base);
  const fifthPage = await registerAs(fifth.page, server.base, eventId, [{ name: "Lin Na", email: "lin@example.org" }]);
  assert.equal(await fifth.page.getAttribute('[data-test="registration-status"]', "data-status"), "waitlisted");
  assert.ok(await fifth.page.isVisible('[data-test="waitlisted-note"]'));

  // The group cancels; the waiting person moves up and gets a ticket.
  group.page.once("dialog", (d) => d.accept());
  await Promise.all([group.page.waitForURL(/notice=cancelled/), group.page.click('[data-test="cancel-registration"]')]);
  await fifth.page.goto(fifthPage);
  assert.equal(await fifth.page.getAttribute('[data-test="registration-status"]', "data-status"), "confirmed");
  assert.equal(await fifth.page.locator('[data-test="ticket"]').count(), 1);
  const code = (await fifth.page.textContent('[data-test="ticket-code"]')).trim();

  // At the door: a phone, in Chinese, the code typed in.
  const door = await newPage(browser, server.base, { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  await login(door.page, server.base, "staff", "zh-CN");
  await door.page.goto(`${server.base}/events/${eventId}/checkin`);
  const noOverflow = await door.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  assert.ok(noOverflow, "the check-in page fits a phone");
  await door.page.waitForSelector('[data-test="net"][data-online="yes"]');
  await door.page.fill('[data-test="checkin-code"]', code.toLowerCase());
  await door.page.click('[data-test="checkin-submit"]');
  await door.page.waitForSelector('[data-test="checkin-result"][data-result="ok"]');
  assert.ok((await door.page.textContent('[data-test="checkin-result"]')).includes("签到成功"));
  assert.ok((await door.page.textContent('[data-test="checkin-name"]')).includes("Lin Na"));
  // A keyboard-wedge scanner types the code and Enter.
  await door.page.fill('[data-test="checkin-code"]', "");
  await door.page.type('[data-test="checkin-code"]', code + "\n");
  await door.page.waitForSelector('[data-test="checkin-result"][data-result="already"]');
  assert.ok((await door.page.textContent('[data-test="checkin-result"]')).includes("已签到过"));
  for (const p of [staff, group, fourth, fifth, door]) {
    assert.deepEqual(p.foreign, []);
    assert.deepEqual(p.cspErrors, []);
  }
  await Promise.all([staff, group, fourth, fifth, door].map((p) => p.context.close()));
});

test("check-in keeps working offline and the server settles duplicates when the network returns", async () => {
  // An event with two people, registered over the API by staff.
  const staff = await newPage(browser, server.base);
  await login(staff.page, server.base, "staff", "en");
  const api = async (method, path, body) => staff.page.evaluate(async ([m, p, b]) => {
    const csrf = JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRF-Token"];
    const r = await fetch(p, { method: m, headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf }, body: b ? JSON.stringify(b) : undefined });
    return { status: r.status, json: await r.json() };
  }, [method, path, body]);
  const start = new Date(Date.now() + 3 * 86400000).toISOString().slice(0, 10);
  const ev = await api("POST", "/api/v1/events", { kind: "exchange", title_zh: "交流会", title_en: "Exchange meeting",
    starts_at: `${start}T09:00:00+08:00`, ends_at: `${start}T11:00:00+08:00`, capacity: 10 });
  assert.equal(ev.status, 201);
  await api("POST", `/api/v1/events/${ev.json.id}/transition`, { to: "registration_open" });
  const reg = await api("POST", `/api/v1/events/${ev.json.id}/registrations`, {
    participants: [{ name: "Offline One", email: "one@example.org" }, { name: "Offline Two" }], consent: true });
  const [one, two] = reg.json.tickets.map((t) => t.code);

  const door = await newPage(browser, server.base, { viewport: { width: 390, height: 844 } });
  await login(door.page, server.base, "staff", "en");
  await door.page.goto(`${server.base}/events/${ev.json.id}/checkin`);
  await door.page.waitForSelector('[data-test="net"][data-online="yes"]');
  // Where the browser has no QR BarcodeDetector, the camera falls back on the
  // vendored jsQR: it reads the holder's own ticket PNG back to its code.
  const png = `${server.base}${reg.json.manage_url}/qr/${one}.png`;
  const read = await door.page.evaluate(async (src) => {
    const img = new Image();
    img.src = src;
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = img.naturalWidth + 40;
    canvas.height = img.naturalHeight + 40;
    const g = canvas.getContext("2d");
    g.fillStyle = "#fff";
    g.fillRect(0, 0, canvas.width, canvas.height);
    g.drawImage(img, 20, 20);
    return window.liaisonReadQr(canvas);
  }, png);
  assert.equal(read && read.replace(/-/g, ""), one, "the vendored decoder reads our ticket QR");
  await door.context.setOffline(true);
  await door.page.waitForSelector('[data-test="net"][data-online="no"]');
  await door.page.fill('[data-test="checkin-code"]', one);
  await door.page.click('[data-test="checkin-submit"]');
  await door.page.waitForSelector('[data-test="checkin-result"][data-result="ok"]');
  assert.ok((await door.page.textContent('[data-test="checkin-name"]')).includes("Offline One"));
  // The same code again on this device: refused from its own list.
  await door.page.fill('[data-test="checkin-code"]', one);
  await door.page.click('[data-test="checkin-submit"]');
  await door.page.waitForSelector('[data-test="checkin-result"][data-result="already"]');
  await door.page.fill('[data-test="checkin-code"]', two);
  await door.page.click('[data-test="checkin-submit"]');
  await door.page.waitForSelector('[data-test="checkin-result"][data-result="ok"]');
  assert.ok((await door.page.textContent('[data-test="net"]')).includes("2"), "two waiting to sync");
  // Meanwhile another device, online, checks Two in first.
  const other = await api("POST", "/api/v1/checkins", { event_id: ev.json.id, code: two, device: "gate-2" });
  assert.equal(other.status, 200);
  // The network returns: the queue syncs, the duplicate is reported here.
  await door.context.setOffline(false);
  await door.page.waitForSelector('[data-test="net"][data-online="yes"]');
  await door.page.waitForSelector('[data-test="sync-conflicts"] p');
  assert.ok((await door.page.textContent('[data-test="sync-conflicts"]')).includes("gate-2"));
  const att = await api("GET", `/api/v1/events/${ev.json.id}/attendance`);
  assert.equal(att.json.checked_in, 2, "each ticket counted once");
  assert.deepEqual(door.cspErrors, []);
  await Promise.all([staff.context.close(), door.context.close()]);
});

test("the staff's event page counts check-ins as they happen, by category and country", async () => {
  const staff = await newPage(browser, server.base);
  await login(staff.page, server.base, "staff", "en");
  const api = async (method, path, body) => staff.page.evaluate(async ([m, p, b]) => {
    const csrf = JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRF-Token"];
    const r = await fetch(p, { method: m, headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf }, body: b ? JSON.stringify(b) : undefined });
    return { status: r.status, json: await r.json() };
  }, [method, path, body]);
  const day = dayAhead(4);
  const ev = await api("POST", "/api/v1/events", { kind: "salon", title_zh: "生物医药沙龙", title_en: "Biopharma salon",
    starts_at: `${day}T14:00:00+08:00`, ends_at: `${day}T16:00:00+08:00`, capacity: 10 });
  assert.equal(ev.status, 201);
  await api("POST", `/api/v1/events/${ev.json.id}/transition`, { to: "registration_open" });
  const reg = await api("POST", `/api/v1/events/${ev.json.id}/registrations`, {
    participants: [{ name: "Hans Müller", email: "hans@example.org", country: "DE" }], consent: true });
  assert.equal(reg.status, 201);

  await staff.page.goto(`${server.base}/events/${ev.json.id}/manage`);
  assert.equal((await staff.page.textContent('[data-test="count-checked-in"]')).trim(), "0");
  assert.ok((await staff.page.textContent('[data-test="by-country"]')).includes("Germany"));
  // Someone at the door checks Hans in; the open page catches up by itself.
  const r = await api("POST", "/api/v1/checkins", { event_id: ev.json.id, code: reg.json.tickets[0].code, device: "gate-1" });
  assert.equal(r.status, 200);
  await staff.page.waitForFunction(
    () => document.querySelector('[data-test="count-checked-in"]')?.textContent.trim() === "1",
    null, { timeout: 12000 });
  assert.ok((await staff.page.textContent('[data-test="by-country"]')).includes("Germany"));
  await staff.context.close();
});
