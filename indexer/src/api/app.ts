// The app factory: the API (with its OpenAPI document) and the explorer pages over one database. It is
// given its dependencies; nothing here is a module-level singleton, so tests build as many as they like.
import { OpenAPIHono } from "@hono/zod-openapi";
import { HTTPException } from "hono/http-exception";
import { mountPages } from "../pages/routes.ts";
import { BadCursor } from "../queries/cursor.ts";
import type { Deps } from "./deps.ts";
import { mountApi } from "./handlers.ts";
import { describeIssues } from "./schemas.ts";

export function createApp(deps: Deps): OpenAPIHono {
  const app = new OpenAPIHono({
    defaultHook: (result, c) => {
      if (!result.success) return c.json({ error: describeIssues(result.error.issues) }, 400);
    },
  });
  mountApi(app, deps);
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
