// Shared steps of the browser tests (not a spec file itself).
import { expect, type Browser, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";

export const PASSWORD = "correct horse battery staple";

export function uniqueEmail(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString("hex")}@example.test`;
}

export async function signUp(page: Page, email: string, tenantName: string) {
  await page.goto("/sign-up");
  await page.getByLabel("Organisation name").fill(tenantName);
  await page.getByLabel("Your name").fill("Ada Owner");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  // Sign-up hashes the password with scrypt at N = 2^17: allow for a busy machine. The
  // first account on an embedded database is signed in at once; any other is asked to
  // verify its address and may sign in meanwhile (it reaches the tenant it created).
  const checkEmail = page.getByRole("heading", { name: "Check your email" });
  await expect(async () => {
    if (!/\/overview$/.test(page.url()) && !(await checkEmail.isVisible())) throw new Error("sign-up has not answered yet");
  }).toPass({ timeout: 30_000 });
  if (await checkEmail.isVisible()) await signIn(page, email);
}

export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/overview$/, { timeout: 30_000 });
}

/** The newest link to `path` in system mail to `email`, as an admin of the tenant sees it in the dev outbox. */
export async function linkFromDevOutbox(page: Page, email: string, path: "/invite/" | "/verify-email?token="): Promise<string> {
  await page.goto("/outbox");
  const mail = page.getByTestId("system-mail").filter({ hasText: `To ${email}` }).first();
  await expect(mail).toBeVisible();
  const text = (await mail.textContent()) ?? "";
  const at = text.indexOf(path);
  expect(at).toBeGreaterThan(0);
  return text.slice(at, at + path.length + 43);
}

/** An admin's page invites a new address with a role; the invitee signs up through the link, in a browser of their own. */
export async function inviteNewMember(page: Page, browser: Browser, email: string, role: "admin" | "viewer", viewport?: { width: number; height: number }) {
  await page.goto("/members");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Role", { exact: true }).selectOption(role);
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Invitation sent to ${email}` })).toBeVisible();
  const link = await linkFromDevOutbox(page, email, "/invite/");

  const context = await browser.newContext(viewport ? { viewport } : {});
  const invitee = await context.newPage();
  const opened = await invitee.goto(link);
  // The invitation's token is in the path: it never leaves in a Referer.
  expect(opened!.headers()["referrer-policy"]).toBe("no-referrer");
  await expect(invitee.getByRole("heading", { name: /^Join / })).toBeVisible();
  await invitee.getByLabel("Your name").fill("Ivy Invitee");
  await invitee.getByLabel("Password").fill(PASSWORD);
  await invitee.getByRole("button", { name: "Create account and join" }).click();
  await expect(invitee).toHaveURL(/\/overview$/, { timeout: 30_000 });
  return { context, invitee };
}

export async function createMailbox(page: Page, localPart: string): Promise<string> {
  await page.goto("/mailboxes");
  await page.getByLabel("Local part (before the @)").fill(localPart);
  await page.getByLabel("Display name (optional)").fill("Agent One");
  await page.getByLabel("Client ref: your customer id (optional)").fill(`cus_${localPart}`);
  await page.getByRole("button", { name: "Create mailbox" }).click();
  const notice = page.getByRole("status").filter({ hasText: "Created" });
  await expect(notice).toBeVisible();
  const address = /Created (\S+)\./.exec((await notice.textContent()) ?? "")?.[1];
  expect(address).toContain(`${localPart}@`);
  return address!;
}

