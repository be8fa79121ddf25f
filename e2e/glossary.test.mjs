// The glossary in a real browser: a translator (phone, Chinese) checks a
// sentence with "Tri-Medical innovation centre" and sees the approved
// "Tri-medical Innovation Center" with the sentence fixed; staff (desktop,
// English) fix the demo's slip from the findings queue in one click and the
// event's public page reads the approved form.
import { test } from "node:test";
import assert from "node:assert/strict";
import { login, newPage, serverAndBrowser } from "./lib/harness.mjs";

const env = serverAndBrowser();

const PHONE = { viewport: { width: 375, height: 800 }, hasTouch: true, isMobile: true };

test("a translator checks a text; staff fix the slip from the queue", async () => {
  const { page: phone } = await newPage(env.browser, env.server.base, PHONE);
  await login(phone, env.server.base, "interpreter", "zh-CN");
  await phone.goto(`${env.server.base}/glossary`);
  await phone.fill('[data-test="check-zh"]', "三医创新中心欢迎您");
  await phone.fill('[data-test="check-en"]', "The Tri-Medical innovation centre welcomes you");
  await phone.click('[data-test="check"]');
  const finding = phone.locator('[data-test="check-finding"]');
  await assert.doesNotReject(finding.first().waitFor());
  assert.match(await finding.first().innerText(), /禁用译法/);
  assert.equal(await phone.locator('[data-test="check-fixed"]').innerText(), "The Tri-medical Innovation Center welcomes you");
  assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), "no sideways scrolling");

  const { page } = await newPage(env.browser, env.server.base, { viewport: { width: 1280, height: 900 } });
  await login(page, env.server.base, "staff", "en");
  await page.goto(`${env.server.base}/glossary/findings?lang=en`);
  const slip = page.locator('[data-test="finding"]', { hasText: "Tri-Medical innovation centre" });
  assert.equal(await slip.count(), 1);
  const eventHref = await slip.locator("a").first().getAttribute("href");
  await Promise.all([page.waitForURL(/\/glossary\/findings/), slip.locator('[data-test="fix"]').click()]);
  assert.equal(await page.locator('[data-test="finding"]', { hasText: "Tri-Medical innovation centre" }).count(), 0);
  // The event's public page now says it the approved way.
  const eventId = eventHref.split("/")[2];
  await page.goto(`${env.server.base}/events/${eventId}?lang=en`);
  const text = await page.locator("main").innerText();
  assert.match(text, /Tri-medical Innovation Center/);
  assert.doesNotMatch(text, /Tri-Medical innovation centre/);
});
