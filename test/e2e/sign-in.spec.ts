import { expect, test } from "@playwright/test";
import { PASSWORD, signUp, uniqueEmail } from "./helpers";

test("a wrong password is refused with a clear message", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(uniqueEmail("nobody"));
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "do not match an account" })).toBeVisible();
});

test("repeated wrong passwords lock the address with a clear message", async ({ page }) => {
  const email = uniqueEmail("locked");
  await signUp(page, email, "Lockout Test");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto("/overview");
  await expect(page).toHaveURL(/\/sign-in$/);

  // Each attempt waits until the form has the server's answer (React then clears
  // the password field) before the next one is typed.
  const attempt = async (password: string) => {
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByLabel("Password")).toHaveValue("");
  };
  for (let i = 0; i < 5; i++) {
    await attempt(`wrong password ${i}`);
    await expect(page.getByRole("alert").filter({ hasText: "do not match an account" })).toBeVisible();
  }
  await attempt(PASSWORD);
  await expect(page.getByRole("alert").filter({ hasText: "Too many failed sign-ins" })).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in$/);
});

test("a member of two tenants switches between them", async ({ page }) => {
  await signUp(page, uniqueEmail("multi"), "First Tenant");
  await page.getByRole("link", { name: "New tenant" }).click();
  await page.getByLabel("Organisation name").fill("Second Tenant");
  await page.getByRole("button", { name: "Create tenant" }).click();
  await expect(page).toHaveURL(/\/overview$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Second Tenant");

  await page.getByLabel("Tenant", { exact: true }).selectOption({ label: "First Tenant (owner)" });
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("First Tenant");
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("First Tenant");
});
