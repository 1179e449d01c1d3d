// jurisgraph page helpers (window.jg). Every request a page makes goes through jg.fetch: it adds the
// CSRF header (double submit: cookie jurisgraph_csrf → X-CSRF-Token) to unsafe methods, sends the
// user to /login when the session is gone (401) and tells when the query limit was reached (429).
(function () {
  "use strict";
  const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

  function cookie(name) {
    for (const part of document.cookie.split(";")) {
      const [key, ...rest] = part.trim().split("=");
      if (key === name) return decodeURIComponent(rest.join("="));
    }
    return null;
  }

  function csrfHeaders(method) {
    const token = cookie("jurisgraph_csrf");
    return !SAFE.has((method || "GET").toUpperCase()) && token ? {"X-CSRF-Token": token} : {};
  }

  function toLogin() {
    const next = location.pathname + location.search;
    location.assign("/login?next=" + encodeURIComponent(next));
  }

  function retryMessage(retryAfter) {
    const seconds = Math.max(1, Math.ceil(Number(retryAfter) || 60));
    return `limite de consultas atingido, tente em ${seconds} s`;
  }

  class HttpError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  // An error reply's message: {"error": {"message"}} or {"error", "detail"} or FastAPI's {"detail"}.
  async function errorMessage(response) {
    const text = await response.text();
    try {
      const data = JSON.parse(text);
      const error = data.error;
      if (error && typeof error === "object") return error.message || JSON.stringify(error);
      if (typeof data.detail === "string") return error ? `${error}: ${data.detail}` : data.detail;
      if (Array.isArray(data.detail)) return data.detail.map((d) => d.msg).join("; ");
      if (typeof error === "string") return error;
    } catch (_) { /* not JSON */ }
    return text.slice(0, 300) || `HTTP ${response.status}`;
  }

  async function jgFetch(url, options) {
    const opts = Object.assign({credentials: "same-origin"}, options || {});
    opts.headers = Object.assign({}, opts.headers || {}, csrfHeaders(opts.method));
    const response = await fetch(url, opts);
    if (response.status === 401) {
      toLogin();
      throw new HttpError(401, "sessão expirada");
    }
    if (response.status === 429) {
      const message = retryMessage(response.headers.get("Retry-After"));
      notify(message, "error");
      throw new HttpError(429, message);
    }
    return response;
  }

  // JSON of a successful reply; an HttpError with the server's message otherwise.
  async function json(url, options) {
    const response = await jgFetch(url, options);
    if (!response.ok) throw new HttpError(response.status, await errorMessage(response));
    return response.json();
  }

  function post(url, body) {
    return json(url, {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify(body || {}),
    });
  }

  function notify(message, kind) {
    let box = document.getElementById("toasts");
    if (!box) {
      box = el("div", {id: "toasts", role: "status", "aria-live": "polite"});
      document.body.appendChild(box);
    }
    const toast = el("div", {class: "toast" + (kind ? " " + kind : "")}, message);
    box.appendChild(toast);
    setTimeout(() => toast.remove(), 8000);
  }

  // Only http(s) addresses become links; anything else (javascript:, data:…) is refused.
  function safeUrl(url) {
    return typeof url === "string" && /^https?:\/\//i.test(url.trim()) ? url.trim() : null;
  }

  // A DOM element from a tag, attributes and children (strings become text, never HTML).
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "dataset") Object.assign(node.dataset, value);
      else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function link(url, text) {
    const safe = safeUrl(url);
    return safe ? el("a", {href: safe, rel: "noopener noreferrer", target: "_blank"}, text) : null;
  }

  function number(value) {
    return Number(value || 0).toLocaleString("pt-BR");
  }

  // htmx requests (partials that refresh themselves) follow the same rules as jg.fetch.
  document.addEventListener("htmx:configRequest", (event) => {
    Object.assign(event.detail.headers, csrfHeaders(event.detail.verb));
  });
  document.addEventListener("htmx:responseError", (event) => {
    const xhr = event.detail.xhr;
    if (xhr.status === 401) toLogin();
    else if (xhr.status === 429) notify(retryMessage(xhr.getResponseHeader("Retry-After")), "error");
  });

  window.jg = {fetch: jgFetch, json, post, notify, safeUrl, el, link, cookie, number, HttpError, retryMessage};
})();
