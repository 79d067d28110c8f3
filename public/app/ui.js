// Page plumbing of the demo app: views, messages in plain words, the QR code.
import { encode } from "./qr.js";

export const $ = (id) => document.getElementById(id);

/** Shows one view, hides the others, and moves focus to its heading for screen readers and keyboards. */
export function show(view) {
  for (const section of document.querySelectorAll("[data-view]")) section.hidden = section.id !== `view-${view}`;
  document.querySelector("main").setAttribute("aria-busy", "false");
  document.querySelector(`#view-${view} h1`)?.focus();
}

export function notice(text) {
  $("alert").hidden = true;
  $("notice").textContent = text;
  $("notice").hidden = !text;
}

export function alertText(text, where = "alert") {
  if (where === "alert") $("notice").hidden = true;
  $(where).textContent = text;
  $(where).hidden = !text;
}

export const clearMessages = () => {
  alertText("");
  notice("");
};

const FIELD = {
  email: "Enter a valid email address.",
  password: "Enter your password.",
  currentPassword: "Enter your current password.",
  newPassword: "Enter a new password.",
  code: "Enter the code.",
  name: "Enter your name.",
};

/** What the browser's WebAuthn refusals (DOMException names) mean to the user. */
const PASSKEY = {
  NotAllowedError: "No passkey was used: the request was cancelled or timed out. Try again, or choose another way.",
  InvalidStateError: "This device already holds a passkey for your account.",
  SecurityError: "Passkeys don’t work on this address. Open the app on its own domain (locally: http://localhost, not 127.0.0.1).",
  NotSupportedError: "This browser or device can’t make a passkey. Try another way.",
};

/** What to tell the user about a failed call, in their words, never the server's. */
export function sayError(err) {
  if (err instanceof DOMException && Object.hasOwn(PASSKEY, err.name)) return PASSKEY[err.name];
  switch (err?.code) {
    case "invalid_credentials":
      return err.status === 400 ? "Your current password is not right." : "That email and password don’t match. Check them and try again.";
    case "email_not_confirmed":
      return "Please confirm your email address first: enter the code we sent you.";
    case "user_already_exists":
      return "An account with this email already exists. Sign in instead.";
    case "weak_password":
      return "Choose a stronger password: at least 8 characters, with upper- and lower-case letters, a number and a symbol. A recently used password can’t be used again.";
    case "passkey_refused":
      return "That passkey doesn’t sign in to this account. Try another way to sign in.";
    case "code_mismatch":
      return "That code isn’t right. Check it and try again.";
    case "code_expired":
      return "That code has expired. Ask for a new one.";
    case "invalid_session":
      return "That took too long. Please sign in again.";
    case "too_many_requests":
      return `Too many attempts. Please wait ${err.retryAfter ?? "a few"} seconds and try again.`;
    case "reauthentication_required":
      return "For your security, this change needs a fresh sign-in. Try again and confirm it’s you when asked.";
    case "not_signed_in":
    case "invalid_refresh_token":
    case "unauthorized":
    case "token_expired":
      return "Your session has ended. Please sign in again.";
    case "validation_failed":
      return FIELD[err.errors?.[0]?.path] ?? "Some of what you entered isn’t valid. Check it and try again.";
    case "network_error":
    case "upstream_unavailable":
      return "We can’t reach the service right now. Please try again in a moment.";
    default:
      return "Something went wrong on our side. Please try again.";
  }
}

/** Runs a form's action with its button disabled; shows the error in words if it fails. */
export function onSubmit(form, action, where = "alert") {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    alertText("", where);
    try {
      await action(Object.fromEntries(new FormData(form)));
    } catch (err) {
      alertText(sayError(err), where);
    } finally {
      button.disabled = false;
    }
  });
}

/** Runs an action from a button with the button disabled; errors in words. */
export function onClick(button, action) {
  button.addEventListener("click", async () => {
    button.disabled = true;
    clearMessages();
    try {
      await action();
    } catch (err) {
      alertText(sayError(err));
    } finally {
      button.disabled = false;
    }
  });
}

/** Draws `text` as a QR code (SVG built with DOM calls: one path of dark modules). */
export function drawQr(container, text) {
  const { data, size } = encode(text, { ecc: "M", border: 2 });
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${size} ${size}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", "QR code for your authenticator app");
  svg.setAttribute("shape-rendering", "crispEdges");
  const background = document.createElementNS(ns, "rect");
  background.setAttribute("width", size);
  background.setAttribute("height", size);
  background.setAttribute("fill", "#fff");
  const path = document.createElementNS(ns, "path");
  let d = "";
  data.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) d += `M${x} ${y}h1v1h-1z`;
    });
  });
  path.setAttribute("d", d);
  svg.append(background, path);
  container.replaceChildren(svg);
}
