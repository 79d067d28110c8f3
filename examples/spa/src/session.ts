import { ApiError, CognitoEdgeClient, type Profile } from "cognito-edge/client";

/** What the page shows after an attempt to sign in. */
export type Outcome = { state: "signedIn"; profile: Profile } | { state: "challenge"; name: string } | { state: "refused"; code: string };

/** The page's session: sign in, restore on reload, sign out. No DOM, so it runs in tests as in the page. */
export class Session {
  readonly client: CognitoEdgeClient;

  constructor(baseUrl: string | undefined, fetcher?: typeof fetch) {
    // Browsers get the refresh token as an HttpOnly cookie; the page never sees it.
    this.client = new CognitoEdgeClient({ baseUrl, delivery: "cookie", fetch: fetcher });
  }

  /** Signs in with a password; a challenge (MFA, new password) is the page's next step. */
  async signIn(email: string, password: string): Promise<Outcome> {
    try {
      const result = await this.client.login({ email, password });
      if (result.status !== "signedIn") return { state: "challenge", name: result.challenge };
      return { state: "signedIn", profile: await this.profile() };
    } catch (err) {
      if (err instanceof ApiError) return { state: "refused", code: err.code };
      throw err;
    }
  }

  /** After a reload: signed in again from the refresh cookie, or undefined. */
  async restore(): Promise<Profile | undefined> {
    return (await this.client.restore()) ? this.profile() : undefined;
  }

  async profile(): Promise<Profile> {
    const res = await this.client.fetch("/auth/me");
    return (await res.json()) as Profile;
  }

  signOut(): Promise<void> {
    return this.client.logout();
  }
}
