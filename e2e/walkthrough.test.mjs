// A walkthrough per role, in both languages, on a phone (375 px) and a
// desktop (1280 px): every page the role's navigation reaches, and the pages
// those link to, must answer without 4xx/5xx, fit the width (no sideways
// scrolling of the page), keep the header to one bar on a phone, and show
// words where a code would be (no "FREQ=", "RFC 3339", …). Screenshots of the
// navigation's pages land in e2e/test-results/walkthrough/ for review.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, rmSync } from "node:fs";
import { startServer, launchBrowser, newPage, login } from "./lib/harness.mjs";

const ROLES = ["admin", "staff", "interpreter", "enterprise", "oversight", "public"];
const WIDTHS = [375, 1280];
const MAX_PAGES = Number(process.env.WALK_MAX_PAGES || 16);
const SHOTS = new URL("./test-results/walkthrough/", import.meta.url).pathname;
// Links not to follow: they change state, download files or leave the UI.
const SKIP = /\/logout|\/export\/|\.ics$|\.png$|\.svg$|\.csv$|\.xlsx$|\/api\/|\/static\/|\/display\/|\/feeds?\//;
// Codes a reader should never meet where a word is due.
const FORBIDDEN = [/FREQ=/, /RFC ?3339/, /ISO ?3166/, /BCP ?47/, /\b[a-z]{2}-Hans\b/, /\brequest_received\b/, /\bregistration_open\b/, /\{\s*\$[a-z]/, /\b(?:visit|event|booking|field|nav)-[a-z-]+-[a-z]+\b(?![^<]*>)/];

let server, browser;
before(async () => {
  rmSync(SHOTS, { recursive: true, force: true });
  mkdirSync(SHOTS, { recursive: true });
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function walk(role, lang, width) {
  const { context, page } = await newPage(browser, server.base, { viewport: { width, height: 800 } });
  if (role !== "public") await login(page, server.base, role, lang);
  else await page.goto(`${server.base}/?lang=${lang}`);
  const nav = await page.$$eval('[data-test="nav"] a, [data-test="nav-notifications"], [data-test="account"]', (as) => as.map((a) => a.href));
  const problems = [];
  const seen = new Set();
  const queue = nav.map((href) => ({ href, shot: true }));
  let shots = 0;
  while (queue.length && seen.size < MAX_PAGES) {
    const { href, shot } = queue.shift();
    const key = href.replace(/[?&]lang=[^&]*/, "").replace(/#.*/, "");
    if (seen.has(key)) continue;
    seen.add(key);
    const resp = await page.goto(href);
    const where = `${role}/${lang}/${width}: ${key.replace(server.base, "")}`;
    if (!resp || resp.status() >= 400) {
      problems.push(`${where} answered ${resp?.status()}`);
      continue;
    }
    if (!(resp.headers()["content-type"] || "").startsWith("text/html")) continue;
    const facts = await page.evaluate(() => ({
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      wide: [...document.querySelectorAll("main *")]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && !el.closest(".table-wrap, .week, .scroll-x"))
        .slice(0, 3)
        .map((el) => `${el.tagName.toLowerCase()}.${el.className}`),
      header: document.querySelector(".site-header")?.getBoundingClientRect().height || 0,
      // A table squeezed to a letter a line instead of scrolling in its box.
      squeezed: [...document.querySelectorAll("td, th")]
        .filter((c) => c.textContent.trim().length > 3 && c.getBoundingClientRect().width < 40)
        .slice(0, 3)
        .map((c) => c.textContent.trim().slice(0, 20)),
      text: document.body.innerText,
    }));
    if (facts.overflow > 0) problems.push(`${where} scrolls sideways by ${facts.overflow}px (${facts.wide.join(", ")})`);
    if (width <= 375 && facts.header > 64) problems.push(`${where} header is ${facts.header}px tall`);
    if (facts.squeezed.length) problems.push(`${where} squeezes table cells: ${facts.squeezed.join(" | ")}`);
    // The audit log shows each change as it was recorded (codes included).
    for (const pattern of key.includes("/admin/audit") ? [] : FORBIDDEN) {
      const m = facts.text.match(pattern);
      if (m) problems.push(`${where} shows "${m[0]}"`);
    }
    if (shot) {
      const name = `${role}-${lang}-${width}-${String(++shots).padStart(2, "0")}-${key.replace(server.base, "").replace(/[^a-z0-9]+/gi, "_").slice(0, 60)}.png`;
      await page.screenshot({ path: SHOTS + name, fullPage: true });
    }
    const links = await page.$$eval("main a[href]", (as) => as.map((a) => a.href));
    for (const link of links) {
      if (link.startsWith(server.base) && !SKIP.test(link) && !link.includes("#")) queue.push({ href: link, shot: false });
    }
  }
  await context.close();
  return { pages: seen.size, problems };
}

for (const role of ROLES) {
  test(`walkthrough: ${role}, both languages, 375 and 1280 px`, async () => {
    const all = [];
    for (const lang of ["zh-CN", "en"]) {
      for (const width of WIDTHS) {
        const { pages, problems } = await walk(role, lang, width);
        assert.ok(pages >= 2, `${role}/${lang}/${width}: only ${pages} pages reached`);
        all.push(...problems);
      }
    }
    assert.deepEqual(all, []);
  });
}

test("the English header fits one row at 1280 px; on a phone the menu opens without script", async () => {
  for (const role of ["admin", "staff"]) {
    const desk = await newPage(browser, server.base, { viewport: { width: 1280, height: 800 } });
    await login(desk.page, server.base, role, "en");
    const h = await desk.page.evaluate(() => document.querySelector(".site-header").getBoundingClientRect().height);
    assert.ok(h <= 64, `${role}: the English header is ${h}px tall at 1280 px`);
    assert.ok(await desk.page.isVisible('[data-test="nav-dashboard"]'));
    await desk.context.close();
    const phone = await newPage(browser, server.base, { viewport: { width: 375, height: 740 }, javaScriptEnabled: false });
    await login(phone.page, server.base, role, "zh-CN");
    assert.equal(await phone.page.isVisible('[data-test="nav-dashboard"]'), false, "the menu starts folded");
    await phone.page.click('[data-test="menu-button"]');
    assert.ok(await phone.page.isVisible('[data-test="nav-dashboard"]'), "the menu opens without script");
    assert.ok(await phone.page.isVisible('[data-test="logout"]'), "sign-out is in the open menu");
    await phone.context.close();
  }
});

test("after a refused form the language switch keeps the page and what was typed", async () => {
  // Without script: the switch leads to the page the form was on, never the POST address.
  const bare = await newPage(browser, server.base, { javaScriptEnabled: false });
  await bare.page.goto(`${server.base}/visit-request?lang=en`);
  await bare.page.fill('[data-test="organisation-name"]', "Konsulat X");
  await bare.page.evaluate(() => document.querySelectorAll("[required]").forEach((el) => el.removeAttribute("required")));
  await Promise.all([bare.page.waitForLoadState(), bare.page.click('main [data-test="submit"]')]);
  const href = await bare.page.getAttribute('[data-test="lang-switch"]', "href");
  assert.match(href, /^\/visit-request\?lang=zh-CN$/);
  await bare.context.close();

  // With script: the form is sent again in the other language, still refused, still filled.
  const { context, page } = await newPage(browser, server.base, { viewport: { width: 375, height: 740 } });
  await page.goto(`${server.base}/visit-request?lang=en`);
  await page.fill('[data-test="organisation-name"]', "Konsulat X");
  await page.evaluate(() => document.querySelectorAll("[required]").forEach((el) => el.removeAttribute("required")));
  await Promise.all([page.waitForLoadState(), page.click('main [data-test="submit"]')]);
  // The summary is at the top of the form, has focus and is in view on a phone.
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.test), "form-error");
  const top = await page.evaluate(() => document.querySelector('[data-test="form-error"]').getBoundingClientRect().top);
  assert.ok(top >= 0 && top < 740, `the summary is at ${top}px`);
  const first = await page.textContent('[data-test="form-error"] li a');
  assert.match(first, /:/, "each error is named after its field");
  await page.click('[data-test="form-error"] li a');
  assert.ok(await page.evaluate(() => ["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement?.tagName)));
  await Promise.all([page.waitForLoadState(), page.click('[data-test="lang-switch-bar"]')]);
  assert.equal(await page.getAttribute("html", "lang"), "zh-CN");
  assert.equal(await page.inputValue('[data-test="organisation-name"]'), "Konsulat X");
  assert.ok(await page.isVisible('[data-test="form-error"]'));
  await context.close();
});

test("the group size changes the registration rows at once, on a phone", async () => {
  const events = await (await fetch(`${server.base}/api/v1/events`)).json();
  const event = events.items.find((e) => e.status === "registration_open" && e.max_group >= 3);
  assert.ok(event, "a demo event takes groups of three");
  const { context, page } = await newPage(browser, server.base, { viewport: { width: 375, height: 740 } });
  await page.goto(`${server.base}/events/${event.id}?lang=en`);
  const url = page.url();
  assert.equal(await page.locator('[data-test="participant-row"]').count(), 1);
  assert.equal(await page.isVisible('[data-test="set-people"]'), false, "no reload button needed");
  await page.fill('[data-test="people"]', "3");
  assert.equal(await page.locator('[data-test="participant-row"]').count(), 3);
  assert.equal(page.url(), url, "no reload");
  assert.match(await page.locator('[data-test="participant-row"] legend').nth(2).textContent(), /3/);
  await page.fill('[data-test="name-2"]', "Third Person");
  await page.fill('[data-test="people"]', "2");
  assert.equal(await page.locator('[data-test="participant-row"]').count(), 2);
  await context.close();
});
