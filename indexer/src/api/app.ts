// The app factory: the API (with its OpenAPI document) and the explorer pages over one database. It is
// given its dependencies; nothing here is a module-level singleton, so tests build as many as they like.
import { OpenAPIHono } from "@hono/zod-openapi";
import { HTTPException } from "hono/http-exception";
import { mountPages } from "../pages/routes.ts";
import { BadCursor } from "../queries/cursor.ts";
import { type Deps, handlers } from "./handlers.ts";
import * as R from "./routes.ts";
import { describeIssues } from "./schemas.ts";

export type { Deps } from "./handlers.ts";

export function createApp(deps: Deps): OpenAPIHono {
  const app = new OpenAPIHono({
    defaultHook: (result, c) => {
      if (!result.success) return c.json({ error: describeIssues(result.error.issues as never) }, 400);
    },
  });
  const h = handlers(deps);
  const notFound = (what: string) => ({ error: `${what} not found` });

  app.openapi(R.networkRoute, (c) => c.json(h.network() as never, 200));
  app.openapi(R.devicesRoute, (c) => c.json(h.devices(c.req.valid("query")) as never, 200));
  app.openapi(R.deviceRoute, (c) => {
    const d = h.device(c.req.valid("param").address);
    return d ? c.json(d as never, 200) : c.json(notFound("device"), 404);
  });
  app.openapi(R.suppliersRoute, (c) => c.json(h.suppliers(c.req.valid("query")) as never, 200));
  app.openapi(R.leasesRoute, (c) => c.json(h.leases(c.req.valid("query")) as never, 200));
  app.openapi(R.leaseRoute, (c) => {
    const l = h.lease(c.req.valid("param").address);
    return l ? c.json(l as never, 200) : c.json(notFound("lease"), 404);
  });
  app.openapi(R.rewardsRoute, (c) => h.rewards(c, c.req.valid("query")) as never);
  app.openapi(R.walletRoute, (c) => c.json(h.wallet(c.req.valid("param").address) as never, 200));
  app.openapi(R.activityRoute, (c) => h.activity(c, c.req.valid("param").address, c.req.valid("query")) as never);
  app.openapi(R.eventsRoute, (c) => c.json(h.events(c.req.valid("query")) as never, 200));
  app.openapi(R.streamRoute, (c) => h.stream(c) as never);
  app.openapi(R.webhookRoute, (c) => h.webhook(c) as never);
  app.doc("/openapi.json", {
    openapi: "3.0.0",
    info: { title: "Hourglass indexer API", version: "0.1.0", description: "Explorer views of the Hourglass GPU network, folded from on-chain events." },
  });
  app.get("/healthz", (c) => c.json({ ok: true }));
  mountPages(app, deps);

  app.notFound((c) =>
    c.req.path.startsWith("/api/") || c.req.path.startsWith("/webhooks/")
      ? c.json({ error: `no route ${c.req.method} ${c.req.path}` }, 404)
      : c.html("<!doctype html><title>Not found</title><p>Not found. <a href='/'>Home</a></p>", 404),
  );
  app.onError((err, c) => {
    if (err instanceof BadCursor) return c.json({ error: err.message }, 400);
    if (err instanceof HTTPException) return c.json({ error: err.message }, err.status);
    console.error("indexer API error:", err);
    return c.json({ error: "internal error" }, 500);
  });
  return app;
}
