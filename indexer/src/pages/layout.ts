// Page chrome and formatting for the explorer: plain server-rendered HTML and CSS, no client framework.
import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const CSS = `
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d232b;background:#f6f7f9}
header{background:#13171f;color:#fff;padding:10px 24px;display:flex;gap:20px;align-items:center}
header a{color:#cfd8e3;text-decoration:none}header a.brand{color:#fff;font-weight:700;font-size:16px}
header form{margin-left:auto}header input{width:330px;padding:4px 6px}
main{padding:18px 24px;max-width:1200px}h1{font-size:20px;margin:4px 0 14px}h2{font-size:16px;margin:22px 0 8px}
table{border-collapse:collapse;background:#fff;width:100%;font-variant-numeric:tabular-nums}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #e4e7ec;white-space:nowrap}th{background:#eef1f5;font-weight:600}
td.num,th.num{text-align:right}.mono{font-family:ui-monospace,monospace;font-size:12px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(190px,1fr));gap:12px}
.card{background:#fff;border:1px solid #e4e7ec;border-radius:6px;padding:10px 12px}.card b{display:block;font-size:20px}
.muted{color:#667085}.pager{margin:10px 0}form.filters{margin:0 0 10px}form.filters *{margin-right:6px}
.tag{display:inline-block;padding:0 6px;border-radius:8px;background:#e8eefc;font-size:12px}.bad{background:#fde8e8}.good{background:#e3f7e9}
.alert{background:#fff4e5;border:1px solid #f5a524;border-left:6px solid #d97706;border-radius:6px;padding:10px 14px;margin:0 0 14px}
.alert b{font-size:16px}.alert.now{background:#fde8e8;border-color:#e5484d;border-left-color:#c62828}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:12px;max-width:640px;margin:12px 0}
`;

export function layout(title: string, body: Html): Html {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<link rel="icon" href="data:,"><title>${title} · Hourglass explorer</title><style>${raw(CSS)}</style></head>
<body><header><a class="brand" href="/">Hourglass</a><a href="/devices">Devices</a><a href="/leases">Leases</a><a href="/rewards">Block rewards</a>
<form action="/wallet" method="get"><input name="address" placeholder="Wallet address" aria-label="Wallet address"></form></header>
<main>${body}</main></body></html>`;
}

/** A base-unit amount (decimal string) in tokens with `decimals` places, trailing zeros trimmed. */
export function tokens(amount: string, decimals: number): string {
  const neg = amount.startsWith("-");
  const digits = (neg ? amount.slice(1) : amount).padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const frac = digits.slice(digits.length - decimals).replace(/0+$/, "");
  return `${neg ? "-" : ""}${whole}${frac ? `.${frac}` : ""}`;
}

/** "1 device", "2 devices". */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** Basis points as a percentage: 500 -> "5%", 125 -> "1.25%". */
export function percent(bps: number): string {
  return `${(bps / 100).toFixed(2).replace(/\.?0+$/, "")}%`;
}

/** A span of seconds in words, to the hour: "48 h" (under three days), "4 d 3 h", "under 1 h". */
export function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  if (h < 1) return "under 1 h";
  return h < 72 ? `${h} h` : `${Math.floor(h / 24)} d${h % 24 ? ` ${h % 24} h` : ""}`;
}

export function short(address: string | null): string {
  return address ? `${address.slice(0, 4)}…${address.slice(-4)}` : "—";
}

export function time(unix: number | null): string {
  return unix === null ? "—" : `${new Date(unix * 1000).toISOString().replace("T", " ").slice(0, 16)} UTC`;
}

export function pager(path: string, params: Record<string, string | undefined>, nextCursor: string | null): Html {
  if (!nextCursor) return html``;
  const q = new URLSearchParams(Object.entries({ ...params, cursor: nextCursor }).filter(([, v]) => v !== undefined) as [string, string][]);
  return html`<p class="pager"><a href="${path}?${q.toString()}">Next page →</a></p>`;
}

/** 30 days of hourly uptime as an SVG strip: one bar per hour, green when the device was up. */
export function uptimeChart(hours: number[], from: number): Html {
  const w = 3;
  const width = hours.length * w;
  const bars = hours
    .map((up, i) =>
      up ? `<rect x="${i * w}" y="0" width="${w - 1}" height="40" fill="#1f9d55"/>` : `<rect x="${i * w}" y="30" width="${w - 1}" height="10" fill="#e4e7ec"/>`,
    )
    .join("");
  const days = Array.from({ length: Math.floor(hours.length / 24) + 1 }, (_, d) =>
    d % 5 === 0 ? `<text x="${d * 24 * w}" y="54" font-size="10" fill="#667085">${new Date((from + d * 86400) * 1000).toISOString().slice(5, 10)}</text>` : "",
  ).join("");
  return html`<svg role="img" aria-label="hourly uptime, last 30 days" viewBox="0 0 ${width + 30} 58" width="100%" style="background:#fff;border:1px solid #e4e7ec;padding:6px">${raw(bars + days)}</svg>`;
}
