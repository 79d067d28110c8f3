// The re-authentication dialog of step-up changes (TOTP, passkeys, ...).
import { $, alertText, sayError } from "./ui.js";
import { answerWithPasskey, passkeysSupported } from "./webauthn.js";

/** What the re-authentication dialog's code field is labelled for each code challenge. */
const CODE_LABEL = {
  SOFTWARE_TOKEN_MFA: "Code from your authenticator app",
  SMS_MFA: "Code from the text message",
  EMAIL_OTP: "Code from the email",
  SMS_OTP: "Code from the text message",
};

/**
 * Step-up (RFC 9470): the client's reauthenticate hook. The user signs in again
 * in a dialog, with the password (and a code when TOTP is on), a passkey or an
 * emailed code; cancelling rejects with the Worker's refusal.
 */
export function confirmIdentity(client, account, refusal) {
  const dialog = $("reauth");
  const form = $("reauth-form");
  const [passwordField, codeField] = [$("reauth-password-field"), $("reauth-code-field")];
  form.reset();
  passwordField.hidden = false;
  $("reauth-password").required = true;
  codeField.hidden = true;
  $("reauth-code").required = false;
  $("reauth-passkey").hidden = !passkeysSupported();
  alertText("", "reauth-alert");
  return new Promise((resolve, reject) => {
    const finish = (outcome) => {
      form.onsubmit = $("reauth-cancel").onclick = $("reauth-passkey").onclick = $("reauth-email").onclick = null;
      dialog.close();
      outcome();
    };
    const askForCode = (challenge) => {
      passwordField.hidden = true;
      $("reauth-password").required = false;
      $("reauth-code-label").textContent = CODE_LABEL[challenge];
      codeField.hidden = false;
      $("reauth-code").required = true;
      $("reauth-code").value = "";
      $("reauth-code").focus();
    };
    const proceed = async (result) => {
      if (result.status === "signedIn") return finish(resolve);
      if (result.challenge === "WEB_AUTHN") return proceed(await answerWithPasskey(client, result));
      if (CODE_LABEL[result.challenge]) return askForCode(result.challenge);
      throw new Error("unsupported challenge");
    };
    /** One way of signing in again; its errors stay in the dialog. */
    const attempt = (signInAgain) => async (event) => {
      event.preventDefault();
      alertText("", "reauth-alert");
      try {
        await proceed(await signInAgain());
      } catch (err) {
        alertText(sayError(err), "reauth-alert");
      }
    };
    // Cancelled: the change fails with the Worker's own refusal.
    $("reauth-cancel").onclick = () => finish(() => reject(refusal));
    dialog.oncancel = (event) => {
      event.preventDefault();
      finish(() => reject(refusal));
    };
    form.onsubmit = attempt(() =>
      codeField.hidden
        ? client.login({ email: account, password: $("reauth-password").value })
        : client.answerChallenge({ code: $("reauth-code").value.trim() }),
    );
    $("reauth-passkey").onclick = attempt(() => client.login({ email: account, method: "passkey" }));
    $("reauth-email").onclick = attempt(() => client.login({ email: account, method: "email_otp" }));
    dialog.showModal();
    $("reauth-password").focus();
  });
}
