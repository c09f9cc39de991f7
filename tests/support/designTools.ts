/**
 * The design toolbar as a user reaches it: a tool's radio button when the toolbar has room for it, else the same
 * tool in the toolbar's "More" menu (the buttons that do not fit the card move there).
 */
import type { Page } from "playwright-core";

export async function chooseTool(page: Page, name: string): Promise<void> {
  const radio = page.getByTestId("design-toolbar").getByRole("radio", { name, exact: true });
  if (await radio.isVisible()) {
    await radio.click();
    return;
  }
  await fromMore(page, "menuitemradio", name);
}

/** Turns a view toggle (Heat map, Clusters) on or off from the toolbar or its "More" menu. */
export async function toggleView(page: Page, name: string): Promise<void> {
  const button = page.getByTestId("design-toolbar").getByRole("button", { name, exact: true });
  if (await button.isVisible()) {
    await button.click();
    return;
  }
  await fromMore(page, "menuitemcheckbox", name);
}

/** Picks an item of the "More" menu (opening it unless open) and closes the menu if it stayed open. */
async function fromMore(page: Page, role: "menuitemradio" | "menuitemcheckbox", name: string): Promise<void> {
  const menu = page.getByTestId("design-toolbar-more-menu");
  if (!(await menu.isVisible())) await page.getByTestId("design-toolbar-more").click();
  await menu.getByRole(role, { name, exact: true }).click();
  if (await menu.isVisible()) await page.keyboard.press("Escape");
}
