// Accessibility: axe-core (npm, pinned) in Chromium over the pages each role
// reaches from its start pages, in Chinese and in English. Fails on any
// "serious" or "critical" finding (WCAG 2.2 A/AA rules, colour contrast
// included) and names the rule, the page and the elements.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { startServer, launchBrowser, newPage, login } from "./lib/harness.mjs";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
// Pages per role and language: the start pages and what they link to.
const MAX_PAGES = Number(process.env.A11Y_MAX_PAGES || 14);
// Links a crawl must not follow: they change state, download files or leave.
const SKIP = /\/logout|\/export\/|\.ics$|\.png$|\.svg$|\.csv$|\.xlsx$|\/badges|\/print|\/api\/|\/static\/|\/checkin/;

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function audit(page) {
  await page.evaluate(AXE);
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return r.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({ rule: v.id, impact: v.impact, targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " — " + (n.failureSummary || "").split("\n").slice(1, 2).join("")) }));
  }, TAGS);
}

async function crawl(role, lang, starts) {
  const { context, page } = await newPage(browser, server.base);
  if (role !== "anonymous") await login(page, server.base, role, lang);
  const seen = new Set();
  const queue = starts.map((s) => `${server.base}${s}${s.includes("?") ? "&" : "?"}lang=${lang}`);
  const findings = [];
  while (queue.length && seen.size < MAX_PAGES) {
    const url = queue.shift();
    const key = url.replace(/[?&]lang=[^&]*/, "");
    if (seen.has(key)) continue;
    seen.add(key);
    const resp = await page.goto(url);
    if (!resp || resp.status() >= 400 || !(resp.headers()["content-type"] || "").startsWith("text/html")) continue;
    for (const v of await audit(page)) findings.push({ page: key.replace(server.base, ""), ...v });
    const links = await page.$$eval("a[href]", (as) => as.map((a) => a.href));
    for (const href of links) {
      if (href.startsWith(server.base) && !SKIP.test(href) && !href.includes("#")) queue.push(href);
    }
  }
  await context.close();
  return { pages: seen.size, findings };
}

const ROLES = {
  anonymous: ["/", "/events", "/visit-request", "/login", "/hall", "/news"],
  staff: ["/dashboard", "/visits", "/events", "/venues", "/bookings/mine", "/hall/day", "/hall/door", "/hall/manage", "/services/queue", "/services/enterprises", "/services/whitelist"],
  admin: ["/dashboard", "/inbox", "/venues", "/admin", "/news/articles", "/services/catalogue", "/services/webhooks", "/services/figures"],
  enterprise: ["/dashboard", "/venues", "/bookings/mine", "/services", "/services/queue", "/services/webhooks"],
  interpreter: ["/dashboard", "/interpreting/mine", "/glossary", "/glossary/findings", "/news/articles/new", "/signs", "/signs/walk"],
  oversight: ["/dashboard", "/hall/figures"],
};

for (const [role, starts] of Object.entries(ROLES)) {
  test(`no serious or critical accessibility finding: ${role}, both languages`, async () => {
    const all = [];
    for (const lang of ["zh-CN", "en"]) {
      const { pages, findings } = await crawl(role, lang, starts);
      assert.ok(pages >= Math.min(starts.length, 2), `${role}/${lang}: crawled ${pages} pages`);
      all.push(...findings.map((f) => ({ lang, ...f })));
    }
    assert.deepEqual(all, [], JSON.stringify(all, null, 1));
  });
}

