// The account page's passkeys: the list with a remove button each, and "Add a
// passkey". Adding and removing are step-up changes: the client's reauthenticate
// hook asks the user to confirm it's them, then the call is retried.
import { $, notice, onClick, sayError } from "./ui.js";
import { createPasskey, passkeysSupported } from "./webauthn.js";

/** Wires the panel to `client`; returns the function that redraws the list. */
export function passkeyPanel(client) {
  const list = $("passkey-list");

  function item(passkey) {
    const added = new Date(passkey.createdAt).toLocaleDateString(undefined, { dateStyle: "medium" });
    const label = document.createElement("span");
    label.textContent = `${passkey.name}, added ${added}`;
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "secondary";
    remove.textContent = "Remove";
    remove.setAttribute("aria-label", `Remove ${passkey.name}, added ${added}`);
    onClick(remove, async () => {
      await client.passkeys.delete(passkey.id);
      await redraw();
      notice("The passkey is removed from your account. You can also delete it from your device.");
    });
    const li = document.createElement("li");
    li.append(label, remove);
    return li;
  }

  /** Lists the passkeys; a failure to list shows in the panel, not as the page's error. */
  async function redraw() {
    $("passkeys").hidden = !passkeysSupported();
    if (!passkeysSupported()) return;
    try {
      const { passkeys } = await client.passkeys.list();
      list.replaceChildren(...passkeys.map(item));
      $("passkey-status").textContent = passkeys.length ? "" : "No passkeys yet.";
    } catch (err) {
      list.replaceChildren();
      $("passkey-status").textContent = sayError(err);
    }
  }

  onClick($("passkey-add"), async () => {
    const { credentialCreationOptions } = await client.passkeys.startRegistration();
    await client.passkeys.completeRegistration(await createPasskey(credentialCreationOptions));
    await redraw();
    notice("Your passkey is added. Next time, sign in with it.");
  });

  return redraw;
}
