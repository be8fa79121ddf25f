// Starts a real `liaison serve --demo` on a temporary SQLite file and a free
// port, and opens Debian's Chromium through playwright-core.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { chromium } from "playwright-core";

export const PASSWORD = "liaison-demo";
export const ACCOUNTS = {
  admin: "admin@demo.liaison.local",
  staff: "staff@demo.liaison.local",
  interpreter: "interpreter@demo.liaison.local",
  enterprise: "enterprise@demo.liaison.local",
  oversight: "oversight@demo.liaison.local",
};

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

/// `options.dir`: a folder whose database to reuse (kept on stop);
/// `options.env`: more environment (e.g. LIAISON_CLOCK_SHIFT_HOURS).
export async function startServer(options = {}) {
  const bin = process.env.LIAISON_BIN;
  if (!bin) throw new Error("set LIAISON_BIN to the liaison binary");
  const dir = options.dir || mkdtempSync(join(tmpdir(), "liaison-e2e-"));
  const port = await freePort();
  const child = spawn(bin, ["serve", "--demo", "--bind", `127.0.0.1:${port}`], {
    env: { ...process.env, LIAISON_DATABASE_URL: `sqlite://${join(dir, "e2e.db")}`, LIAISON_LOG: "warn", ...(options.env || {}) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) break;
    } catch {}
    if (child.exitCode !== null) throw new Error(`liaison exited: ${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    base,
    dir,
    output: () => output,
    async stop({ keep = Boolean(options.dir) } = {}) {
      child.kill("SIGTERM");
      await new Promise((r) => (child.exitCode !== null ? r() : child.on("exit", r)));
      if (!keep) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-sync", "--no-first-run",
      "--disable-background-networking", "--disable-component-update",
    ],
  });
}

/// A fresh browser context that records every request and CSP complaint.
/** A demo server and a browser for the test file: started before its
 * tests, stopped after them. Read `.server` and `.browser` inside a test. */
export function serverAndBrowser(options = {}) {
  const env = { server: undefined, browser: undefined };
  before(async () => {
    env.server = await startServer(options);
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

export async function newPage(browser, base, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const foreign = [];
  const cspErrors = [];
  page.on("request", (req) => {
    const url = req.url();
    if (!url.startsWith(base) && !url.startsWith("data:")) foreign.push(url);
  });
  page.on("console", (msg) => {
    if (msg.type() === "error" && /Content Security Policy/i.test(msg.text())) cspErrors.push(msg.text());
  });
  return { context, page, foreign, cspErrors };
}

export async function login(page, base, role, lang = "zh-CN") {
  await page.goto(`${base}/login?lang=${lang}`);
  await page.fill('[data-test="email"]', ACCOUNTS[role]);
  await page.fill('[data-test="password"]', PASSWORD);
  await Promise.all([page.waitForURL(/\/dashboard/), page.click('[data-test="submit"]')]);
}
