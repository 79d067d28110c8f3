// The demo sign-in app: the typed client in session delivery, for the Worker
// in SESSION_MODE=browser (as `npm start` runs it): the page holds no token at
// all, only the Worker's HttpOnly session cookies, which no script can read.
import { CognitoEdgeClient } from "./client.js";
import { passkeyPanel } from "./passkeys.js";
import { confirmIdentity } from "./reauth.js";
import { $, alertText, clearMessages, drawQr, notice, onClick, onSubmit, sayError, show } from "./ui.js";
import { answerWithPasskey, passkeysSupported } from "./webauthn.js";

let email = "";
/** What to tell the user once the account page shows (after a challenge, say). */
let pendingNotice = "";

// A Worker in SESSION_MODE=browser says so on /health; in token mode the page holds the access
// token in memory and the refresh token stays in the HttpOnly cookie (cookie delivery).
const health = await fetch("/health")
  .then((res) => res.json())
  .catch(() => ({}));
const client = new CognitoEdgeClient({
  delivery: health.features?.browserSessions === false ? "cookie" : "session",
  onSignedOut(reason) {
    if (reason === "session_ended") {
      show("signin");
      alertText("Your session has ended. Please sign in again.");
    }
  },
  reauthenticate: (context) => confirmIdentity(client, context.email ?? email, context.error),
});

for (const link of document.querySelectorAll("[data-go]")) {
  link.addEventListener("click", () => {
    clearMessages();
    show(link.dataset.go);
  });
}

/** The challenges answered with a code: the view's title and text, and the code's digits. */
function codeStep({ challenge, delivery }) {
  const to = delivery?.destination;
  const steps = {
    SOFTWARE_TOKEN_MFA: ["Two-step verification", "Enter the 6-digit code from your authenticator app.", 6],
    SMS_MFA: ["Two-step verification", "Enter the code from the text message we sent.", 8],
    EMAIL_OTP: ["Check your email", `Enter the code we sent to ${to ?? "your email address"}.`, 8],
    SMS_OTP: ["Check your phone", `Enter the code we sent to ${to ?? "your phone"}.`, 8],
  };
  return steps[challenge];
}

/** After a sign-in step: the account, or the next challenge. */
async function afterSignIn(result) {
  if (result.status === "signedIn") return showAccount();
  if (result.challenge === "WEB_AUTHN") return afterSignIn(await answerWithPasskey(client, result));
  const step = codeStep(result);
  if (step) {
    const [title, text, digits] = step;
    $("challenge-title").textContent = title;
    $("challenge-text").textContent = text;
    $("challenge-form").reset();
    $("challenge-code").pattern = `[0-9]{6,${digits}}`;
    $("challenge-code").maxLength = digits;
    return show("challenge");
  }
  if (result.challenge === "NEW_PASSWORD_REQUIRED") return show("new-password");
  alertText("This account needs a sign-in step this page does not offer. Ask your administrator.");
}

/** Signs in with `body` (a password or a method); an unconfirmed account goes to the code form. */
async function signIn(body) {
  email = body.email;
  try {
    await afterSignIn(await client.login(body));
  } catch (err) {
    if (err.code !== "email_not_confirmed") throw err;
    $("confirm-destination").textContent = email;
    show("confirm");
    alertText(sayError(err));
  }
}

onSubmit($("signin-form"), async (form) => {
  await signIn({ email: form.email.trim().toLowerCase(), password: form.password });
  $("signin-password").value = "";
});

/** The email typed on the sign-in form, once the browser finds it valid (else it says why). */
function typedEmail() {
  const input = $("signin-email");
  return input.reportValidity() ? input.value.trim().toLowerCase() : undefined;
}

$("signin-passkey").hidden = !passkeysSupported();
onClick($("signin-passkey"), async () => {
  const typed = typedEmail();
  if (typed) await signIn({ email: typed, method: "passkey" });
});
onClick($("signin-code"), async () => {
  const typed = typedEmail();
  if (typed) await signIn({ email: typed, method: "email_otp" });
});

onSubmit($("register-form"), async (form) => {
  email = form.email.trim().toLowerCase();
  const registered = await client.register({ email, password: form.password, name: form.name });
  $("confirm-destination").textContent = registered.delivery?.destination ?? email;
  $("register-form").reset();
  show("confirm");
});

onSubmit($("confirm-form"), async (form) => {
  // Right after registering, the Worker signs the user in with the confirmation.
  const { signedIn } = await client.verifyEmail({ email, code: form.code.trim() });
  $("confirm-form").reset();
  if (signedIn) {
    pendingNotice = "Your email is confirmed, and you are signed in.";
    return showAccount();
  }
  $("signin-email").value = email;
  show("signin");
  notice("Your email is confirmed. Sign in to continue.");
});

$("resend-code").addEventListener("click", async () => {
  try {
    await client.resendCode(email);
    notice("We sent a new code. It can take a minute to arrive.");
  } catch (err) {
    alertText(sayError(err));
  }
});

onSubmit($("challenge-form"), async (form) => afterSignIn(await client.answerChallenge({ code: form.code.trim() })));
onSubmit($("new-password-form"), async (form) => afterSignIn(await client.answerChallenge({ newPassword: form.newPassword })));

const redrawPasskeys = passkeyPanel(client);

async function showAccount() {
  const profile = await client.me();
  email = profile.email;
  $("profile-email").textContent = profile.email;
  $("profile-verified").textContent = profile.emailVerified ? "verified" : "not verified";
  $("profile-name").value = profile.name ?? "";
  $("totp-setup").hidden = true;
  await redrawPasskeys();
  show("account");
  if (pendingNotice) notice(pendingNotice);
  pendingNotice = "";
}

onSubmit($("profile-form"), async (form) => {
  const profile = await client.updateMe({ name: form.name.trim() });
  $("profile-name").value = profile.name ?? "";
  notice("Your name is saved.");
});

onClick($("totp-start"), async () => {
  const { secret, otpauthUri } = await client.setUpTotp();
  drawQr($("totp-qr"), otpauthUri);
  $("totp-secret").textContent = secret.match(/.{1,4}/g).join(" ");
  $("totp-setup").hidden = false;
  $("totp-code").focus();
});

onSubmit($("totp-form"), async (form) => {
  await client.verifyTotp({ code: form.code.trim(), deviceName: "Authenticator app" });
  $("totp-form").reset();
  $("totp-setup").hidden = true;
  notice("Two-step verification is on. You will be asked for a code when you sign in.");
});

onClick($("totp-off"), async () => {
  await client.deleteTotp();
  notice("Two-step verification is off.");
});

onSubmit($("password-form"), async (form) => {
  const result = await client.changePassword(form);
  $("password-form").reset();
  if (result.status === "signedOut") {
    show("signin");
    return notice("Your password is changed. Sign in with the new one.");
  }
  pendingNotice = "Your password is changed, and you are signed out on your other devices.";
  await afterSignIn(result);
  if (result.status === "challenge") notice("Your password is changed. To stay signed in here, enter the code.");
});

onClick($("sign-out"), async () => {
  await client.logout();
  show("signin");
  notice("You are signed out.");
});

onClick($("sign-out-everywhere"), async () => {
  await client.logout({ global: true });
  show("signin");
  notice("You are signed out on every device.");
});

try {
  if (await client.restore()) await showAccount();
  else show("signin");
} catch (err) {
  show("signin");
  alertText(sayError(err));
}
