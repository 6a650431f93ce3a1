// The dashboard's client of the Finch JSON API. The key lives in sessionStorage: it is gone
// when the tab closes and is never written anywhere else.

const keyName = 'finch.apiKey';

/** An error response of the service: {"error": {"code", "message", "field"}} plus the HTTP status. */
export class APIError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

export class FinchAPI {
  get key() { return sessionStorage.getItem(keyName); }
  set key(value) {
    if (value) sessionStorage.setItem(keyName, value);
    else sessionStorage.removeItem(keyName);
  }
  get signedIn() { return Boolean(this.key); }

  /** Sends a request with the key; resolves to {body, headers} or rejects with an APIError. */
  async send(method, path, body) {
    const headers = {Accept: 'application/json'};
    if (this.key) headers.Authorization = `Bearer ${this.key}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetch(path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
    } catch (error) {
      throw new APIError(0, 'network', `The service did not answer (${error.message}).`);
    }
    const text = await response.text();
    const type = response.headers.get('Content-Type') || '';
    let parsed = text;
    if (type.includes('json') && text) {
      try { parsed = JSON.parse(text); } catch { parsed = text; }
    }
    if (!response.ok) {
      const error = parsed && parsed.error ? parsed.error : {};
      throw new APIError(response.status, error.code || `http_${response.status}`,
        error.message || `${response.status} ${response.statusText}`, error.field);
    }
    return {body: parsed, headers: response.headers};
  }

  async get(path) { return (await this.send('GET', path)).body; }
  async post(path, body) { return this.send('POST', path, body); }
}
