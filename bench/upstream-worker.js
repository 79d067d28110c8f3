// The trivial upstream of the gateway benchmark.
export default {
  fetch() {
    return new Response("ok", { headers: { "content-type": "text/plain" } });
  },
};
