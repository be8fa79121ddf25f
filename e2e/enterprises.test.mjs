// Enterprise services in a real browser: an enterprise files a special-item
// import in English with two item lines (one at 2–8 °C) and its documents;
// the officer, in Chinese, asks for a missing document — the clock stops;
// the enterprise uploads it on a phone and hands in the supplement; the
// officer files it with the authority; the center's system receives each
// change as a webhook whose HMAC-SHA256 signature it checks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import { login, newPage, serverAndBrowser } from "./lib/harness.mjs";

const env = serverAndBrowser();
const PHONE = { viewport: { width: 375, height: 800 }, hasTouch: true, isMobile: true };
const PDF = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

/** A receiver on loopback that keeps what it is sent. */
async function receiver() {
  const got = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      got.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${server.address().port}/hook`, got, close: () => server.close() };
}

function verified(secret, header, body) {
  const parts = Object.fromEntries(header.split(",").map((p) => p.split("=")));
  const age = Math.abs(Date.now() / 1000 - Number(parts.t));
  const mac = createHmac("sha256", secret).update(`${parts.t}.${body}`).digest();
  return age < 300 && timingSafeEqual(mac, Buffer.from(parts.v1, "hex"));
}

async function submitAndWait(page, selector) {
  await Promise.all([page.waitForLoadState("load"), page.waitForNavigation(), page.locator(selector).click()]);
}

test("a special-item import from filing to the authority, with a supplement and a signed webhook", async () => {
  const hook = await receiver();
  try {
    // The center's own system subscribes.
    const admin = await newPage(env.browser, env.server.base);
    await login(admin.page, env.server.base, "admin", "en");
    await admin.page.goto(`${env.server.base}/services/webhooks?lang=en`);
    await admin.page.locator('[data-test="webhook-form"] input[name="url"]').fill(hook.url);
    await submitAndWait(admin.page, '[data-test="webhook-form"] button[type="submit"]');
    const secret = (await admin.page.locator('[data-test="secret"] code').innerText()).trim();
    assert.match(secret, /^whsec_/);

    // The enterprise files in English.
    const firm = await newPage(env.browser, env.server.base);
    await login(firm.page, env.server.base, "enterprise", "en");
    await firm.page.goto(`${env.server.base}/services?lang=en`);
    await submitAndWait(firm.page, '[data-test="new-special_item_import"]');
    const f = firm.page.locator('[data-test="request-form"]');
    await f.locator('[data-test="title"]').fill("Reference standards for MAB-7");
    await f.locator('[data-test="values.purpose"]').fill("Quality research of a monoclonal antibody");
    await f.locator('[data-test="values.project"]').fill("MAB-7");
    await f.locator('[data-test="values.transport"]').selectOption("air");
    const rows = f.locator('[data-test="item-row"]');
    const fill = async (i, v) => {
      const row = rows.nth(i);
      await row.locator(`input[name="items.${i}.name_en"]`).fill(v.name);
      await row.locator(`select[name="items.${i}.category"]`).selectOption(v.category);
      await row.locator(`input[name="items.${i}.hs_code"]`).fill(v.hs);
      await row.locator(`input[name="items.${i}.quantity"]`).fill(v.qty);
      await row.locator(`input[name="items.${i}.unit"]`).fill(v.unit);
      await row.locator(`select[name="items.${i}.regime"]`).selectOption(v.regime);
    };
    await fill(0, { name: "Antibody reference standard", category: "biological_product", hs: "3002.1500.00", qty: "20", unit: "vials", regime: "c2_8" });
    await fill(1, { name: "Cell culture medium", category: "reagent", hs: "3821000000", qty: "12", unit: "bottles", regime: "ambient" });
    await submitAndWait(firm.page, '[data-test="save-draft"]');
    assert.match(firm.page.url(), /\/services\/requests\//);
    const requestUrl = firm.page.url().split("?")[0].split("#")[0];
    const items = await firm.page.locator('[data-test="items"]').innerText();
    assert.match(items, /2–8 °C/);
    assert.match(items, /3002\.1500\.00/);
    assert.match(await firm.page.locator('[data-test="missing"]').innerText(), /Business licence/);
    for (const key of ["licence", "description", "risk"]) {
      await firm.page.locator(`[data-test="file-${key}"]`).setInputFiles({ name: `${key}.pdf`, mimeType: "application/pdf", buffer: PDF });
      await submitAndWait(firm.page, `[data-test="upload-${key}"]`);
    }
    assert.equal(await firm.page.locator('[data-test="missing"]').count(), 0, "nothing mandatory is missing");
    await submitAndWait(firm.page, '[data-test="do-submit"]');
    assert.match(await firm.page.locator('[data-test="request-status"]').innerText(), /Submitted/);

    // The officer, in Chinese, starts the review and asks for the ethics approval.
    const officer = await newPage(env.browser, env.server.base);
    await login(officer.page, env.server.base, "staff", "zh-CN");
    await officer.page.goto(`${requestUrl}?lang=zh-CN`);
    await submitAndWait(officer.page, '[data-test="do-start_review"]');
    assert.match(await officer.page.locator('[data-test="request-status"]').innerText(), /材料审核/);
    await officer.page.locator('[data-test="note-ask_supplement"]').fill("请补充伦理审查批件。");
    await officer.page.locator('[data-test="ask-ethics"]').check();
    await submitAndWait(officer.page, '[data-test="do-ask_supplement"]');
    assert.match(await officer.page.locator('[data-test="request-status"]').innerText(), /待补充材料/);
    assert.match(await officer.page.locator('[data-test="clock"]').innerText(), /计时暂停/);

    // The enterprise, on a phone, sees what is asked, uploads it and hands in the supplement.
    const phone = await newPage(env.browser, env.server.base, PHONE);
    await login(phone.page, env.server.base, "enterprise", "en");
    await phone.page.goto(`${requestUrl}?lang=en`);
    assert.match(await phone.page.locator('[data-test="request-status"]').innerText(), /Supplement requested/);
    assert.match(await phone.page.locator('[data-test="clock"]').innerText(), /Clock stopped/);
    assert.match(await phone.page.locator('[data-test="history"]').innerText(), /Ethics committee approval/);
    assert.ok(await phone.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), "no sideways scrolling on a phone");
    await phone.page.locator('[data-test="file-ethics"]').setInputFiles({ name: "ethics.pdf", mimeType: "application/pdf", buffer: PDF });
    await submitAndWait(phone.page, '[data-test="upload-ethics"]');
    await submitAndWait(phone.page, '[data-test="do-resupply"]');
    assert.match(await phone.page.locator('[data-test="request-status"]').innerText(), /Materials review/);

    // The officer files it with the authority.
    await officer.page.goto(`${requestUrl}?lang=zh-CN`);
    await officer.page.locator('[data-test="authority-file"]').fill("成关检特审〔2026〕118号");
    await submitAndWait(officer.page, '[data-test="do-file"]');
    assert.match(await officer.page.locator('[data-test="request-status"]').innerText(), /已报主管部门/);

    // The webhook arrives, signed.
    let filed;
    for (let i = 0; i < 100 && !filed; i++) {
      filed = hook.got.find((d) => JSON.parse(d.body).data?.to === "filed");
      if (!filed) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(filed, `the filing arrives: ${hook.got.map((d) => d.body).join("\n")}`);
    assert.ok(verified(secret, filed.headers["liaison-signature"], filed.body), "the signature checks out");
    assert.ok(!verified("whsec_wrong", filed.headers["liaison-signature"], filed.body));
    assert.equal(filed.headers["liaison-event"], "request.status_changed");
    const asked = hook.got.find((d) => JSON.parse(d.body).type === "request.document_requested");
    assert.ok(asked, "the supplement's documents are told too");
    assert.equal(JSON.parse(asked.body).data.documents[0].label_en, "Ethics committee approval");
    for (const p of [admin, firm, officer, phone]) {
      assert.deepEqual(p.foreign, [], "nothing is fetched from elsewhere");
      await p.context.close();
    }
  } finally {
    hook.close();
  }
});
