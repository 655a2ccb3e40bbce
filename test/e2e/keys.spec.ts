import { expect, test } from "@playwright/test";
import { createMailbox, inviteNewMember, signUp, uniqueEmail } from "./helpers";

test("a mailbox key is shown once, works, and stops working once revoked", async ({ page, request }) => {
  await signUp(page, uniqueEmail("owner"), "Acme Agents");
  await expect(page.getByTestId("data-region")).toHaveText("Data region: eu");

  const address = await createMailbox(page, "agent1");
  await expect(page.getByTestId("mailbox-row").filter({ hasText: address })).toBeVisible();

  await page.getByRole("link", { name: "API keys" }).click();
  await expect(page).toHaveURL(/\/keys$/);
  await page.getByLabel("Mailbox", { exact: true }).selectOption({ label: address });
  await page.getByLabel("Role", { exact: true }).selectOption("read_write");
  await page.getByLabel("Expiry", { exact: true }).selectOption("30");
  await page.getByRole("button", { name: "Create key" }).click();

  const secretElement = page.getByTestId("key-secret");
  await expect(secretElement).toBeVisible();
  const secret = (await secretElement.textContent())!.trim();
  expect(secret).toMatch(/^sm_live_[0-9A-Za-z]{38}$/);
  await expect(page.getByRole("button", { name: "Copy key" })).toBeVisible();

  const ok = await request.get("/api/v1/whoami", { headers: { authorization: `Bearer ${secret}` } });
  expect(ok.status()).toBe(200);
  const whoami = await ok.json();
  expect(whoami.key).toMatchObject({ kind: "mailbox", role: "read_write", prefix: secret.slice(0, 12), last4: secret.slice(-4) });
  expect(whoami.mailbox.address).toBe(address);
  expect(whoami.tenant.region).toBe("eu");

  // After navigating away and back, and after a reload, the secret is gone for good;
  // only prefix…last4 remain.
  await page.getByRole("link", { name: "Mailboxes" }).click();
  await expect(page).toHaveURL(/\/mailboxes$/);
  await page.goBack();
  await expect(page).toHaveURL(/\/keys$/);
  await expect(page.getByTestId("key-row").first()).toBeVisible();
  await expect(page.getByTestId("key-secret")).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId("key-secret")).toHaveCount(0);
  expect(await page.content()).not.toContain(secret);
  const row = page.getByTestId("key-row").filter({ hasText: address });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId("key-display")).toHaveText(`${secret.slice(0, 12)}…${secret.slice(-4)}`);
  await expect(row).toContainText("read_write");

  await row.getByRole("button", { name: "Revoke" }).click();
  await row.getByRole("button", { name: "Revoke key" }).click();
  await expect(row).toHaveAttribute("data-key-status", "revoked");

  const refused = await request.get("/api/v1/whoami", { headers: { authorization: `Bearer ${secret}` } });
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error.code).toBe("key_revoked");

  // The audit log shows the issuance and the revocation.
  await page.goto("/audit");
  await expect(page.getByTestId("audit-row").filter({ hasText: "key.revoked" })).toHaveCount(1);
  await expect(page.getByTestId("audit-row").filter({ hasText: "key.issued" })).toHaveCount(1);
});

test("a viewer sees keys and mailboxes but no controls to change them", async ({ page, browser }) => {
  await signUp(page, uniqueEmail("owner"), "Viewer Test");
  const address = await createMailbox(page, "watched");
  await page.goto("/keys");
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByTestId("key-secret")).toBeVisible();

  const { context: viewerContext, invitee: viewer } = await inviteNewMember(page, browser, uniqueEmail("viewer"), "viewer");
  await expect(viewer.getByTestId("member-role")).toHaveText("viewer");

  await viewer.goto("/keys");
  await expect(viewer.getByTestId("key-row").filter({ hasText: address })).toHaveCount(1);
  await expect(viewer.getByRole("button", { name: "Create key" })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: "Revoke" })).toHaveCount(0);

  await viewer.goto("/mailboxes");
  await expect(viewer.getByTestId("mailbox-row").filter({ hasText: address })).toHaveCount(1);
  await expect(viewer.getByRole("button", { name: "Create mailbox" })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: "Suspend" })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: "Delete" })).toHaveCount(0);
  await viewerContext.close();
});
