// The runtime ceiling of `npm run bench:peers`: a Worker that answers at once, on the same workerd.
export default {
  fetch: () => new Response('{"ok":true}', { headers: { 'content-type': 'application/json' } }),
};
