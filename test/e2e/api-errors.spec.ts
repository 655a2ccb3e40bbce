import { expect, test } from "@playwright/test";

// SPEC §3: unknown routes under /api/v1 answer in the API's error shape, and every
// response carries x-request-id — checked through Next's real router.
test("/api/v1 itself and unknown paths under it are 404 in the error shape", async ({ request }) => {
  for (const path of ["/api/v1", "/api/v1/", "/api/v1/nope", "/api/v1/mailboxes/x/nope"]) {
    const res = await request.get(path);
    expect(res.status(), path).toBe(404);
    const requestId = res.headers()["x-request-id"];
    expect(requestId, path).toMatch(/^req_/);
    expect(await res.json(), path).toMatchObject({ error: { code: "not_found", requestId } });
  }
});

test("the health check has an x-request-id", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(res.headers()["x-request-id"]).toMatch(/^req_/);
});
