import { type Outcome, Session } from "./session";

const baseUrl = document.querySelector<HTMLMetaElement>('meta[name="cognito-edge"]')?.content || undefined;
const session = new Session(baseUrl);
const form = document.querySelector<HTMLFormElement>("#sign-in");
const signedIn = document.querySelector<HTMLElement>("#signed-in");
const message = document.querySelector<HTMLElement>("#message");

function show(outcome: Outcome | undefined): void {
  if (!form || !signedIn || !message) return;
  const profile = outcome?.state === "signedIn" ? outcome.profile : undefined;
  form.hidden = Boolean(profile);
  signedIn.hidden = !profile;
  const who = document.querySelector("#who");
  if (who) who.textContent = profile?.email ?? "";
  message.textContent = outcome?.state === "refused" ? `Not signed in (${outcome.code}).` : outcome?.state === "challenge" ? `Next step: ${outcome.name}` : "";
}

form?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const data = new FormData(form);
  show(await session.signIn(String(data.get("email")), String(data.get("password"))));
});

document.querySelector("#sign-out")?.addEventListener("click", async () => {
  await session.signOut();
  show(undefined);
});

const restored = await session.restore();
show(restored ? { state: "signedIn", profile: restored } : undefined);
