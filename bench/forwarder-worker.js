// The floor of the gateway benchmark: a Worker that forwards to the upstream
// and does nothing else, so the cost of the extra hop itself is visible.
export default {
  fetch(request, env) {
    return env.UPSTREAM.fetch(request);
  },
};
