// Matchmaking in a real browser: staff narrow the demo matchmaking morning
// to one slot at one table; a Swiss medtech buyer (English, phone) asks a
// Chengdu enterprise whose profile is in Chinese only; the enterprise
// accepts in Chinese (desktop); both agendas show the same table and time;
// a second agreed meeting waits for a place; the buyer cancels and the
// freed slot goes to the waiting meeting.
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

async function registerAs(page, base, eventId, name, email, lang) {
  await page.goto(`${base}/events/${eventId}?lang=${lang}`);
  await page.fill('[data-test="name-0"]', name);
  await page.fill('[data-test="email-0"]', email);
  await page.check('[data-test="consent"]');
  await Promise.all([page.waitForURL(/\/tickets\//), page.click('[data-test="register"]')]);
  await Promise.all([page.waitForURL(/\/meet\//), page.click('[data-test="ticket-matchmaking"]')]);
  return page.url().split("?")[0];
}

/// Registers and makes a profile over the JSON API (no cookies): the people
/// of the waiting meeting.
async function apiPerson(eventId, name) {
  const email = `${name.toLowerCase().replace(/ /g, ".")}@example.org`;
  const r = await fetch(`${server.base}/api/v1/events/${eventId}/registrations`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ participants: [{ name, email }], consent: true }),
  });
  assert.equal(r.status, 201, await r.clone().text());
  const reg = await r.json();
  const secret = reg.manage_url.replace("/tickets/", "");
  const participant = reg.tickets[0].participant_id;
  const p = await fetch(`${server.base}/api/v1/matchmaking/participants/${participant}/profile`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ secret, name, organisation_en: `${name} Ltd`, languages: ["en"] }),
  });
  assert.equal(p.status, 200, await p.clone().text());
  return { secret, participant, profile: (await p.json()).id };
}

