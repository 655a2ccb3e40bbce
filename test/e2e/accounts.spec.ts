// Accounts belong to whoever proves the address, and sessions end when they should
// (issue #11): the invitation flow, sign-up verification and a password change, as a
// person sees them in the browser.
import { expect, test } from "@playwright/test";
import { inviteNewMember, linkFromDevOutbox, PASSWORD, signIn, signUp, uniqueEmail } from "./helpers";

const PHONE = { width: 390, height: 844 };

test("an admin invites an address; the invitee signs up through the link and is on the tenant's dashboard with the role", async ({ page, browser }) => {
  await signUp(page, uniqueEmail("owner"), "Invite Co");
  const inviteeEmail = uniqueEmail("invitee");
  const { context, invitee } = await inviteNewMember(page, browser, inviteeEmail, "admin", PHONE);
  // Opening the link proved the address: the account is verified and in the tenant as admin.
  await expect(invitee.getByTestId("member-role")).toHaveText("admin");
  await expect(invitee.locator("select option:checked")).toHaveText(/Invite Co/);
  await invitee.goto("/account");
  await expect(invitee.getByRole("heading", { name: "Verify your address" })).toHaveCount(0);
  expect(await invitee.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  await invitee.screenshot({ path: "test-results/accounts/01-invitee-account.png", fullPage: true });

  // The link was single-use; the admin sees the member and no pending invitation.
  await page.goto("/members");
  await expect(page.getByTestId("member-row").filter({ hasText: inviteeEmail })).toContainText("admin");
  await expect(page.getByTestId("invitation-row")).toHaveCount(0);
  await context.close();
});

test("sign-up asks to verify the address; the link from the dev outbox verifies it", async ({ page }) => {
  // Another account first, so this one is never the embedded database's first (verified) sign-up.
  await signUp(page, uniqueEmail("first"), "Someone Else");
  await page.context().clearCookies();
  const email = uniqueEmail("verify");
  await page.goto("/sign-up");
  await page.getByLabel("Organisation name").fill("Verify Co");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole("status").filter({ hasText: email })).toBeVisible();

  // Signed in before verifying, the account reaches its own tenant and is asked to verify.
  await signIn(page, email);
  await page.goto("/account");
  await expect(page.getByRole("heading", { name: "Verify your address" })).toBeVisible();
  const link = await linkFromDevOutbox(page, email, "/verify-email?token=");
  // The link's page on a phone: it fits, and its token never leaves in a Referer.
  await page.setViewportSize(PHONE);
  const opened = await page.goto(link);
  expect(opened!.status()).toBe(200);
  expect(opened!.headers()["referrer-policy"]).toBe("no-referrer");
  await expect(page.getByRole("button", { name: "Verify my address" })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  await page.getByRole("button", { name: "Verify my address" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Your address is verified." })).toBeVisible();
  await page.goto(link);
  await page.getByRole("button", { name: "Verify my address" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "This link is not valid" })).toBeVisible();
  await page.goto("/account");
  await expect(page.getByRole("heading", { name: "Verify your address" })).toHaveCount(0);
});

test("sign-up with an address that has an account answers the same and gives no access", async ({ page, browser }) => {
  const email = uniqueEmail("taken");
  await signUp(page, email, "Owner Co");
  const context = await browser.newContext();
  const stranger = await context.newPage();
  await stranger.goto("/sign-up");
  await stranger.getByLabel("Organisation name").fill("Squat Co");
  await stranger.getByLabel("Email").fill(email);
  await stranger.getByLabel("Password").fill("the stranger's own password");
  await stranger.getByRole("button", { name: "Create account" }).click();
  await expect(stranger.getByRole("heading", { name: "Check your email" })).toBeVisible({ timeout: 30_000 });
  await stranger.goto("/sign-in");
  await stranger.getByLabel("Email").fill(email);
  await stranger.getByLabel("Password").fill("the stranger's own password");
  await stranger.getByRole("button", { name: "Sign in" }).click();
  await expect(stranger.getByRole("alert").filter({ hasText: "do not match an account" })).toBeVisible();
  await context.close();
});

test("a password change ends the other session at once; this browser stays signed in", async ({ page, browser }) => {
  const email = uniqueEmail("sessions");
  await signUp(page, email, "Session Co");
  const context = await browser.newContext();
  const other = await context.newPage();
  await signIn(other, email);

  await page.goto("/account");
  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByLabel("New password", { exact: true }).fill("a different long password");
  await page.getByLabel("New password again").fill("a different long password");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Every other session has been signed out" })).toBeVisible({ timeout: 30_000 });

  await other.goto("/overview");
  await expect(other).toHaveURL(/\/sign-in$/);
  await page.goto("/overview");
  await expect(page).toHaveURL(/\/overview$/);

  // Sign out everywhere ends this one too.
  await page.goto("/account");
  await page.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(page).toHaveURL(/\/sign-in$/, { timeout: 30_000 });
  await page.goto("/overview");
  await expect(page).toHaveURL(/\/sign-in$/);
  await context.close();
});
