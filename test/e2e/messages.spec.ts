import { expect, test } from "@playwright/test";
import { createMailbox, signUp, uniqueEmail } from "./helpers";

test("mail sent through the API is read in the dashboard, its HTML sanitised in a script-less sandbox", async ({ page, request }) => {
  await signUp(page, uniqueEmail("owner"), "Mail Reader");
  const sender = await createMailbox(page, "sender");
  const receiver = await createMailbox(page, "receiver");

  await page.goto("/keys");
  await page.getByLabel("Mailbox", { exact: true }).selectOption({ label: sender });
  await page.getByLabel("Role", { exact: true }).selectOption("read_write");
  await page.getByRole("button", { name: "Create key" }).click();
  const secret = (await page.getByTestId("key-secret").textContent())!.trim();
  const whoami = await (await request.get("/api/v1/whoami", { headers: { authorization: `Bearer ${secret}` } })).json();

  // The local provider delivers mail for a mailbox of this deployment as inbound mail.
  const html = `<p id="greeting">Hello <b>receiver</b></p><script>document.title="pwned"</script><img src="https://tracker.example/pixel.png" onerror="alert(1)">`;
  const sent = await request.post(`/api/v1/mailboxes/${whoami.mailbox.id}/messages`, {
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
    data: {
      to: [receiver, "someone@elsewhere.test"],
      subject: "Quarterly numbers",
      text: "Hello receiver",
      html,
      attachments: [{ filename: "numbers.csv", contentType: "text/csv", content: Buffer.from("q,total\n1,42\n").toString("base64") }],
    },
  });
  expect(sent.status()).toBe(202);
  expect((await sent.json()).status).toBe("queued");

  // The receiver's mailbox shows the thread once the outbox worker has delivered it.
  await page.goto("/mailboxes");
  await page.getByTestId("mailbox-row").filter({ hasText: receiver }).getByRole("link").first().click();
  await expect(page).toHaveURL(/\/mailboxes\/[0-9a-f-]{36}$/);
  const threadLink = page.getByRole("list", { name: "Threads" }).getByRole("link", { name: /Quarterly numbers/ });
  await expect(async () => {
    await page.reload();
    await expect(threadLink).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await threadLink.click();
  const view = page.getByTestId("thread-view");
  await expect(view.getByRole("heading", { name: "Quarterly numbers" })).toBeVisible();

  const frame = view.getByTestId("message-html");
  await expect(frame).toHaveAttribute("sandbox", "allow-popups allow-popups-to-escape-sandbox");
  const srcdoc = (await frame.getAttribute("srcdoc")) ?? "";
  expect(srcdoc).toContain("Hello <b>receiver</b>");
  expect(srcdoc).not.toContain("<script");
  expect(srcdoc).not.toContain("onerror");
  expect(srcdoc).toContain("img-src data:;");
  await expect(page.frameLocator('[data-testid="message-html"]').locator("#greeting")).toHaveText("Hello receiver");
  expect(await page.title()).not.toBe("pwned");
  await expect(view.getByText("Remote images are blocked")).toBeVisible();

  const download = page.waitForEvent("download");
  await view.getByRole("link", { name: /numbers\.csv/ }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe("numbers.csv");

  // The external recipient is recorded in the dev outbox.
  await page.goto("/outbox");
  await expect(page.getByRole("row").filter({ hasText: "someone@elsewhere.test" })).toContainText("Quarterly numbers");
});
