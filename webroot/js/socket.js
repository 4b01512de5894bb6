import { binarySupported, decode } from './binary.js';

// The connection to /ws: JSON out, the binary encoding in where the browser can read it (binary.js; a
// viewer's bytes are a fifth of JSON's), and reconnection with exponential backoff and jitter (AWS
// Architecture Blog, "Exponential Backoff And Jitter"), so that a restarted server is not hit by every viewer
// in the same instant. Each (re)connection's URL says, with ?after=RUN:ITERATION, what this page already
// holds; the server's history then starts just after it, and runs.js drops anything it holds already.

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 15000;

/** The token from the page's URL, kept for this tab and taken out of the address bar (issue 5). */
export function takeToken() {
  const url = new URL(window.location.href);
  const given = url.searchParams.get('token');
  if (given) {
    sessionStorage.setItem('trainscope.token', given);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
  }
  return sessionStorage.getItem('trainscope.token');
}

/**
 * Why this page may not watch, or null. A private server (docs/security.md) refuses the WebSocket without the
 * token, and a page cannot see a refused handshake's status: it asks api/access instead.
 */
export async function whyRefused(token) {
  try {
    const response = await fetch('api/access', { headers: token ? { Authorization: 'Bearer ' + token } : {} });
    const access = await response.json();
    if (access.watch !== false) {
      return null;
    }
    return token ? 'the token is wrong: open the link with the right ?token='
      : 'this server is private: open it with ?token=…';
  } catch (e) {
    return null;
  }
}

/** The /ws URL next to this page; held is a list of [runId, last iteration held]. */
export function socketUrl(token, held) {
  const url = new URL('ws', window.location.href);
  url.protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  if (token) {
    url.searchParams.set('token', token);
  }
  if (binarySupported()) {
    url.searchParams.set('encoding', 'binary');
  }
  held.forEach(([runId, iteration]) => url.searchParams.append('after', runId + ':' + iteration));
  return url.toString();
}

/**
 * url() gives the URL of each new connection; onMessage(message) is called for every JSON message;
 * onStatus({state, retryAt, why}) with state "connecting" | "connected" | "reconnecting" | "offline" |
 * "refused" (why: the reason; no more retries). refusal() resolves to why a connection that never opened was
 * refused, or null when it is worth retrying.
 */
export class Socket {
  constructor(url, { onMessage, onStatus, refusal }) {
    this.url = url;
    this.onMessage = onMessage;
    this.onStatus = onStatus;
    this.refusal = refusal || (async () => null);
    this.attempt = 0;
    this.ws = null;
    this.timer = null;
    // The browser knows before any timeout when the machine goes off the network: drop the connection and
    // wait for it to come back rather than retrying into nothing.
    window.addEventListener('offline', () => this.goOffline());
    window.addEventListener('online', () => this.reconnectNow());
  }

  connect() {
    clearTimeout(this.timer);
    this.timer = null;
    this.onStatus({ state: 'connecting' });
    const ws = new WebSocket(this.url());
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    // A compressed message is inflated asynchronously: messages are decoded in turn, so that none overtakes another.
    let decoded = Promise.resolve();
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this.attempt = 0;
      this.onStatus({ state: 'connected' });
    };
    ws.onmessage = (event) => {
      decoded = decoded.then(() => decode(event.data)).then((message) => {
        if (this.ws === ws) {
          this.onMessage(message);
        }
      }, (e) => console.warn('trainscope: a message that could not be read', e));
    };
    ws.onclose = () => {
      if (this.ws === ws) {
        this.ws = null;
        if (opened) {
          this.retry();
          return;
        }
        this.refusal().then((why) => (why ? this.onStatus({ state: 'refused', why }) : this.retry()));
      }
    };
  }

  /** Sends a message; false when there is no open connection. */
  send(message) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) {
      return false;
    }
    this.ws.send(JSON.stringify(message));
    return true;
  }

  retry() {
    if (!navigator.onLine) {
      this.onStatus({ state: 'offline' });
      return;
    }
    const ceiling = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** this.attempt);
    const delay = ceiling / 2 + Math.random() * ceiling / 2;
    this.attempt++;
    this.onStatus({ state: 'reconnecting', retryAt: Date.now() + delay });
    this.timer = setTimeout(() => this.connect(), delay);
  }

  goOffline() {
    clearTimeout(this.timer);
    this.timer = null;
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.close();
    }
    this.onStatus({ state: 'offline' });
  }

  reconnectNow() {
    if (!this.ws) {
      this.attempt = 0;
      this.connect();
    }
  }
}