async function apiPost(path, body) {
  const r = await fetch(`${server.base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: r.status, body: await r.json() };
}

test("a Swiss buyer meets a Chengdu enterprise; a cancellation gives the slot to a waiting meeting", async () => {
  const events = await (await fetch(`${server.base}/api/v1/events`)).json();
  const ev = events.items.find((e) => e.title_en === "Sino-Swiss medtech matchmaking");
  assert.ok(ev, "the demo matchmaking event");

  // Staff narrow it to one slot and one table (no meeting is placed yet).
  const staff = await newPage(browser, server.base);
  await login(staff.page, server.base, "staff", "en");
  await staff.page.goto(`${server.base}/events/${ev.id}/manage`);
  await Promise.all([staff.page.waitForURL(/\/matchmaking$/), staff.page.click('[data-test="matchmaking-link"]')]);
  const start = await staff.page.inputValue('[data-test="mm-window-start-0"]');
  const [h, m] = start.split(":").map(Number);
  const end = `${String(h + Math.floor((m + 20) / 60)).padStart(2, "0")}:${String((m + 20) % 60).padStart(2, "0")}`;
  await staff.page.fill('[data-test="mm-window-end-0"]', end);
  for (const box of await staff.page.locator('input[name="table_remove"]').all()) {
    if ((await box.getAttribute("value")) !== "1") await box.check();
  }
  await Promise.all([staff.page.waitForURL(/notice=saved/), staff.page.click('[data-test="mm-setup-save"]')]);
  assert.match(await staff.page.textContent('[data-test="mm-slots"] summary'), /^1 meeting slots?/);

  // The Chengdu enterprise registers in Chinese and writes its profile in Chinese only.
  const maker = await newPage(browser, server.base, { viewport: { width: 1280, height: 900 } });
  const makerHome = await registerAs(maker.page, server.base, ev.id, "张敏", "zhangmin@rongkang.example", "zh-CN");
  await maker.page.click('[data-test="mm-make-profile"]');
  await maker.page.fill('[data-test="mm-org-zh"]', "成都蓉康医疗科技有限公司");
  await maker.page.selectOption('[data-test="mm-country"]', "CN");
  await maker.page.selectOption('[data-test="mm-sector"]', "medical_devices");
  await maker.page.selectOption('[data-test="mm-entry-side-0"]', "offer");
  await maker.page.selectOption('[data-test="mm-entry-topic-0"]', "product");
  await maker.page.fill('[data-test="mm-entry-zh-0"]', "一次性电子内窥镜，已获国内注册证");
  await Promise.all([maker.page.waitForURL(/notice=profile/), maker.page.click('[data-test="mm-profile-save"]')]);
  assert.match(await maker.page.textContent('[data-test="notice"]'), /资料已保存/);

  // The Swiss buyer, in English on a phone.
  const buyer = await newPage(browser, server.base, PHONE);
  const buyerHome = await registerAs(buyer.page, server.base, ev.id, "Lukas Meier", "lukas@helvetic-medical.example", "en");
  assert.ok(await fits(buyer.page), "the matchmaking page fits a phone");
  await buyer.page.click('[data-test="mm-make-profile"]');
  await buyer.page.fill('[data-test="mm-org-en"]', "Helvetic Medical Supply AG");
  await buyer.page.selectOption('[data-test="mm-country"]', "CH");
  await buyer.page.check('[data-test="languages-en"]');
  await buyer.page.check('[data-test="languages-de"]');
  await buyer.page.selectOption('[data-test="mm-entry-side-0"]', "need");
  await buyer.page.selectOption('[data-test="mm-entry-topic-0"]', "product");
  await buyer.page.fill('[data-test="mm-entry-en-0"]', "Single-use endoscopes for Swiss hospitals");
  await Promise.all([buyer.page.waitForURL(/notice=profile/), buyer.page.click('[data-test="mm-profile-save"]')]);
  await buyer.page.click('[data-test="mm-find"]');
  assert.ok(await fits(buyer.page), "the catalogue fits a phone");
  await buyer.page.selectOption('[data-test="mm-filter-country"]', "CN");
  await buyer.page.selectOption('[data-test="mm-filter-topic"]', "product");
  await Promise.all([buyer.page.waitForURL(/country=CN/), buyer.page.click('[data-test="mm-filter-go"]')]);
  const card = buyer.page.locator('[data-test="mm-catalogue"] [data-test="mm-card"]', { hasText: "张敏" });
  assert.equal(await card.count(), 1, "the enterprise is found by country and topic");
  await card.locator('[data-test="mm-person-link"]').click();
  // Chinese-only texts are shown as they are, and say so (no machine translation).
  assert.match(await buyer.page.textContent('[data-test="mm-person-entries"]'), /一次性电子内窥镜/);
  assert.match(await buyer.page.textContent('[data-test="mm-missing"]'), /Chinese only/);
  await buyer.page.fill('[data-test="mm-ask-message"]', "We buy 2,000 scopes a year; can we meet?");
  await Promise.all([buyer.page.waitForURL(/notice=asked/), buyer.page.click('[data-test="mm-ask"]')]);
  assert.equal(await buyer.page.locator('[data-test="mm-sent-item"]').count(), 1);

  // The enterprise accepts, in Chinese.
  await maker.page.goto(makerHome);
  const request = maker.page.locator('[data-test="mm-received-item"]', { hasText: "Lukas Meier" });
  assert.match(await request.textContent(), /We buy 2,000 scopes/);
  await Promise.all([maker.page.waitForURL(/notice=accepted/), request.locator('[data-test="mm-accept"]').click()]);
  const makerWhen = (await maker.page.textContent('[data-test="mm-agenda-row"] [data-test="mm-when"]')).trim();
  const makerTable = (await maker.page.textContent('[data-test="mm-agenda-row"] [data-test="mm-table"]')).trim();
  assert.match(makerTable, /^1/);

  // The buyer sees the same time and table.
  await buyer.page.goto(buyerHome);
  assert.equal((await buyer.page.textContent('[data-test="mm-agenda-row"] [data-test="mm-when"]')).trim(), makerWhen);
  assert.equal((await buyer.page.textContent('[data-test="mm-agenda-row"] [data-test="mm-table"]')).trim(), makerTable);
  assert.ok(await fits(buyer.page), "the agenda fits a phone");
  const ics = await buyer.page.evaluate(async (u) => (await fetch(u)).text(), `${buyerHome}/agenda.ics`);
  assert.match(ics, /UID:mm-[^\r\n]+@liaison/);
  assert.match(ics, /SEQUENCE:1/);

  // Two others agree to meet: no table is left at that time, so it waits.
  const c = await apiPerson(ev.id, "Chen Jie");
  const d = await apiPerson(ev.id, "Dana Wolf");
  const asked = await apiPost(`/api/v1/matchmaking/participants/${c.participant}/meetings`, { secret: c.secret, invitee_id: d.profile });
  assert.equal(asked.status, 201);
  const accepted = await apiPost(`/api/v1/matchmaking/participants/${d.participant}/meetings/${asked.body.id}/accept`, { secret: d.secret });
  assert.equal(accepted.status, 200);
  assert.equal(accepted.body.starts_at, null, "it waits for a place");

  // The buyer cancels; the waiting meeting moves into the freed slot.
  buyer.page.once("dialog", (dlg) => dlg.accept());
  await Promise.all([buyer.page.waitForURL(/notice=cancelled/), buyer.page.click('[data-test="mm-agenda-row"] [data-test="mm-cancel"]')]);
  assert.equal(await buyer.page.locator('[data-test="mm-agenda-row"]').count(), 0);
  const agenda = await (await fetch(`${server.base}/api/v1/matchmaking/participants/${d.participant}/agenda?secret=${d.secret}`)).json();
  assert.equal(agenda.items.length, 1);
  assert.equal(agenda.items[0].id, asked.body.id);
  assert.equal(agenda.items[0].table, 1);
  await maker.page.goto(makerHome);
  assert.equal(await maker.page.locator('[data-test="mm-agenda-row"]').count(), 0);

  // Staff see it on the day sheet and the table card.
  await staff.page.goto(`${server.base}/events/${ev.id}/matchmaking/tables`);
  assert.match(await staff.page.textContent('[data-test="mm-table-card"]'), /Chen Jie/);
});
