// Same-origin JSON reads for the dashboard; the browser resends the dashboard password it was given.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function url(path, params = {}) {
  const target = new URL(path, location.origin);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') target.searchParams.set(name, value);
  }
  return target;
}

async function parse(response) {
  if (response.ok) return response.status === 204 ? null : response.json();
  const body = await response.json().catch(() => ({}));
  throw new ApiError(response.status, body.error || response.statusText);
}

export async function get(path, params) {
  return parse(await fetch(url(path, params), { headers: { Accept: 'application/json' } }));
}

/// A change: the browser marks it same-origin, which is what the server's cross-site guard accepts.
export async function send(method, path, body) {
  return parse(await fetch(url(path), {
    method, headers: body === undefined ? {} : { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  }));
}

export const patch = (path, body) => send('PATCH', path, body);
export const post = (path, body) => send('POST', path, body);
export const remove = (path) => send('DELETE', path);

/// One replay chunk's events: the stored bytes are gzip, inflated here when the browser can.
export async function replayChunk(path) {
  const response = await fetch(url(path));
  if (!response.ok) throw new ApiError(response.status, 'replay chunk unavailable');
  const bytes = new Uint8Array(await response.arrayBuffer());
  let text;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b && 'DecompressionStream' in window) {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    text = await new Response(stream).text();
  } else {
    text = new TextDecoder().decode(bytes);
  }
  return JSON.parse(text);
}
