// Shared steps of the browser tests (not a spec file itself).
import { expect, type Page } from "@playwright/test";
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
  // Sign-up hashes the password with scrypt at N = 2^17: allow for a busy machine.
  await expect(page).toHaveURL(/\/overview$/, { timeout: 30_000 });
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

