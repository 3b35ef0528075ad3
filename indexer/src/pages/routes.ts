// The explorer's pages: home, devices, device detail with its uptime chart, leases, lease detail, block
// rewards and the wallet page. Each validates its query with the API's schemas and renders HTML.
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { html } from "hono/html";
import { z } from "zod";
import type { Deps } from "../api/deps.ts";
import * as S from "../api/schemas.ts";
import { BadCursor } from "../queries/cursor.ts";
import { deviceDetail, listDevices } from "../queries/devices.ts";
import { leaseDetail, listLeases } from "../queries/leases.ts";
import { networkStats } from "../queries/network.ts";
import { listRewardHours } from "../queries/rewards.ts";
import { VERIFIED_HOURS } from "../queries/verified.ts";
import { walletActivity, walletSummary } from "../queries/wallets.ts";
import { count, duration, layout, pager, percent, short, time, tokens, uptimeChart } from "./layout.ts";

class BadRequest extends Error {}

/** The wallet search form's one field (other fields of the form are ignored). */
const WalletSearch = z.object({ address: S.Address });

export function mountPages(app: OpenAPIHono, deps: Deps): void {
  const dec = deps.decimals ?? 6;
  const t = (a: string) => tokens(a, dec);
  const db = deps.db;

  /** Validates a page's query (or params) like the API does; a bad one renders a 400 page (see guard). */
  function parse<T extends z.ZodTypeAny>(schema: T, input: unknown): z.infer<T> {
    const r = schema.safeParse(input);
    if (r.success) return r.data;
    throw new BadRequest(S.describeIssues(r.error.issues));
  }
  const guard = (fn: (c: Context) => Response | Promise<Response>) => async (c: Context) => {
    try {
      return await fn(c);
    } catch (e) {
      if (e instanceof BadCursor || e instanceof BadRequest) return c.html(layout("Bad request", html`<h1>Bad request</h1><p>${e.message}</p>`), 400);
      throw e;
    }
  };
  /** A page's query as a form submits it: an empty field (a filter left at "any") is no filter. */
  const formQuery = (c: Context) => Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v !== ""));
  /** The next page keeps every filter of this one. */
  const nextParams = (q: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(q)
        .filter(([k, v]) => k !== "cursor" && v !== undefined)
        .map(([k, v]) => [k, String(v)]),
    );
  const addr = (a: string | null, base: string) => (a ? html`<a class="mono" href="/${base}/${a}" title="${a}">${short(a)}</a>` : html`—`);

  app.get(
    "/",
    guard((c) => {
      parse(S.NoQuery, c.req.query());
      const n = networkStats(db);
      const recent = listLeases(db, { limit: 10 });
      const hours = listRewardHours(db, { limit: 6 });
      const gpus = n.gpusByModel.reduce((a, g) => a + g.gpus, 0);
      return c.html(
        layout(
          "Network",
          html`<h1>Network</h1>
      <div class="cards">
        <div class="card"><b>${gpus}</b>GPUs</div>
        <div class="card"><b>${n.suppliers.active}</b>active suppliers</div>
        <div class="card" title="devices proved at least ${VERIFIED_HOURS} hours in the last 30 days, with no fault"><b>${n.suppliers.verified}</b>verified suppliers</div>
        <div class="card"><b>${n.leases.active}</b>active leases (${n.leases.total} total)</div>
        <div class="card"><b>${t(n.supply.staked)}</b>staked (+${t(n.supply.coStaked)} co-staked)</div>
        <div class="card"><b>${t(n.supply.unbonding)}</b>unbonding</div>
        <div class="card"><b>${t(n.supply.escrow)}</b>in lease escrow</div>
      </div>
      <h2>Supply</h2>
      <div class="pair" aria-label="emitted and burned supply">
        <div class="card"><b>${t(n.supply.emitted)}</b>emitted: block rewards, cumulative</div>
        <div class="card"><b>${t(n.supply.burned)}</b>burned: network-token fees, cumulative${n.burns.count > 0 ? ` (${count(n.burns.count, "burn")}, latest ${time(n.burns.lastAt)})` : ""}</div>
      </div>
      <p class="muted">A verified supplier's devices proved at least ${VERIFIED_HOURS} hours in the last 30 days (lease hours or idle uptime), with no fault in that time.</p>
      <h2>GPUs by model</h2>
      <table><tr><th>Model</th><th class="num">Devices</th><th class="num">GPUs</th><th class="num">Leased GPUs</th><th class="num">Market price / GPU-hour (24 h median)</th></tr>
      ${n.gpusByModel.map((g) => {
        const p = n.marketPrices.find((m) => m.model === g.model);
        return html`<tr><td><a href="/devices?model=${g.model}">${g.name}</a></td><td class="num">${g.devices}</td><td class="num">${g.gpus}</td><td class="num">${g.leasedGpus}</td><td class="num">${p ? `${t(p.medianPerGpuHour)} (${p.leases} leases)` : "—"}</td></tr>`;
      })}</table>
      <h2>Latest leases</h2>${leaseTable(recent.items)}
      <h2>Latest block rewards</h2>${rewardTable(hours.items)}
      <p class="muted">As of ${time(n.asOf)} (chain time). API: <a href="/openapi.json">/openapi.json</a></p>`,
        ),
      );
    }),
  );

  app.get(
    "/devices",
    guard((c) => {
      const q = parse(S.DeviceQuery, formQuery(c));
      const p = listDevices(db, q);
      return c.html(
        layout(
          "Devices",
          html`<h1>Devices</h1>
      <form class="filters" method="get"><label>Model <input name="model" size="4" value="${q.model ?? ""}"></label>
      <label>Status <select name="status"><option value="">any</option>${["active", "paused", "leased"].map((s) => html`<option ${q.status === s ? "selected" : ""}>${s}</option>`)}</select></label>
      <button>Filter</button></form>
      <table><tr><th>Device</th><th>Owner</th><th>Model</th><th class="num">GPUs</th><th>Region</th><th class="num">Stake</th><th>Status</th><th class="num">Proven h</th><th class="num">Faults</th></tr>
      ${p.items.map(
        (
          d,
        ) => html`<tr><td>${addr(d.address, "devices")}</td><td>${addr(d.owner, "wallet")}</td><td>${d.gpuModelName}</td><td class="num">${d.gpuCount}</td><td>${d.region}</td>
        <td class="num">${t(d.stake)}</td><td><span class="tag">${d.status}</span>${d.nominated ? html` <span class="tag good">nominated</span>` : ""}</td><td class="num">${d.provenHours}</td><td class="num">${d.faults}</td></tr>`,
      )}
      </table>${p.items.length === 0 ? html`<p class="muted">No devices match.</p>` : ""}${pager("/devices", nextParams(q), p.nextCursor)}`,
        ),
      );
    }),
  );

  app.get(
    "/devices/:address",
    guard((c) => {
      const params = parse(S.AddressParam, c.req.param());
      parse(S.NoQuery, c.req.query());
      const d = deviceDetail(db, params.address);
      if (!d) return c.html(layout("Device not found", html`<h1>Device not found</h1><p class="mono">${params.address}</p>`), 404);
      const v = d.device;
      const pending = d.slashProposals.filter((p) => p.status === "pending");
      const banner = pending.map(
        (p) => html`<div class="alert${p.executable ? " now" : ""}" role="alert"><b>Slash proposed: ${percent(p.bps)} of stake (${p.reasonName})</b><br>
      ${
        p.executable
          ? html`Executable now: since ${time(p.executableAt)}.`
          : html`Becomes executable ${time(p.executableAt)}${d.asOf !== null ? ` (in ${duration(p.executableAt - d.asOf)})` : ""}; the config authority may cancel it until then.`
      }
      Proposed ${time(p.proposedAt)} by ${addr(p.authority, "wallet")}. It takes from the supplier and co-stakers pro rata, unbonding stake included.</div>`,
      );
      return c.html(
        layout(
          `Device ${short(v.address)}`,
          html`<h1>Device <span class="mono">${v.address}</span></h1>${banner}
      <div class="cards"><div class="card"><b>${v.gpuCount}× ${v.gpuModelName}</b>${v.vramGb} GB VRAM, region ${v.region}</div>
      <div class="card"><b>${t(v.stake)}</b>stake (+${t(v.coStake)} co-staked)</div>
      <div class="card"><b>${t(v.unbonding)}</b>unbonding (+${t(v.coUnbonding)} co-stakers')</div>
      <div class="card"><b>${t(v.slashed)}</b>slashed</div>
      <div class="card"><b>${v.status}</b>${v.lease ? html`on ${addr(v.lease, "leases")}` : "no lease"}</div>
      <div class="card"><b>${v.provenHours} h</b>proven, ${v.faults} faults</div>
      <div class="card"><b>${t(v.earned)}</b>lease earnings claimed</div><div class="card"><b>${t(v.rewards)}</b>block rewards claimed</div></div>
      <p>Owner ${addr(v.owner, "wallet")}</p>
      <h2>Uptime, last 30 days (${d.uptime.upHours} of ${d.uptime.hours.length} hours up)</h2>${uptimeChart(d.uptime.hours, d.uptime.from)}
      <h2>Leases</h2><table><tr><th>Lease</th><th class="num">Slot</th><th class="num">GPUs</th><th class="num">Proven h</th><th class="num">Earned</th><th class="num">Faults</th></tr>
      ${d.leases.map((l) => html`<tr><td>${addr(l.lease, "leases")}</td><td class="num">${l.slot}</td><td class="num">${l.gpus}</td><td class="num">${l.provenHours}</td><td class="num">${t(l.earned)}</td><td class="num">${l.faults}</td></tr>`)}</table>
      <h2>Slash proposals</h2>${
        d.slashProposals.length === 0
          ? html`<p class="muted">No slash proposals.</p>`
          : html`<table><tr><th>Status</th><th class="num">Share</th><th>Reason</th><th>Proposed</th><th>Executable from</th><th>Resolved</th><th class="num">Taken</th><th>Proposal</th></tr>
      ${d.slashProposals.map(
        (
          p,
        ) => html`<tr><td><span class="tag ${p.status === "pending" ? "bad" : p.status === "cancelled" ? "good" : ""}">${p.status}</span></td><td class="num">${percent(p.bps)}</td><td>${p.reasonName}</td>
        <td>${time(p.proposedAt)}</td><td>${time(p.executableAt)}</td><td>${time(p.resolvedAt)}</td><td class="num">${p.amount === null ? "—" : t(p.amount)}</td><td class="mono" title="${p.proposal}">${short(p.proposal)}</td></tr>`,
      )}</table>`
      }`,
        ),
      );
    }),
  );

  function leaseTable(items: ReturnType<typeof listLeases>["items"]) {
    return html`<table><tr><th>Lease</th><th>Renter</th><th>Cluster</th><th class="num">Hours</th><th class="num">Price / GPU-h</th><th class="num">Proven h</th><th class="num">Paid out</th><th>Status</th><th>Opened</th></tr>
      ${items.map(
        (
          l,
        ) => html`<tr><td>${addr(l.address, "leases")}</td><td>${addr(l.renter, "wallet")}</td><td>${l.gpuCount}× ${l.gpuModelName} on ${count(l.devices, "device")}</td>
        <td class="num">${l.hoursBooked}</td><td class="num">${t(l.pricePerGpuHour)}</td><td class="num">${l.provenHours}</td><td class="num">${t(l.earned)}</td><td><span class="tag">${l.status}</span></td><td>${time(l.createdAt)}</td></tr>`,
      )}</table>
      ${items.length === 0 ? html`<p class="muted">No leases yet.</p>` : ""}`;
  }

  function rewardTable(items: ReturnType<typeof listRewardHours>["items"]) {
    return html`<table><tr><th class="num">Hour</th><th>Starts</th><th class="num">Emitted</th><th class="num">Nominated</th><th class="num">Succeeded</th><th class="num">Failed</th></tr>
      ${items.map((r) => html`<tr><td class="num">${r.hour}</td><td>${time(r.hourStart)}</td><td class="num">${t(r.amount)}</td><td class="num">${r.nominated}</td><td class="num">${r.succeeded}</td><td class="num">${r.failed}</td></tr>`)}</table>
      ${items.length === 0 ? html`<p class="muted">No block rewards emitted yet.</p>` : ""}`;
  }

  app.get(
    "/leases",
    guard((c) => {
      const q = parse(S.LeaseQuery, formQuery(c));
      const p = listLeases(db, q);
      return c.html(layout("Leases", html`<h1>Leases</h1>${leaseTable(p.items)}${pager("/leases", nextParams(q), p.nextCursor)}`));
    }),
  );

  app.get(
    "/leases/:address",
    guard((c) => {
      const params = parse(S.AddressParam, c.req.param());
      parse(S.NoQuery, c.req.query());
      const d = leaseDetail(db, params.address);
      if (!d) return c.html(layout("Lease not found", html`<h1>Lease not found</h1><p class="mono">${params.address}</p>`), 404);
      const l = d.lease;
      return c.html(
        layout(
          `Lease ${short(l.address)}`,
          html`<h1>Lease <span class="mono">${l.address}</span></h1>
      <div class="cards"><div class="card"><b>${l.gpuCount}× ${l.gpuModelName}</b>${l.hoursBooked} hours booked</div>
      <div class="card"><b>${l.status}</b>opened ${time(l.createdAt)}</div>
      <div class="card"><b>${t(l.deposited)}</b>deposited (+${t(l.fees)} fees)</div>
      <div class="card"><b>${t(l.earned)}</b>earned by suppliers</div><div class="card"><b>${t(l.refunded)}</b>refunded</div></div>
      <p>Renter ${addr(l.renter, "wallet")}</p>
      <h2>Cluster</h2><table><tr><th class="num">Slot</th><th>Device</th><th class="num">GPUs</th><th class="num">From hour</th><th class="num">Proven h</th><th class="num">Earned</th><th class="num">Faults</th><th>Released</th></tr>
      ${d.cluster.map((s) => html`<tr><td class="num">${s.slot}</td><td>${addr(s.device, "devices")}</td><td class="num">${s.gpus}</td><td class="num">${s.firstHour}</td><td class="num">${s.provenHours}</td><td class="num">${t(s.earned)}</td><td class="num">${s.faults}</td><td>${s.released ? "yes" : "no"}</td></tr>`)}</table>`,
        ),
      );
    }),
  );

  app.get(
    "/rewards",
    guard((c) => {
      const q = parse(S.PageQuery, c.req.query());
      const p = listRewardHours(db, q);
      return c.html(
        layout(
          "Block rewards",
          html`<h1>Hourly block rewards</h1><p><a href="/api/rewards/hours?format=csv&limit=1000">Download CSV</a></p>${rewardTable(p.items)}${pager("/rewards", { limit: String(q.limit) }, p.nextCursor)}`,
        ),
      );
    }),
  );

  app.get(
    "/wallet",
    guard((c) => {
      const { address } = parse(WalletSearch, { address: c.req.query("address")?.trim() ?? "" });
      return c.redirect(`/wallet/${address}`, 302);
    }),
  );

  app.get(
    "/wallet/:address",
    guard((c) => {
      const params = parse(S.AddressParam, c.req.param());
      const q = parse(S.PageQuery, c.req.query());
      const w = walletSummary(db, params.address);
      const p = walletActivity(db, params.address, q);
      const total = (k: string) => t(w.totals[k as keyof typeof w.totals]);
      return c.html(
        layout(
          `Wallet ${short(w.address)}`,
          html`<h1>Wallet <span class="mono">${w.address}</span></h1>
      <div class="cards"><div class="card"><b>${total("reward")}</b>block rewards claimed</div><div class="card"><b>${total("payout")}</b>lease earnings claimed</div>
      <div class="card"><b>${total("stake")}</b>staked</div><div class="card"><b>${total("lease")}</b>spent on leases</div><div class="card"><b>${total("refund")}</b>refunded</div>
      <div class="card"><b>${w.devices}</b>${count(w.devices, "device").replace(/^\d+ /, "")}, ${count(w.gpus, "GPU")}</div></div>
      <h2>Activity</h2><p><a href="/api/wallets/${w.address}/activity?format=csv&limit=1000">Download CSV</a></p>
      <table><tr><th>Kind</th><th class="num">Amount</th><th>Device</th><th>Lease</th><th>Transaction</th><th>Time</th></tr>
      ${p.items.map((r) => html`<tr><td><span class="tag">${r.kind}</span></td><td class="num">${t(r.amount)}</td><td>${addr(r.device, "devices")}</td><td>${addr(r.lease, "leases")}</td><td class="mono">${short(r.signature)}</td><td>${time(r.blockTime)}</td></tr>`)}</table>
      ${p.items.length === 0 ? html`<p class="muted">No activity.</p>` : ""}${pager(`/wallet/${w.address}`, { limit: String(q.limit) }, p.nextCursor)}`,
        ),
      );
    }),
  );
}
