/** The services screen (/admin/settings/services): the list by category, and the create/edit form. Views only. */
import { formatDuration, formatPrice } from "../web/format";
import { CATALOGUE_PATH, CatalogueFrame, Field, type FieldErrors, type Values } from "./catalogue.view";
import type { ServicesMessages } from "./i18n/services";
import { CsrfField } from "./layout";
import type { AdminRequest } from "./session";

export interface ServiceRow {
  id: string;
  category_id: string | null;
  name: string;
  duration_min: number;
  price_minor: number;
  currency: string;
  is_active: boolean;
  staff_ids: string[];
}
export interface CategoryRow {
  id: string;
  name: string;
}
export interface StaffChoice {
  id: string;
  display_name: string;
  is_active: boolean;
}

interface ListProps {
  req: AdminRequest;
  w: ServicesMessages;
  categories: CategoryRow[];
  services: ServiceRow[];
  notice?: string | null;
}

/** Categories in their order, then the uncategorised services (as the booking page shows them). */
function groups(categories: CategoryRow[], services: ServiceRow[], uncategorised: string) {
  const out = categories.map((c) => ({ id: c.id, name: c.name, services: services.filter((s) => s.category_id === c.id) }));
  const loose = services.filter((s) => !s.category_id || !categories.some((c) => c.id === s.category_id));
  if (loose.length) out.push({ id: "none", name: uncategorised, services: loose });
  return out;
}

function ServiceItem(props: { req: AdminRequest; w: ServicesMessages; s: ServiceRow; first: boolean; last: boolean }) {
  const { req, w, s } = props;
  const l = w.list;
  const csrf = req.session!.csrf;
  const base = `${CATALOGUE_PATH}/${s.id}`;
  return (
    <li class="item" id={`service-${s.id}`}>
      <div class="item-main">
        <b dir="auto">{s.name}</b>
        <span class={`badge ${s.is_active ? "on" : "off"}`}>{s.is_active ? l.active : l.inactive}</span>
        <ul class="meta">
          <li>
            <span class="sr">{l.duration}: </span>
            {formatDuration(req.lang, s.duration_min)}
          </li>
          <li>
            <span class="sr">{l.price}: </span>
            <bdi>{formatPrice(req.lang, s.price_minor, s.currency)}</bdi>
          </li>
          <li>{l.staffCount(s.staff_ids.length)}</li>
        </ul>
      </div>
      <div class="item-actions">
        <a class="btn ghost small" href={base} aria-label={l.about(l.edit, s.name)}>
          {l.edit}
        </a>
        <form method="post" action={`${base}/move`}>
          <CsrfField token={csrf} />
          <input type="hidden" name="direction" value="up" />
          <button type="submit" class="btn ghost small" disabled={props.first} aria-label={l.about(l.moveUp, s.name)}>
            ↑ {l.moveUp}
          </button>
        </form>
        <form method="post" action={`${base}/move`}>
          <CsrfField token={csrf} />
          <input type="hidden" name="direction" value="down" />
          <button type="submit" class="btn ghost small" disabled={props.last} aria-label={l.about(l.moveDown, s.name)}>
            ↓ {l.moveDown}
          </button>
        </form>
        <form method="post" action={`${base}/active`}>
          <CsrfField token={csrf} />
          <input type="hidden" name="active" value={s.is_active ? "0" : "1"} />
          <button type="submit" class="btn ghost small" aria-label={l.about(s.is_active ? l.deactivate : l.activate, s.name)}>
            {s.is_active ? l.deactivate : l.activate}
          </button>
        </form>
      </div>
    </li>
  );
}

export function ServiceListPage(props: ListProps) {
  const { req, w } = props;
  const l = w.list;
  const all = groups(props.categories, props.services, l.uncategorised);
  return (
    <CatalogueFrame
      req={req}
      w={w}
      section="services"
      title={w.title}
      notice={props.notice}
      actions={
        <a class="btn" href={`${CATALOGUE_PATH}/new`}>
          {l.newService}
        </a>
      }
    >
      <div class="stack">
        {props.services.length === 0 ? <p class="card note">{l.empty}</p> : null}
        {props.services.length
          ? all.map((g) => (
              <section aria-labelledby={`group-${g.id}`}>
                <div class="group-head">
                  <h2 id={`group-${g.id}`} dir="auto">
                    {g.name}
                  </h2>
                </div>
                {g.services.length ? (
                  <ul class="items">
                    {g.services.map((s, i) => (
                      <ServiceItem req={req} w={w} s={s} first={i === 0} last={i === g.services.length - 1} />
                    ))}
                  </ul>
                ) : (
                  <p class="note">{l.emptyCategory}</p>
                )}
              </section>
            ))
          : null}
      </div>
    </CatalogueFrame>
  );
}

