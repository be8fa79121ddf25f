// The foundation in a real browser: each role signs in, switches language,
// sees its own menu, and is refused where it should be.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { launchBrowser, login, newPage, startServer } from "./lib/harness.mjs";

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  mkdirSync("test-results", { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const MENUS = {
  admin: ["dashboard", "events", "hall", "venues", "visits", "interpreting", "inbox", "users", "settings", "audit"],
  staff: ["dashboard", "events", "hall", "venues", "visits", "interpreting", "glossary", "newsroom", "services", "inbox"],
  interpreter: ["dashboard", "events", "hall", "venues", "interpreting", "glossary", "newsroom"],
  enterprise: ["dashboard", "events", "hall", "venues", "services"],
  oversight: ["dashboard", "events", "hall"],
};

const ROLE_LABEL = {
  "zh-CN": { admin: "管理员", staff: "工作人员", interpreter: "翻译", enterprise: "企业用户", oversight: "外办监督" },
  en: { admin: "Administrator", staff: "Staff", interpreter: "Interpreter", enterprise: "Enterprise", oversight: "Oversight (FAO)" },
};

async function navIds(page) {
  return page.$$eval('[data-test="nav"] a', (links) => links.map((a) => a.dataset.test.replace(/^nav-/, "")));
}

describe("every role, both languages", () => {
  for (const role of Object.keys(MENUS)) {
    for (const lang of ["zh-CN", "en"]) {
      test(`${role} signs in (${lang}), sees the right menu, switches language`, async () => {
        const { context, page, foreign, cspErrors } = await newPage(browser, server.base);
        await login(page, server.base, role, lang);
        assert.equal(await page.getAttribute("html", "lang"), lang);
        assert.deepEqual(await navIds(page), MENUS[role]);
        assert.equal((await page.textContent('[data-test="role"]')).trim(), ROLE_LABEL[lang][role]);

        const other = lang === "en" ? "zh-CN" : "en";
        await Promise.all([page.waitForLoadState("load"), page.click('[data-test="lang-switch"]')]);
        assert.equal(await page.getAttribute("html", "lang"), other);
        assert.equal((await page.textContent('[data-test="role"]')).trim(), ROLE_LABEL[other][role]);
        // The choice sticks for the next page.
        await page.goto(`${server.base}/dashboard`);
        assert.equal(await page.getAttribute("html", "lang"), other);

        if (role !== "admin") {
          const resp = await page.goto(`${server.base}/admin/users`);
          assert.equal(resp.status(), 403);
          assert.equal(await page.getAttribute('[data-test="error"]', "data-status"), "403");
        }
        await page.click('[data-test="who"]');
        await Promise.all([page.waitForURL(`${server.base}/`), page.click('[data-test="logout"]')]);
        assert.ok(await page.isVisible('[data-test="nav-login"]'));
        assert.deepEqual(foreign, [], "no request leaves the server");
        assert.deepEqual(cspErrors, [], "no CSP violation");
        await context.close();
      });
    }
  }
});

test("the public is sent to the login page and back", async () => {
  const { context, page } = await newPage(browser, server.base);
  await page.goto(`${server.base}/admin/zones?lang=en`);
  assert.match(page.url(), /\/login\?next=%2Fadmin%2Fzones/);
  assert.equal(await page.getAttribute("html", "lang"), "en");
  await page.fill('[data-test="email"]', "admin@demo.liaison.local");
  await page.fill('[data-test="password"]', "wrong password");
  await page.click('[data-test="submit"]');
  assert.match(await page.textContent('[data-test="login-error"]'), /not correct/);
  await page.fill('[data-test="password"]', "liaison-demo");
  await Promise.all([page.waitForURL(/\/admin\/zones/), page.click('[data-test="submit"]')]);
  assert.equal(await page.locator('[data-test="zone-form"]').count(), 6);
  await context.close();
});

test("an admin edits a zone and the public home shows it in both languages", async () => {
  const { context, page, cspErrors } = await newPage(browser, server.base);
  await login(page, server.base, "admin", "en");
  await page.goto(`${server.base}/admin/zones`);
  const form = page.locator('[data-test="zone-form"][data-code="science_popularization"]');
  await form.locator('input[name="name_en"]').fill("science popularization hall");
  await form.locator('input[name="name_zh"]').fill("市民科普展馆");
  await Promise.all([page.waitForURL(/saved=/), form.locator('[data-test="save"]').click()]);
  assert.ok(await page.isVisible('[data-test="saved"]'));
  // A required side left empty is refused with a message next to the field.
  const again = page.locator('[data-test="zone-form"][data-code="science_popularization"]');
  await again.locator('input[name="name_en"]').fill(" ");
  await again.locator('input[name="name_en"]').evaluate((el) => el.removeAttribute("required"));
  await again.locator('[data-test="save"]').click();
  await page.waitForSelector('[data-test="form-error"]');
  assert.match(await page.content(), /This field is required\./);

  const pub = await newPage(browser, server.base);
  await pub.page.goto(`${server.base}/?lang=zh-CN`);
  assert.match(await pub.page.textContent('[data-test="zone"][data-code="science_popularization"]'), /市民科普展馆/);
  await pub.page.click('[data-test="lang-switch"]');
  await pub.page.waitForLoadState("load");
  assert.match(await pub.page.textContent('[data-test="zone"][data-code="science_popularization"]'), /science popularization hall/);
  assert.deepEqual(cspErrors, []);
  await pub.context.close();
  await context.close();
});

test("the public home fits a 375 px phone in both languages", async () => {
  for (const lang of ["zh-CN", "en"]) {
    const { context, page, foreign } = await newPage(browser, server.base, { viewport: { width: 375, height: 812 } });
    await page.goto(`${server.base}/?lang=${lang}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${lang}: page is ${overflow}px wider than the phone`);
    assert.equal(await page.locator('[data-test="zone"]').count(), 6);
    await page.screenshot({ path: `test-results/home-375-${lang}.png`, fullPage: true });
    assert.deepEqual(foreign, []);
    await context.close();
  }
});

test("admin pages fit a phone too", async () => {
  const { context, page } = await newPage(browser, server.base, { viewport: { width: 375, height: 812 } });
  await login(page, server.base, "admin", "en");
  for (const path of ["/dashboard", "/admin/zones", "/admin/settings"]) {
    await page.goto(`${server.base}${path}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${path}: ${overflow}px too wide`);
  }
  await page.screenshot({ path: "test-results/settings-375-en.png", fullPage: true });
  await context.close();
});
