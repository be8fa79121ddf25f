// The newsroom in a real browser, as the issue tells it: an editor (staff,
// desktop, Chinese) drafts in Chinese and submits it; a reviewer (the
// interpreter, on a phone, English) adds the English and writes
// "Tri-Medical innovation centre"; the glossary flags it with the approved
// "Tri-medical Innovation Center" and the reviewer applies the fix; the
// senior editor (admin) approves and publishes; the article shows in both
// languages with its credits; a reader's comment is held, approved, shown.
import { test } from "node:test";
import assert from "node:assert/strict";
import { login, newPage, serverAndBrowser } from "./lib/harness.mjs";

const env = serverAndBrowser();

const PHONE = { viewport: { width: 375, height: 800 }, hasTouch: true, isMobile: true };
const DESKTOP = { viewport: { width: 1280, height: 900 } };
const TITLE_ZH = "温江区代表团参观对外交流中心";
const TITLE_EN = "A Wenjiang delegation visits the International Exchange Center";

test("drafted in Chinese, translated, fixed by the glossary, approved, public in both languages", async () => {
  // The editor drafts in Chinese and submits it.
  const { page: editor } = await newPage(env.browser, env.server.base, DESKTOP);
  await login(editor, env.server.base, "staff", "zh-CN");
  await editor.goto(`${env.server.base}/news/articles`);
  await Promise.all([editor.waitForURL(/\/news\/articles\/new/), editor.click('[data-test="news-new"]')]);
  await editor.fill('[data-test="title_zh"]', TITLE_ZH);
  await editor.fill('[data-test="summary_zh"]', "代表团参观了展示厅。");
  await editor.fill('[data-test="body_zh"]', "代表团参观了三医创新中心的展示厅。\n\n第二段。");
  await editor.fill('[data-test="source"]', "温江区融媒体中心");
  await editor.fill('[data-test="typesetter"]', "李华");
  await Promise.all([editor.waitForURL(/\/news\/articles\/[0-9a-f-]{36}$/), editor.click('[data-test="news-save"]')]);
  const articleUrl = editor.url();
  await Promise.all([editor.waitForLoadState("load"), editor.click('[data-test="step-submit"]')]);
  assert.equal(await editor.locator('[data-test="news-status"]').innerText(), "审核中");

  // The reviewer adds the English on a phone, with the slip.
  const { page: reviewer } = await newPage(env.browser, env.server.base, PHONE);
  await login(reviewer, env.server.base, "interpreter", "en");
  await reviewer.goto(`${env.server.base}/news/articles?lang=en`);
  await Promise.all([reviewer.waitForURL(articleUrl), reviewer.locator('[data-test="news-article"] a', { hasText: TITLE_ZH }).click()]);
  await reviewer.fill('[data-test="title_en"]', TITLE_EN);
  await reviewer.fill('[data-test="summary_en"]', "The delegation toured the exhibition hall.");
  await reviewer.fill('[data-test="body_en"]', "The delegation toured the hall of the Tri-Medical innovation centre.\n\nSecond paragraph.");
  await Promise.all([reviewer.waitForURL(/saved=1/), reviewer.click('[data-test="news-save"]')]);
  const finding = reviewer.locator('[data-test="news-findings"] [data-test="finding"]', { hasText: "Tri-Medical innovation centre" });
  assert.equal(await finding.count(), 1, "the glossary flags the slip on save");
  assert.equal(await finding.locator('[data-test="finding-expected"]').innerText(), "Tri-medical Innovation Center");
  assert.ok(await reviewer.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), "no sideways scrolling");
  await Promise.all([reviewer.waitForURL(articleUrl), finding.locator('[data-test="fix"]').click()]);
  assert.match(await reviewer.locator('[data-test="body_en"]').inputValue(), /the Tri-medical Innovation Center\./);
  assert.equal(await reviewer.locator('[data-test="news-findings"] [data-test="finding"]', { hasText: "Tri-Medical" }).count(), 0);

  // The senior editor approves and publishes.
  const { page: senior } = await newPage(env.browser, env.server.base, DESKTOP);
  await login(senior, env.server.base, "admin", "en");
  await senior.goto(`${articleUrl}?lang=en`);
  await Promise.all([senior.waitForLoadState("load"), senior.click('[data-test="step-approve"]')]);
  assert.equal(await senior.locator('[data-test="news-status"]').innerText(), "Approved");
  await Promise.all([senior.waitForLoadState("load"), senior.click('[data-test="step-publish"]')]);
  assert.equal(await senior.locator('[data-test="news-status"]').innerText(), "Published");

  // The public reads it in English, with the credits, then in Chinese.
  const { page: reader } = await newPage(env.browser, env.server.base, PHONE);
  await reader.goto(`${env.server.base}/news?lang=en`);
  await Promise.all([reader.waitForURL(/\/news\/en\//), reader.locator('[data-test="news-item"] a', { hasText: TITLE_EN }).click()]);
  assert.equal(await reader.locator('[data-test="news-title"]').innerText(), TITLE_EN);
  assert.match(await reader.locator('[data-test="news-body"]').innerText(), /Tri-medical Innovation Center/);
  const credits = await reader.locator('[data-test="news-credits"]').innerText();
  assert.match(credits, /来源 Source丨温江区融媒体中心/);
  assert.match(credits, /排版 Typesetting丨李华/);
  assert.match(credits, /审核校对 Senior Editor丨王主任 Wang Li \(admin\)/);
  assert.equal(await reader.locator("html").getAttribute("lang"), "en");
  await Promise.all([reader.waitForURL(/\/news\/zh\//), reader.click('[data-test="lang-switch-bar"]')]);
  assert.equal(await reader.locator('[data-test="news-title"]').innerText(), TITLE_ZH);
  assert.equal(await reader.locator("html").getAttribute("lang"), "zh-CN");
  assert.ok(await reader.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), "no sideways scrolling");

  // A reader comments: held, approved by a moderator, shown.
  const articleZh = reader.url();
  await reader.fill('[data-test="comment-name"]', "王小明");
  await reader.fill('[data-test="comment-body"]', "欢迎代表团！");
  await reader.waitForTimeout(8500); // a person takes a moment: the minimum fill time
  await Promise.all([reader.waitForURL(/comment=held/), reader.click('[data-test="comment-send"]')]);
  assert.ok(await reader.isVisible('[data-test="comment-held"]'));
  assert.equal(await reader.locator('[data-test="public-comment"]').count(), 0, "held, not shown");
  await editor.goto(`${env.server.base}/news/comments`);
  const held = editor.locator('[data-test="comment"]', { hasText: "欢迎代表团！" });
  await Promise.all([editor.waitForURL(/\/news\/comments/), held.locator('[data-test="approve"]').click()]);
  await reader.goto(articleZh);
  assert.match(await reader.locator('[data-test="public-comment"]').first().innerText(), /欢迎代表团！/);
});
