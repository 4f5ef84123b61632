// Server-sent events read through fetch(), not EventSource: EventSource cannot send the Authorization
// header, and a token in the URL would end up in access logs. The parser follows the HTML spec's
// event-stream rules (event/data/id/retry fields, blank line dispatches), and the stream reconnects with
// Last-Event-ID so that the server can replay what was missed.

import * as session from './session.js';

export function parseChunk(state, text, dispatch) {
  state.buffer += text;
  const lines = state.buffer.split(/\r\n|\r|\n/);
  state.buffer = lines.pop(); // an incomplete line waits for the next chunk
  for (const line of lines) {
    if (line === '') {
      if (state.data.length) {
        dispatch({ type: state.event || 'message', data: state.data.join('\n'), id: state.lastId });
      }
      state.event = '';
      state.data = [];
      continue;
    }
    if (line.startsWith(':')) continue; // a comment: the server's keep-alive
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') state.event = value;
    else if (field === 'data') state.data.push(value);
    else if (field === 'id' && !value.includes('\0')) state.lastId = value;
    else if (field === 'retry' && /^\d+$/.test(value)) state.retry = Number(value);
  }
}

/**
 * Open a stream at ``url``. ``onEvent({type, data, id})`` gets each event; ``onState(state, detail)`` gets
 * 'connecting' | 'open' | 'reconnecting' | 'unsupported' | 'denied' | 'closed'.
 * Returns ``{close()}``.
 */
export function openStream(url, { onEvent, onState = () => {} }) {
  const controller = new AbortController();
  const state = { buffer: '', event: '', data: [], lastId: '', retry: 3000 };
  let failures = 0;
  let closed = false;
  let timer = null;

  async function connect() {
    if (closed) return;
    let ended = false; // the server closed a healthy stream (it does so every few minutes): not a failure
    onState(failures ? 'reconnecting' : 'connecting');
    const s = session.current();
    const headers = { Accept: 'text/event-stream', 'Cache-Control': 'no-cache' };
    if (s) headers.Authorization = `Bearer ${s.token}`;
    if (state.lastId) headers['Last-Event-ID'] = state.lastId;
    try {
      const response = await fetch(url, { headers, signal: controller.signal, cache: 'no-store' });
      if (response.status === 401 || response.status === 403) {
        onState('denied', response.status);
        return;
      }
      const type = response.headers.get('content-type') || '';
      if (!response.ok || !type.startsWith('text/event-stream') || !response.body) {
        onState('unsupported', response.status);
        return;
      }
      failures = 0;
      onState('open');
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) { ended = true; break; }
        parseChunk(state, value, onEvent);
      }
    } catch (err) {
      if (closed || err.name === 'AbortError') return;
    }
    if (closed) return;
    state.buffer = '';
    state.event = '';
    state.data = [];
    if (ended) {
      timer = setTimeout(connect, state.retry);
      return;
    }
    failures += 1;
    const wait = Math.min(state.retry * 2 ** Math.min(failures - 1, 4), 30000);
    onState('reconnecting', wait);
    timer = setTimeout(connect, wait);
  }

  connect();
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      controller.abort();
      onState('closed');
    },
  };
}
