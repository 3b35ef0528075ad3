// The API's routes (method, path, parameters, responses); handlers.ts answers them.
import { createRoute, z } from "@hono/zod-openapi";
import { VERIFIED_DESCRIPTION } from "../queries/verified.ts";
import * as S from "./schemas.ts";

const json = <T extends z.ZodTypeAny>(schema: T, description: string) => ({ content: { "application/json": { schema } }, description });
const errors = {
  400: json(S.ErrorBody, "bad parameter"),
  404: json(S.ErrorBody, "not found"),
};
const csvOrJson = <T extends z.ZodTypeAny>(schema: T, description: string) => ({
  content: { "application/json": { schema }, "text/csv": { schema: z.string() } },
  description,
});

export const networkRoute = createRoute({
  method: "get",
  path: "/api/network",
  tags: ["network"],
  description: `GPUs by model, active and verified suppliers (a verified supplier is ${VERIFIED_DESCRIPTION}), supply (staked, unbonding, block rewards emitted beside network-token fees burned) and the market price per GPU-hour by model (24 h median).`,
  request: { query: S.NoQuery },
  responses: { 200: json(S.Network, "network home"), 400: errors[400] },
});
export const devicesRoute = createRoute({
  method: "get",
  path: "/api/devices",
  tags: ["devices"],
  request: { query: S.DeviceQuery },
  responses: { 200: json(S.DevicePage, "devices"), 400: errors[400] },
});
export const deviceRoute = createRoute({
  method: "get",
  path: "/api/devices/{address}",
  tags: ["devices"],
  description:
    "A device with its 30-day hourly uptime, its leases and its discretionary slash proposals (pending, cancelled or executed; a pending one may be executed from executableAt).",
  request: { params: S.AddressParam, query: S.NoQuery },
  responses: { 200: json(S.DeviceDetail, "device with 30-day hourly uptime"), ...errors },
});
export const suppliersRoute = createRoute({
  method: "get",
  path: "/api/suppliers",
  tags: ["suppliers"],
  description: `Suppliers (device owners) with their totals; verified: ${VERIFIED_DESCRIPTION}.`,
  request: { query: S.PageQuery },
  responses: { 200: json(S.SupplierPage, "suppliers"), 400: errors[400] },
});
export const leasesRoute = createRoute({
  method: "get",
  path: "/api/leases",
  tags: ["leases"],
  request: { query: S.LeaseQuery },
  responses: { 200: json(S.LeasePage, "leases"), 400: errors[400] },
});
export const leaseRoute = createRoute({
  method: "get",
  path: "/api/leases/{address}",
  tags: ["leases"],
  request: { params: S.AddressParam, query: S.NoQuery },
  responses: { 200: json(S.LeaseDetail, "lease and its cluster"), ...errors },
});
export const rewardsRoute = createRoute({
  method: "get",
  path: "/api/rewards/hours",
  tags: ["rewards"],
  request: { query: S.CsvPageQuery },
  responses: { 200: csvOrJson(S.RewardHourPage, "hourly block rewards"), 400: errors[400] },
});
export const walletRoute = createRoute({
  method: "get",
  path: "/api/wallets/{address}",
  tags: ["wallets"],
  request: { params: S.AddressParam, query: S.NoQuery },
  responses: { 200: json(S.Wallet, "wallet totals"), 400: errors[400] },
});
export const activityRoute = createRoute({
  method: "get",
  path: "/api/wallets/{address}/activity",
  tags: ["wallets"],
  request: { params: S.AddressParam, query: S.ActivityQuery },
  responses: { 200: csvOrJson(S.ActivityPage, "earnings, rewards, stakes and payments"), 400: errors[400] },
});
export const eventsRoute = createRoute({
  method: "get",
  path: "/api/events",
  tags: ["events"],
  request: { query: S.PageQuery },
  responses: { 200: json(S.EventPage, "events, newest first"), 400: errors[400] },
});
export const streamRoute = createRoute({
  method: "get",
  path: "/api/events/stream",
  tags: ["events"],
  request: { query: S.NoQuery },
  responses: { 200: { content: { "text/event-stream": { schema: z.string() } }, description: "live event feed (server-sent events)" }, 400: errors[400] },
});
export const webhookRoute = createRoute({
  method: "post",
  path: "/webhooks/helius",
  tags: ["ingestion"],
  description:
    "Helius raw-transaction webhook: a JSON array of getTransaction-shaped objects, authenticated by the configured Authorization header. Duplicate and out-of-order deliveries are harmless.",
  responses: { 200: json(S.WebhookResult, "delivery stored"), 400: errors[400], 401: json(S.ErrorBody, "wrong authorization header"), 404: errors[404] },
});
