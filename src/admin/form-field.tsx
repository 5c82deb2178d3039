/**
 * One labelled form field of the back office: its hint and its error tied to
 * it with aria-describedby, aria-invalid when refused, the value kept after a
 * refusal, and free text written in whatever direction it was typed.
 */
export type Values = Record<string, string>;
export type FieldErrors = Record<string, string>;

export interface FieldProps {
  id: string;
  /** The form field's name when it differs from the id (two forms on one page). */
  name?: string;
  label: string;
  values: Values;
  errors: FieldErrors;
  type?: string;
  hint?: string;
  required?: boolean;
  multiline?: boolean;
  min?: number;
  max?: number;
  maxlength?: number;
  list?: string;
  inputmode?: "numeric" | "decimal";
  ltr?: boolean;
  autocomplete?: string;
}

export function Field(p: FieldProps) {
  const key = p.name ?? p.id;
  const error = p.errors[key];
  const describedBy = [p.hint ? `${p.id}-hint` : null, error ? `${p.id}-err` : null].filter(Boolean).join(" ") || undefined;
  const common = {
    id: p.id,
    name: key,
    required: p.required,
    maxlength: p.maxlength,
    "aria-invalid": error ? "true" : undefined,
    "aria-describedby": describedBy,
    // Free text follows what was typed (a French name on the Arabic page stays readable).
    dir: p.ltr ? "ltr" : p.type === "number" ? undefined : "auto",
    autocomplete: p.autocomplete,
  };
  return (
    <div class="field">
      <label for={p.id}>{p.label}</label>
      {p.multiline ? (
        <textarea {...common} rows={3}>
          {p.values[key] ?? ""}
        </textarea>
      ) : (
        <input
          {...common}
          type={p.type ?? "text"}
          value={p.values[key] ?? ""}
          min={p.min}
          max={p.max}
          list={p.list}
          inputmode={p.inputmode}
        />
      )}
      {p.hint ? (
        <span class="hint" id={`${p.id}-hint`}>
          {p.hint}
        </span>
      ) : null}
      {error ? (
        <span class="err" id={`${p.id}-err`}>
          {error}
        </span>
      ) : null}
    </div>
  );
}
