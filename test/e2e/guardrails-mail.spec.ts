// Screening and drafts in the dashboard (SPEC §13): a phishing-shaped message shows a
// warning above it, and drafts an agent saved over the API are listed on the mailbox's
// Drafts tab, which also loads directly and fits a 390 px phone.
import { expect, test } from "@playwright/test";
import { createMailbox, signUp, uniqueEmail } from "./helpers";

test("a flagged message shows the screening banner; drafts saved over the API are listed", async ({ page, request }) => {
  test.setTimeout(180_000); // a busy shared machine: page loads take seconds
  await signUp(page, uniqueEmail("guard"), "Guarded Mail");
  const sender = await createMailbox(page, "agent");
  const receiver = await createMailbox(page, "inbox");

  await page.goto("/keys");
  await page.getByLabel("Mailbox", { exact: true }).selectOption({ label: sender });
  await page.getByLabel("Role", { exact: true }).selectOption("read_write");
  await page.getByRole("button", { name: "Create key" }).click();
  const secret = (await page.getByTestId("key-secret").textContent())!.trim();
  const headers = { authorization: `Bearer ${secret}`, "content-type": "application/json" };
  const senderId = (await (await request.get("/api/v1/whoami", { headers })).json()).mailbox.id as string;

  // The local provider delivers it to the receiver as inbound mail, screened on arrival.
  const sent = await request.post(`/api/v1/mailboxes/${senderId}/messages`, {
    headers,
    data: {
      to: [receiver],
      subject: "Update your payment details",
      html: '<p>Please sign in: <a href="https://login.evil.example/x">https://www.bank.example/signin</a></p>',
    },
  });
  expect(sent.status()).toBe(202);

  await page.goto("/mailboxes");
  await page.getByTestId("mailbox-row").filter({ hasText: receiver }).getByRole("link").first().click();
  await expect(page).toHaveURL(/\/mailboxes\/[0-9a-f-]{36}$/, { timeout: 30_000 });
  const link = page.getByRole("list", { name: "Threads" }).getByRole("link", { name: /Update your payment details/ });
  await expect(async () => {
    await page.reload();
    await expect(link).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 90_000 });
  await expect(link.getByTestId("flagged")).toBeVisible();
  await link.click();
  const banner = page.getByTestId("thread-view").getByTestId("security-banner");
  await expect(banner).toBeVisible();
  await expect(banner).toContainText("Be careful with this message");
  await expect(banner.locator('[data-flag="link_text_mismatch"]')).toContainText("different site");
  await expect(banner.locator("[data-flag]")).toHaveCount(1);
  // The marked list and the banner fit a phone, on a full reload too.
  await page.setViewportSize({ width: 390, height: 844 });
  expect((await page.reload())?.status()).toBe(200);
  await expect(page.getByTestId("security-banner")).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  // A draft the agent saved (not sent) appears on the sender's Drafts tab.
  const draft = await request.post(`/api/v1/mailboxes/${senderId}/drafts`, {
    headers,
    data: { to: ["client@elsewhere.example"], subject: "Proposal for review", text: "Dear client, here is the proposal." },
  });
  expect(draft.status()).toBe(201);
  const response = await page.goto(`/mailboxes/${senderId}/drafts`);
  expect(response?.status()).toBe(200);
  const item = page.getByTestId("draft").filter({ hasText: "Proposal for review" });
  await expect(item).toBeVisible();
  await expect(item).toContainText("client@elsewhere.example");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  // Sent, it leaves the list.
  const id = (await draft.json()).id as string;
  expect((await request.post(`/api/v1/mailboxes/${senderId}/drafts/${id}/send`, { headers, data: {} })).status()).toBe(202);
  await page.reload();
  await expect(page.getByTestId("drafts-empty")).toBeVisible();
});
