import { expect, test } from "@playwright/test";
import { signUp, uniqueEmail } from "./helpers";

test("a wrong password is refused with a clear message", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(uniqueEmail("nobody"));
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "do not match an account" })).toBeVisible();
});

test("repeated wrong passwords slow the address down with a clear message", async ({ page }) => {
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
  // From now on each attempt must wait 1 s, 2 s, 4 s … after the previous failure:
  // guessing on as fast as the form allows soon meets the throttle.
  const throttled = page.getByRole("alert").filter({ hasText: "Too many failed sign-ins" });
  for (let i = 0; i < 8 && !(await throttled.isVisible()); i++) await attempt(`another guess ${i}`);
  await expect(throttled).toBeVisible();
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
