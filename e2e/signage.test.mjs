// The sign registry in a real browser: staff walk the import-export zone on
// a phone and flag a sign with a finding, then tick it; the print sheets
// come as a PDF (headless Chromium on the server) whose text, read by a PDF
// text extractor, has the Chinese and the English of each sign.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { login, newPage, serverAndBrowser } from "./lib/harness.mjs";

const env = serverAndBrowser();

const PHONE = { viewport: { width: 375, height: 800 }, hasTouch: true, isMobile: true };

test("the audit walk on a phone, and the sheets as a PDF with both languages", async () => {
  const { page } = await newPage(env.browser, env.server.base, PHONE);
  await login(page, env.server.base, "staff", "en");
  await page.goto(`${env.server.base}/signs/walk?lang=en`);
  const sign = page.locator('[data-test="walk-sign"]', { hasText: "No Smoking" });
  assert.equal(await sign.count(), 1);
  await sign.locator('[data-test="walk-flag-open"]').click();
  await sign.locator('[data-test="walk-finding"]').fill("The English is faded");
  // A photo from the phone's camera (here a small PNG).
  const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");
  await sign.locator('[data-test="walk-photo"]').setInputFiles({ name: "sign.png", mimeType: "image/png", buffer: png });
  await Promise.all([page.waitForURL(/\/signs\/walk/), sign.locator('[data-test="walk-flag"]').click()]);
  const flagged = page.locator('[data-test="walk-sign"]', { hasText: "No Smoking" });
  assert.match(await flagged.innerText(), /Needs a fix/);
  assert.match(await flagged.innerText(), /The English is faded/);
  assert.equal(await flagged.locator("img.walk-photo").count(), 1, "the photo is kept with the sign");
  await Promise.all([page.waitForURL(/\/signs\/walk/), flagged.locator('[data-test="walk-pass"]').click()]);
  assert.match(await page.locator('[data-test="walk-sign"]', { hasText: "No Smoking" }).innerText(), /Audited/);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), "no sideways scrolling");

  const resp = await page.request.get(`${env.server.base}/signs/sheet.pdf?size=a4`);
  assert.equal(resp.status(), 200);
  assert.equal(resp.headers()["content-type"], "application/pdf");
  const dir = mkdtempSync(join(tmpdir(), "liaison-pdf-"));
  const file = join(dir, "signs.pdf");
  writeFileSync(file, await resp.body());
  const text = execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"], { encoding: "utf8" });
  for (const words of ["禁止吸烟", "No Smoking", "小心地滑", "Caution: Wet Floor"]) {
    assert.ok(text.includes(words), `${words} in the PDF's text: ${text}`);
  }
});
