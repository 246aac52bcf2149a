/**
 * Headers and limits every response and request gets. Transcripts are attacker-controlled, so the
 * pages run under a Content-Security-Policy that allows no inline script, no other origin and no
 * framing; asciinema-player's terminal core is WebAssembly, hence `wasm-unsafe-eval` (which
 * compiles wasm only, never JavaScript strings).
 */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';

/** Largest request body: sign-in forms and small JSON; nothing uploads. */
export const MAX_BODY_BYTES = 64 * 1024;

export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
  // Inline style attributes only (the player sizes its terminal with them); never inline script.
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** Security headers on every response. */
export function securityHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    xContentTypeOptions: 'nosniff',
    crossOriginResourcePolicy: 'same-origin',
    crossOriginOpenerPolicy: 'same-origin',
  });
}

/** Refuses bodies over MAX_BODY_BYTES with 413 before anything reads them. */
export function requestSizeLimit(): MiddlewareHandler {
  return bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new HTTPException(413, { message: `request bodies are limited to ${MAX_BODY_BYTES} bytes` });
    },
  });
}
