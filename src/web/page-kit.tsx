/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * Pieces the management pages (rules, suppressions, deliveries, tokens) share: the page a role may
 * not open, a status message after a change, and form fields that show their validation error
 * beside them (linked with aria-describedby so a screen reader reads it with the field).
 */
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { WebEnv } from './env.ts';
import { Layout } from './layout.tsx';

/** 403 with a page that says why, in the layout (the role-scoped store refuses the same anyway). */
export function forbiddenPage(c: Context<WebEnv>, path: string, message: string) {
  c.status(403);
  return c.html(
    <Layout title="Forbidden" auth={c.get('auth')} path={path}>
      <h1>{message}</h1>
      <p>
        <a href="/">Back to the overview</a>
      </p>
    </Layout>,
  );
}

/** A message after a change (`role="status"`: read out without moving the focus). */
export function Notice(props: { children?: Child; kind?: 'ok' | 'error' }) {
  return (
    <p class={`notice ${props.kind === 'error' ? 'notice-error' : 'notice-ok'}`} role="status">
      {props.children}
    </p>
  );
}

/** Validation errors by field name; `_form` for the form as a whole. */
export type FormErrors = Record<string, string>;

/** The list of a form's errors above it, each linking to its field. */
export function ErrorSummary(props: { errors: FormErrors; labels: Record<string, string> }) {
  const entries = Object.entries(props.errors);
  if (entries.length === 0) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">
        {entries.length === 1 ? 'One thing to fix' : `${entries.length} things to fix`}
      </h2>
      <ul>
        {entries.map(([field, message]) => (
          <li>
            {field === '_form' ? (
              message
            ) : (
              <a href={`#f-${field}`}>
                {props.labels[field] ?? field}: {message}
              </a>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A labelled text input (or textarea) with its hint and its error. */
export function FormField(props: {
  name: string;
  label: string;
  value: string;
  errors: FormErrors;
  hint?: string;
  placeholder?: string;
  maxlength?: number;
  required?: boolean;
  multiline?: boolean;
  list?: string;
}) {
  const error = props.errors[props.name];
  const describedBy =
    [props.hint ? `h-${props.name}` : null, error ? `e-${props.name}` : null].filter(Boolean).join(' ') ||
    undefined;
  const common = {
    id: `f-${props.name}`,
    name: props.name,
    maxlength: props.maxlength,
    placeholder: props.placeholder,
    required: props.required,
    'aria-invalid': error ? 'true' : undefined,
    'aria-describedby': describedBy,
  };
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={`f-${props.name}`}>
        {props.label}
        {props.required ? <span class="muted"> (required)</span> : null}
      </label>
      {props.multiline ? (
        <textarea {...common} rows={3}>
          {props.value}
        </textarea>
      ) : (
        <input {...common} type="text" value={props.value} list={props.list} autocomplete="off" />
      )}
      {props.hint && (
        <span class="hint" id={`h-${props.name}`}>
          {props.hint}
        </span>
      )}
      {error && (
        <span class="error" id={`e-${props.name}`}>
          {error}
        </span>
      )}
    </div>
  );
}

/** A form's string field: the first value, trimmed; '' when absent or not text. */
export function formText(form: Record<string, unknown>, name: string): string {
  const v = form[name];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first.trim() : '';
}