interface FormProps {
  req: AdminRequest;
  w: ServicesMessages;
  /** The service being edited; none = a new one. */
  editing?: { id: string; name: string };
  values: Values;
  /** Checked staff ids. */
  staffIds: string[];
  errors: FieldErrors;
  categories: CategoryRow[];
  staff: StaffChoice[];
  resourceTypes: string[];
  notice?: string | null;
}

export function ServiceFormPage(props: FormProps) {
  const { req, w, values, errors } = props;
  const f = w.form;
  const v = { values, errors };
  const num = { ...v, type: "number" as const, inputmode: "numeric" as const };
  const chosen = new Set(props.staffIds);
  const action = props.editing ? `${CATALOGUE_PATH}/${props.editing.id}` : CATALOGUE_PATH;
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <CatalogueFrame
      req={req}
      w={w}
      section="services"
      title={props.editing ? f.editTitle(props.editing.name) : f.newTitle}
      notice={props.notice}
      problem={hasErrors ? w.fixErrors : null}
    >
      <form method="post" action={action} class="form" novalidate>
        <CsrfField token={req.session!.csrf} />
        <fieldset class="card">
          <legend>{f.about}</legend>
          <Field id="name" label={f.name} required maxlength={120} {...v} />
          <Field id="description" label={f.description} hint={f.descriptionHint} multiline maxlength={2000} {...v} />
          <div class="field">
            <label for="category_id">{f.category}</label>
            <select
              id="category_id"
              name="category_id"
              aria-invalid={errors.category_id ? "true" : undefined}
              aria-describedby={errors.category_id ? "category_id-err" : undefined}
            >
              <option value="">{f.noCategory}</option>
              {props.categories.map((c) => (
                <option value={c.id} selected={values.category_id === c.id}>
                  {c.name}
                </option>
              ))}
            </select>
            {errors.category_id ? (
              <span class="err" id="category_id-err">
                {errors.category_id}
              </span>
            ) : null}
          </div>
        </fieldset>
        <fieldset class="card">
          <legend>{f.timing}</legend>
          <div class="cols">
            <Field id="duration_min" label={f.duration} hint={f.durationHint} required min={5} max={1440} {...num} />
            <Field id="price" label={f.price} hint={f.priceHint(req.tenant.currency)} inputmode="decimal" ltr {...v} />
            <Field id="buffer_before_min" label={f.bufferBefore} min={0} max={240} {...num} />
            <Field id="buffer_after_min" label={f.bufferAfter} min={0} max={240} {...num} />
          </div>
          <p class="hint">{f.buffersHint}</p>
        </fieldset>
        <fieldset class="card">
          <legend>{f.capacityTitle}</legend>
          <div class="cols">
            <Field id="capacity" label={f.capacity} hint={f.capacityHint} min={1} max={500} {...num} />
            <Field
              id="required_resource_type"
              label={f.resourceType}
              hint={f.resourceTypeHint}
              list="resource-types"
              maxlength={40}
              ltr
              {...v}
            />
          </div>
          <datalist id="resource-types">
            {props.resourceTypes.map((type) => (
              <option value={type} />
            ))}
          </datalist>
          <fieldset class="checks" aria-describedby={errors.staff_ids ? "staff_ids-err" : undefined}>
            <legend>{f.staff}</legend>
            {props.staff.length ? (
              props.staff.map((p) => (
                <div class="check">
                  <input type="checkbox" id={`staff-${p.id}`} name="staff_ids" value={p.id} checked={chosen.has(p.id)} />
                  <label for={`staff-${p.id}`} dir="auto">
                    {p.display_name}
                    {p.is_active ? "" : ` (${f.inactiveStaff})`}
                  </label>
                </div>
              ))
            ) : (
              <p class="note">{f.noStaff}</p>
            )}
            {errors.staff_ids ? (
              <span class="err" id="staff_ids-err">
                {errors.staff_ids}
              </span>
            ) : null}
          </fieldset>
          <div class="check">
            <input type="checkbox" id="is_active" name="is_active" value="1" checked={values.is_active === "1"} />
            <label for="is_active">{f.active}</label>
          </div>
        </fieldset>
        <div class="actions">
          <button type="submit" class="btn">
            {props.editing ? f.save : f.create}
          </button>
          <a class="btn ghost" href={CATALOGUE_PATH}>
            {f.cancel}
          </a>
        </div>
      </form>
    </CatalogueFrame>
  );
}
