// The demo app's page as the walk reads it: the view on screen, its headings,
// fields, buttons and banners, found by their names as a user (or a screen
// reader) finds them, and the step-up's "Confirm it's you" dialog.
import type { Page } from "playwright-core";
import { encode } from "uqr";
import { screenshot } from "./harness";

/** The SVG path the demo draws for the QR code of `text` (ECC level M, a border of 2): one unit square per dark module. */
export const qrPath = (text: string): string =>
  encode(text, { ecc: "M", border: 2 })
    .data.flatMap((row, y) => row.map((dark, x) => (dark ? `M${x} ${y}h1v1h-1z` : "")))
    .join("");

/** The demo's controls on `current()` page (a getter: the page is made in beforeAll). */
export function demoPage(current: () => Page) {
  /** The view on screen: the page holds all of them, hidden but one. */
  const view = () => current().locator("[data-view]:not([hidden])");
  return {
    heading: (name: string) => view().getByRole("heading", { level: 1, name }),
    field: (label: string) => view().getByLabel(label, { exact: true }),
    button: (name: string) => view().getByRole("button", { name, exact: true }),
    /** The text of the alert or notice banner as shown ("" while it is hidden). */
    async shown(id: "alert" | "notice"): Promise<string> {
      const box = current().locator(`#${id}`);
      return (await box.isVisible()) ? ((await box.textContent()) ?? "") : "";
    },
    /** The re-authentication dialog of the step-up (outside the views): waits for it, then signs in again with `how`. */
    async confirmItsYou(how: { password: string } | "use a passkey", screen?: string): Promise<void> {
      const dialog = current().locator("#reauth");
      await dialog.getByRole("heading", { name: "Confirm it’s you" }).waitFor();
      if (how !== "use a passkey") await dialog.getByLabel("Password", { exact: true }).fill(how.password);
      if (screen) await screenshot(current(), screen, { fullPage: false });
      await dialog.getByRole("button", { name: how === "use a passkey" ? how : "Continue", exact: true }).click();
    },
  };
}
