// `npm run bench`: (1) our access-token verifier next to raw WebCrypto, inside
// workerd; (2) gateway throughput and latency next to calling the upstream
// directly, under wrangler dev with autocannon. Medians of several rounds.
import { stopAll } from "./common.mjs";
import { benchGateway } from "./gateway.mjs";
import { jwksHost } from "./jwks-host.mjs";
import { benchVerifier } from "./verifier.mjs";

const jwks = await jwksHost();
try {
  if (process.env.BENCH_ONLY !== "gateway") await benchVerifier(jwks);
  if (process.env.BENCH_ONLY !== "verify") await benchGateway(jwks);
} finally {
  await stopAll();
  jwks.close();
}
