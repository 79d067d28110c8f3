// The demo sign-in app: the typed client in cookie delivery, so the refresh
// token stays in an HttpOnly cookie that page JavaScript never sees.
import { CognitoEdgeClient } from "./client.js";
import { $, alertText, clearMessages, drawQr, notice, onSubmit, sayError, show } from "./ui.js";

let email = "";
/** What to tell the user once the account page shows (after a challenge, say). */
let pendingNotice = "";

const client = new CognitoEdgeClient({
  delivery: "cookie",
  onSignedOut(reason) {
    if (reason === "refresh_failed") {
      show("signin");
      alertText("Your session has ended. Please sign in again.");
    }
  },
  reauthenticate: (context) => confirmIdentity(context.email ?? email, context.error),
});

for (const link of document.querySelectorAll("[data-go]")) {
  link.addEventListener("click", () => {
    clearMessages();
    show(link.dataset.go);
  });
}

/** After a sign-in step: the account, or the next challenge. */
async function afterSignIn(result) {
  if (result.status === "signedIn") return showAccount();
  if (["SOFTWARE_TOKEN_MFA", "SMS_MFA", "EMAIL_OTP"].includes(result.challenge)) {
    const from = { SOFTWARE_TOKEN_MFA: "your authenticator app", SMS_MFA: "the text message we sent", EMAIL_OTP: "the email we sent" };
    $("challenge-text").textContent = `Enter the 6-digit code from ${from[result.challenge]}.`;
    $("challenge-form").reset();
    return show("challenge");
  }
  if (result.challenge === "NEW_PASSWORD_REQUIRED") return show("new-password");
  alertText("This account needs a sign-in step this page does not offer. Ask your administrator.");
}

onSubmit($("signin-form"), async (form) => {
  email = form.email.trim().toLowerCase();
  try {
    await afterSignIn(await client.login({ email, password: form.password }));
  } catch (err) {
    if (err.code !== "email_not_confirmed") throw err;
    $("confirm-destination").textContent = email;
    show("confirm");
    alertText(sayError(err));
  }
  $("signin-password").value = "";
});

onSubmit($("register-form"), async (form) => {
  email = form.email.trim().toLowerCase();
  const registered = await client.register({ email, password: form.password, name: form.name });
  $("confirm-destination").textContent = registered.delivery?.destination ?? email;
  $("register-form").reset();
  show("confirm");
});

onSubmit($("confirm-form"), async (form) => {
  await client.verifyEmail({ email, code: form.code.trim() });
  $("confirm-form").reset();
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

async function showAccount() {
  const profile = await client.me();
  email = profile.email;
  $("profile-email").textContent = profile.email;
  $("profile-verified").textContent = profile.emailVerified ? "verified" : "not verified";
  $("profile-name").value = profile.name ?? "";
  $("totp-setup").hidden = true;
  show("account");
  if (pendingNotice) notice(pendingNotice);
  pendingNotice = "";
}

onSubmit($("profile-form"), async (form) => {
  const profile = await client.updateMe({ name: form.name.trim() });
  $("profile-name").value = profile.name ?? "";
  notice("Your name is saved.");
});

/** Runs an account action from a button; errors in words. */
function onClick(button, action) {
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

/** Step-up (RFC 9470): asks for the password (and a code when TOTP is on) and signs in again. */
function confirmIdentity(account, refusal) {
  const dialog = $("reauth");
  const form = $("reauth-form");
  form.reset();
  $("reauth-code-field").hidden = true;
  alertText("", "reauth-alert");
  return new Promise((resolve, reject) => {
    const finish = (outcome) => {
      form.onsubmit = null;
      $("reauth-cancel").onclick = null;
      dialog.close();
      outcome();
    };
    // Cancelled: the change fails with the Worker's own refusal.
    $("reauth-cancel").onclick = () => finish(() => reject(refusal));
    dialog.oncancel = (event) => {
      event.preventDefault();
      finish(() => reject(refusal));
    };
    form.onsubmit = async (event) => {
      event.preventDefault();
      try {
        const codeField = !$("reauth-code-field").hidden;
        const result = codeField
          ? await client.answerChallenge({ code: $("reauth-code").value.trim() })
          : await client.login({ email: account, password: $("reauth-password").value });
        if (result.status === "signedIn") return finish(resolve);
        $("reauth-code-field").hidden = false;
        $("reauth-code").required = true;
        $("reauth-code").focus();
      } catch (err) {
        alertText(sayError(err), "reauth-alert");
      }
    };
    dialog.showModal();
    $("reauth-password").focus();
  });
}

try {
  if (await client.restore()) await showAccount();
  else show("signin");
} catch (err) {
  show("signin");
  alertText(sayError(err));
}
