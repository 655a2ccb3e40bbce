import { expect, test } from "@playwright/test";
import { createMailbox, signUp, uniqueEmail } from "./helpers";

test("an admin approves a held send on the Approvals page and it is delivered", async ({ page, request }) => {
  await signUp(page, uniqueEmail("approver"), "Approvals Inc");
  const address = await createMailbox(page, "held");

  await page.goto("/keys");
  await page.getByLabel("Mailbox", { exact: true }).selectOption({ label: address });
  await page.getByLabel("Role", { exact: true }).selectOption("read_write");
  await page.getByRole("button", { name: "Create key" }).click();
  const secret = (await page.getByTestId("key-secret").textContent())!.trim();
  const auth = { authorization: `Bearer ${secret}` };
  const whoami = await (await request.get("/api/v1/whoami", { headers: auth })).json();
  const mailboxId: string = whoami.mailbox.id;

  // The mailbox's Settings tab sets the send policy.
  await page.goto(`/mailboxes/${mailboxId}/settings`);
  await page.getByLabel("Send policy").selectOption("approval");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Send policy")).toHaveValue("approval");

  const sent = await request.post(`/api/v1/mailboxes/${mailboxId}/messages`, {
    headers: { ...auth, "content-type": "application/json" },
    data: { to: ["client@elsewhere.test"], subject: "Proposal for review", text: "Hello", html: `<p id="proposal">Our <b>proposal</b></p><script>document.title="pwned"</script>` },
  });
  expect(sent.status()).toBe(202);
  const held = await sent.json();
  expect(held.status).toBe("pending_approval");
  // The agent's own key cannot approve it.
  const selfApproved = await request.post(`/api/v1/mailboxes/${mailboxId}/messages/${held.id}/approve`, { headers: auth });
  expect(selfApproved.status()).toBe(403);

  // The Approvals page (in the navigation) lists it, and fits a phone.
  await page.goto("/overview");
  await expect(page.getByTestId("pending-approvals")).toHaveText("1 send is waiting");
  await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Approvals" }).click();
  await expect(page).toHaveURL(/\/approvals$/);
  const row = page.getByTestId("approval-row").filter({ hasText: "Proposal for review" });
  await expect(row).toContainText(address);
  await expect(row).toContainText("client@elsewhere.test");
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(row).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  await row.getByRole("link", { name: "Proposal for review" }).click();
  await expect(page).toHaveURL(new RegExp(`/approvals/${mailboxId}/${held.id}$`));
  await expect(page.getByTestId("message-status")).toHaveText("pending approval");
  const frame = page.getByTestId("message-html");
  await expect(frame).toHaveAttribute("sandbox", "allow-popups allow-popups-to-escape-sandbox");
  expect((await frame.getAttribute("srcdoc")) ?? "").not.toContain("<script");
  await expect(page.frameLocator('[data-testid="message-html"]').locator("#proposal")).toHaveText("Our proposal");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.setViewportSize({ width: 1280, height: 900 });
  // A full reload answers too.
  expect((await page.reload())?.status()).toBe(200);

  await page.getByRole("button", { name: "Approve and send" }).click();
  await expect(page.getByTestId("message-status")).toHaveText(/^(sent|delivered)$/, { timeout: 30_000 });
  expect(await page.title()).not.toBe("pwned");

  const after = await (await request.get(`/api/v1/mailboxes/${mailboxId}/messages/${held.id}`, { headers: auth })).json();
  expect(["sent", "delivered"]).toContain(after.status);
  await page.goto("/approvals");
  await expect(page.getByTestId("approvals-empty")).toBeVisible();
  // The local provider recorded exactly one copy for the outside address.
  await page.goto("/outbox");
  await expect(page.getByRole("row").filter({ hasText: "client@elsewhere.test" })).toHaveCount(1);
});
