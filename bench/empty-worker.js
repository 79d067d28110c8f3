// The floor of the startup measurement: a Worker with nothing to import.
export default {
  fetch() {
    return new Response("ok");
  },
};
