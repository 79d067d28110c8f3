// Auxiliary Worker for RPC tests: a Worker bound to AuthService, as a user's would be.
export default {
  async fetch(request, env) {
    const { token } = await request.json();
    return Response.json(await env.AUTH.verify(token));
  },
};