test("no serious or critical finding on pages no link leads to: ticket, check-in, door display, a refused form, a new link, not found", async () => {
  const all = [];
  const events = await (await fetch(`${server.base}/api/v1/events`)).json();
  const event = events.items.find((e) => e.status === "registration_open") || events.items[0];
  const answer = (q) => ({ text: "Axe", choice: q.choices[0]?.code, multiple: [q.choices[0]?.code], yes_no: true, country: "DE", language: "en" })[q.kind];
  const answers = Object.fromEntries(event.form.filter((q) => q.required).map((q) => [q.id, answer(q)]));
  const reg = await (await fetch(`${server.base}/api/v1/events/${event.id}/registrations`, {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ participants: [{ name: "Axe Tester", email: "axe@example.org" }], answers, consent: true }),
  })).json();
  assert.ok(reg.manage_url, JSON.stringify(reg));
  for (const lang of ["zh-CN", "en"]) {
    const staff = await newPage(browser, server.base);
    await login(staff.page, server.base, "admin", lang);
    staff.page.on("dialog", (d) => d.accept());
    const visit = async (p, path) => {
      await p.goto(`${server.base}${path}${path.includes("?") ? "&" : "?"}lang=${lang}`);
      for (const v of await audit(p)) all.push({ lang, page: path, ...v });
    };
    await visit(staff.page, reg.manage_url);
    await visit(staff.page, `/events/${event.id}/checkin`);
    await visit(staff.page, `/events/${event.id}/manage`);
    await visit(staff.page, "/no/such/page");
    // The hall: a booking form refused, then a holder's page.
    const slots = await (await fetch(`${server.base}/api/v1/hall/slots`)).json();
    const slot = slots.items.find((s) => s.bookable && s.free > 2);
    await staff.page.goto(`${server.base}/hall/book?slot=${slot.key}&lang=${lang}`);
    for (const v of await audit(staff.page)) all.push({ lang, page: "/hall/book", ...v });
    await staff.page.check('[data-test="kind-group"]');
    await staff.page.fill('[data-test="people"]', "40");
    await staff.page.fill('[data-test="contact-name"]', "Axe");
    await staff.page.fill('[data-test="organisation"]', "Axe School");
    await staff.page.fill('[data-test="phone"]', "13900000000");
    await staff.page.check('[data-test="consent"]');
    await Promise.all([staff.page.waitForLoadState(), staff.page.click('[data-test="book-submit"]')]);
    for (const v of await audit(staff.page)) all.push({ lang, page: "/hall/book (refused)", ...v });
    const made = await (await fetch(`${server.base}/api/v1/hall/reservations`, {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ slot: slot.key, kind: "individual", people: 2, contact_name: "Axe", email: `axe-${lang}@example.org`, consent: true }),
    })).json();
    assert.ok(made.page, JSON.stringify(made));
    await visit(staff.page, made.page);
    await visit(staff.page, `/hall/reservations/${made.reservation.id}`);
    // A refused form shows its errors.
    await staff.page.goto(`${server.base}/visit-request?lang=${lang}`);
    await Promise.all([staff.page.waitForLoadState(), staff.page.click('main [data-test="submit"]')]);
    for (const v of await audit(staff.page)) all.push({ lang, page: "/visit-request (refused)", ...v });
    // A new secret link, then the door display it opens.
    await staff.page.goto(`${server.base}/venues?lang=${lang}`);
    await staff.page.locator('[data-test="room"] a').first().click();
    await staff.page.click('[data-test="room-links"] summary');
    await staff.page.click('[data-test="renew-display"]');
    for (const v of await audit(staff.page)) all.push({ lang, page: "new link", ...v });
    const address = await staff.page.inputValue('[data-test="new-link-path"]');
    await staff.page.goto(address);
    for (const v of await audit(staff.page)) all.push({ lang, page: "door display", ...v });
    await staff.context.close();
  }
  assert.deepEqual(all, [], JSON.stringify(all, null, 1));
});

test("no serious or critical finding on matchmaking: a participant's pages and the staff's", async () => {
  const all = [];
  const events = await (await fetch(`${server.base}/api/v1/events`)).json();
  const ev = events.items.find((e) => e.title_en === "Sino-Swiss medtech matchmaking");
  assert.ok(ev, "the demo matchmaking event");
  const reg = await (await fetch(`${server.base}/api/v1/events/${ev.id}/registrations`, {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ participants: [{ name: "Axe Buyer", email: "axe.buyer@example.org" }], consent: true }),
  })).json();
  const secret = reg.manage_url.replace("/tickets/", "");
  const pid = reg.tickets[0].participant_id;
  const base = `/tickets/${secret}/meet/${pid}`;
  for (const lang of ["zh-CN", "en"]) {
    const { page, context } = await newPage(browser, server.base);
    const visit = async (path, name = path) => {
      await page.goto(`${server.base}${path}${path.includes("?") ? "&" : "?"}lang=${lang}`);
      for (const v of await audit(page)) all.push({ lang, page: name, ...v });
    };
    await visit(base, "matchmaking: start");
    await visit(`${base}/profile`, "matchmaking: new profile");
    // A refused profile (no organisation), then a saved one.
    await page.fill('[data-test="mm-name"]', "Axe Buyer");
    await page.fill('[data-test="mm-org-zh"]', "");
    await page.fill('[data-test="mm-org-en"]', "");
    await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), page.click('[data-test="mm-profile-save"]')]);
    await page.waitForSelector('[data-test="mm-org-en"][aria-invalid="true"], [data-test="mm-org-zh"][aria-invalid="true"]');
    for (const v of await audit(page)) all.push({ lang, page: "matchmaking: refused profile", ...v });
    await page.fill('[data-test="mm-org-en"]', "Axe AG");
    await page.fill('[data-test="mm-entry-en-0"]', "Endoscopes");
    await Promise.all([page.waitForURL(/notice=profile/), page.click('[data-test="mm-profile-save"]')]);
    for (const v of await audit(page)) all.push({ lang, page: "matchmaking: my page", ...v });
    await visit(`${base}/people`, "matchmaking: catalogue");
    const other = await page.getAttribute('[data-test="mm-person-link"] >> nth=0', "href");
    await visit(other.replace(/\?.*$/, ""), "matchmaking: another's profile");
    await context.close();
    const staff = await newPage(browser, server.base);
    await login(staff.page, server.base, "staff", lang);
    for (const p of ["", "/meetings", "/day", "/tables"]) {
      await staff.page.goto(`${server.base}/events/${ev.id}/matchmaking${p}?lang=${lang}`);
      for (const v of await audit(staff.page)) all.push({ lang, page: `staff matchmaking${p}`, ...v });
    }
    await staff.context.close();
  }
  assert.deepEqual(all, [], JSON.stringify(all, null, 1));
});
