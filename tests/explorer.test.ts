// The explorer pages in headless Chromium (Debian's chromium driven by playwright-core): each page
// renders the indexed history, links lead from list to detail, the wallet search works, pages read
// the same with JavaScript off, and nothing logs a browser error. Screenshots go to target/screenshots/.
import { expect } from "chai";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { startServer, type IndexerServer } from "../indexer/src/index.ts";
import { indexedHistory, type IndexedHistory } from "./support/indexed-history.ts";
import { ROOT } from "./support/world.ts";

const SHOTS = path.join(ROOT, "target/screenshots");
const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));

describe("explorer pages in headless Chromium", function () {
  this.timeout(180_000);
  let x: IndexedHistory;
  let server: IndexerServer;
  let browser: Browser;
  const errors: string[] = [];

  before(async function () {
    if (!CHROMIUM) throw new Error("chromium is not installed (scripts/setup.sh installs Debian's chromium)");
    mkdirSync(SHOTS, { recursive: true });
    x = await indexedHistory();
    server = await startServer({ db: x.db, pipeline: x.pipeline });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
  });

  after(async function () {
    await browser?.close();
    await server?.close();
    x?.close();
  });

  async function visit(page: Page, url: string, shot: string): Promise<string> {
    page.on("pageerror", (e) => errors.push(`${url}: ${e.message}`));
    page.on("console", (m) => m.type() === "error" && errors.push(`${url}: ${m.text()}`));
    const res = await page.goto(`${server.url}${url}`);
    expect(res?.status(), url).to.equal(200);
    await page.screenshot({ path: path.join(SHOTS, `${shot}.png`), fullPage: true });
    return page.locator("body").innerText();
  }

  it("home shows GPUs by model, suppliers, supply, leases and block rewards", async function () {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const text = await visit(page, "/", "home");
    expect(text).to.contain("GPUs by model");
    expect(text).to.match(/4\s*GPUs/);
    expect(text).to.match(/4\s*active suppliers/);
    expect(text).to.match(/3\s*verified suppliers/);
    expect(text).to.contain("settled");
    expect(text).to.contain("terminated");
    expect(text).to.contain("Latest block rewards");
    await page.close();
  });

  it("devices list links to a device page with its 30-day uptime chart", async function () {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const text = await visit(page, "/devices", "devices");
    expect(text).to.contain("Devices");
    expect(await page.locator("table tr").count()).to.equal(5);
    const d0 = x.run.devices[0].address.toBase58();
    await page.click(`a[href="/devices/${d0}"]`);
    await page.waitForURL(`**/devices/${d0}`);
    await page.screenshot({ path: path.join(SHOTS, "device.png"), fullPage: true });
    const detail = await page.locator("body").innerText();
    expect(detail).to.contain("Uptime, last 30 days (6 of 720 hours up)");
    expect(await page.locator('svg[aria-label="hourly uptime, last 30 days"] rect[height="40"]').count()).to.equal(6);
    expect(detail).to.match(/3 h\s*proven/);
    await page.close();
  });

  it("lease pages show the cluster; rewards page offers the CSV", async function () {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await visit(page, "/leases", "leases");
    const lease = x.run.settled.lease.publicKey.toBase58();
    await page.click(`a[href="/leases/${lease}"]`);
    await page.waitForURL(`**/leases/${lease}`);
    await page.screenshot({ path: path.join(SHOTS, "lease.png"), fullPage: true });
    const detail = await page.locator("body").innerText();
    expect(detail).to.contain("Cluster");
    expect(await page.locator("table tr").count()).to.equal(3);
    expect(detail).to.contain("settled");
    const rewards = await visit(page, "/rewards", "rewards");
    expect(rewards).to.contain("Hourly block rewards");
    const href = await page.locator("a", { hasText: "Download CSV" }).getAttribute("href");
    const csv = await (await fetch(`${server.url}${href}`)).text();
    expect(csv.split("\r\n")[0]).to.equal("hour,hour_start,amount,total_weight,nominated,succeeded,failed");
    await page.close();
  });

  it("the wallet search leads to the wallet page with rewards and payouts", async function () {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await visit(page, "/", "home-search");
    const owner = x.run.devices[0].supplier.wallet.publicKey.toBase58();
    await page.fill('input[name="address"]', owner);
    await page.press('input[name="address"]', "Enter");
    await page.waitForURL(`**/wallet/${owner}`);
    await page.screenshot({ path: path.join(SHOTS, "wallet.png"), fullPage: true });
    const text = await page.locator("body").innerText();
    expect(text).to.contain("block rewards claimed");
    // The activity table lists the supplier's claimed rewards and lease payouts.
    expect(text).to.match(/^reward\t/m);
    expect(text).to.match(/^payout\t/m);
    await page.fill('input[name="address"]', "not a wallet");
    await page.press('input[name="address"]', "Enter");
    await page.waitForLoadState();
    expect(await page.locator("h1").innerText()).to.equal("Bad request");
    // That 400 was asked for; drop its console line.
    errors.splice(0, errors.length, ...errors.filter((e) => !e.includes("status of 400")));
    await page.close();
  });

  it("pages read the same with JavaScript disabled, and no page logged a browser error", async function () {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const text = await visit(page, `/devices/${x.run.devices[0].address.toBase58()}`, "device-nojs");
    expect(text).to.contain("Uptime, last 30 days");
    await context.close();
    expect(errors).to.deep.equal([]);
  });
});
