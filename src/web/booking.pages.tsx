/** The booking steps as components (no I/O): service → staff → date & time → details → (conflict). */
import type { Child } from "hono/jsx";
import { iso } from "../bookings/time";
import { formatDateTime, formatDuration, formatPrice, formatCount } from "./format";
import type { FieldErrors, BookingForm } from "./form";
import { Layout, Steps, type PageContext } from "./layout";
import { Picker, type PickerProps, type TimeOption } from "./picker";
import type { CatalogueService } from "./queries";

export interface ServiceSummary {
  name: string;
  durationMin: number;
  priceMinor: number;
  currency: string;
  staffLabel?: string;
  start?: number;
  /** Label of `start` (default "When"; "Current time" when rescheduling). */
  whenLabel?: string;
}

export function Summary({ ctx, s, zone }: { ctx: PageContext; s: ServiceSummary; zone: string }) {
  const { m, lang } = ctx;
  return (
    <section class="card" aria-labelledby="sum-h">
      <h2 id="sum-h" class="sr">
        {m.summary}
      </h2>
      <dl class="summary">
        <dt>{m.steps.service}</dt>
        <dd>{s.name}</dd>
        {s.staffLabel ? (
          <>
            <dt>{m.with}</dt>
            <dd>{s.staffLabel}</dd>
          </>
        ) : null}
        {s.start !== undefined ? (
          <>
            <dt>{s.whenLabel ?? m.when}</dt>
            <dd>
              <span data-ms={String(s.start)}>{formatDateTime(lang, zone, s.start)}</span>
            </dd>
          </>
        ) : null}
        <dt>{m.duration}</dt>
        <dd>{formatDuration(lang, s.durationMin)}</dd>
        <dt>{m.price}</dt>
        <dd>{formatPrice(lang, s.priceMinor, s.currency)}</dd>
      </dl>
    </section>
  );
}

const Back = ({ ctx, href }: { ctx: PageContext; href: string }) => (
  <p>
    <a href={href}>
      <span class="chev" aria-hidden="true">
        ‹
      </span>{" "}
      {ctx.m.back}
    </a>
  </p>
);

const Chevron = () => (
  <span class="chev" aria-hidden="true">
    ›
  </span>
);

export function ServicesPage({
  ctx,
  services,
  href,
}: {
  ctx: PageContext;
  services: CatalogueService[];
  href: (s: CatalogueService) => string;
}) {
  const { m, lang } = ctx;
  const groups: { name: string; items: CatalogueService[] }[] = [];
  for (const s of services) {
    const name = s.category ?? m.otherServices;
    let g = groups.find((x) => x.name === name);
    if (!g) groups.push((g = { name, items: [] }));
    g.items.push(s);
  }
  return (
    <Layout ctx={ctx} title={m.chooseService}>
      <Steps m={m} current={1} />
      <h1>{m.chooseService}</h1>
      {groups.length === 0 ? <p class="alert info">{m.noServices}</p> : null}
      {groups.map((g) => (
        <section aria-label={g.name}>
          <h2>
            <bdi>{g.name}</bdi>
          </h2>
          <ul class="list">
            {g.items.map((s) => (
              <li>
                <a class="item" href={href(s)}>
                  <span class="main">
                    <strong>
                      <bdi>{s.name}</bdi>
                    </strong>
                    <span class="meta">
                      {formatDuration(lang, s.durationMin)}
                      {s.capacity > 1 ? ` · ${m.groupOf(formatCount(lang, s.capacity))}` : ""}
                    </span>
                    {s.description ? (
                      <span class="meta block">
                        <bdi>{s.description}</bdi>
                      </span>
                    ) : null}
                  </span>
                  <span class="price">{formatPrice(lang, s.priceMinor, s.currency)}</span>
                  <Chevron />
                </a>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </Layout>
  );
}

export function StaffPage(props: {
  ctx: PageContext;
  service: CatalogueService;
  zone: string;
  anyHref: string;
  staffHref: (id: string) => string;
  backHref: string;
}) {
  const { ctx, service } = props;
  const { m } = ctx;
  return (
    <Layout ctx={ctx} title={m.chooseStaff}>
      <Steps m={m} current={2} />
      <Back ctx={ctx} href={props.backHref} />
      <h1>{m.chooseStaff}</h1>
      <Summary ctx={ctx} zone={props.zone} s={service} />
      <ul class="list">
        <li>
          <a class="item" href={props.anyHref}>
            <span class="main">
              <strong>{m.anyone}</strong>
              <span class="meta">{m.anyoneHint}</span>
            </span>
            <Chevron />
          </a>
        </li>
        {service.staff.map((f) => (
          <li>
            <a class="item" href={props.staffHref(f.id)}>
              <span class="mono" aria-hidden="true">
                {f.name.charAt(0).toUpperCase()}
              </span>
              <span class="main">
                <strong>{f.name}</strong>
              </span>
              <Chevron />
            </a>
          </li>
        ))}
      </ul>
    </Layout>
  );
}

export function TimePage(props: {
  ctx: PageContext;
  summary: ServiceSummary;
  zone: string;
  picker: Omit<PickerProps, "ctx" | "zone">;
  backHref: string;
  alert?: Child;
  step?: number;
  title?: string;
}) {
  const { ctx } = props;
  const { m } = ctx;
  return (
    <Layout ctx={ctx} title={props.title ?? m.steps.time}>
      {props.step === 0 ? null : <Steps m={m} current={3} />}
      <Back ctx={ctx} href={props.backHref} />
      <h1>{props.title ?? m.steps.time}</h1>
      {props.alert ? (
        <div class="alert bad" role="alert">
          {props.alert}
        </div>
      ) : null}
      <Summary ctx={ctx} zone={props.zone} s={props.summary} />
      <Picker ctx={ctx} zone={props.zone} {...props.picker} />
    </Layout>
  );
}

function Field(props: {
  id: keyof BookingForm;
  label: string;
  value: string;
  error?: string;
  hint?: string;
  type?: string;
  autocomplete?: string;
  required?: boolean;
  ctx: PageContext;
  multiline?: boolean;
  focus?: boolean;
  inputmode?: string;
}) {
  const describedBy = [props.hint ? `${props.id}-hint` : "", props.error ? `${props.id}-err` : ""].filter(Boolean).join(" ") || undefined;
  const common = {
    id: props.id,
    name: props.id,
    "aria-invalid": props.error ? "true" : undefined,
    "aria-describedby": describedBy,
    autofocus: props.focus || undefined,
  };
  return (
    <div class="field">
      <label for={props.id}>
        {props.label}
        {props.required ? <span class="req"> ({props.ctx.m.required})</span> : null}
      </label>
      {props.multiline ? (
        <textarea {...common} maxlength={1000} rows={3}>
          {props.value}
        </textarea>
      ) : (
        <input
          {...common}
          type={props.type ?? "text"}
          value={props.value}
          autocomplete={props.autocomplete}
          required={props.required || undefined}
          inputmode={props.inputmode as "tel" | undefined}
          dir={props.type === "email" || props.type === "tel" ? "ltr" : undefined}
        />
      )}
      {props.hint ? (
        <span class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </span>
      ) : null}
      {props.error ? (
        <span class="err" id={`${props.id}-err`}>
          {props.error}
        </span>
      ) : null}
    </div>
  );
}

export function DetailsPage(props: {
  ctx: PageContext;
  summary: ServiceSummary;
  zone: string;
  form: BookingForm;
  errors: FieldErrors;
  backHref: string;
}) {
  const { ctx, form, errors } = props;
  const { m } = ctx;
  const has = Object.keys(errors).length > 0;
  const first = (["name", "email", "phone", "notes"] as const).find((k) => errors[k]) ?? (errors.contact ? "email" : undefined);
  return (
    <Layout ctx={ctx} title={m.detailsTitle}>
      <Steps m={m} current={4} />
      <Back ctx={ctx} href={props.backHref} />
      <h1>{m.detailsTitle}</h1>
      <Summary ctx={ctx} zone={props.zone} s={props.summary} />
      {has ? (
        <div class="alert bad" role="alert">
          <strong>{m.errorSummary}</strong>
          <ul class="errs">
            {(["name", "email", "phone", "notes", "contact"] as const)
              .filter((k) => errors[k])
              .map((k) => (
                <li>
                  <a href={`#${k === "contact" ? "email" : k}`}>{errors[k]}</a>
                </li>
              ))}
          </ul>
        </div>
      ) : null}
      <form method="post" action="/book" class="card" novalidate>
        <input type="hidden" name="service" value={form.service} />
        <input type="hidden" name="staff" value={form.staff} />
        <input type="hidden" name="start" value={form.start} />
        <input type="hidden" name="key" value={form.key} />
        <input type="hidden" name="lang" value={ctx.lang} />
        <Field
          ctx={ctx}
          id="name"
          label={m.name}
          value={form.name}
          error={errors.name}
          autocomplete="name"
          required
          focus={first === "name"}
        />
        <p class="note" id="contact-rule">
          {m.contactRule}
        </p>
        <Field
          ctx={ctx}
          id="email"
          label={m.email}
          type="email"
          value={form.email}
          error={errors.email}
          hint={m.emailHint}
          autocomplete="email"
          focus={first === "email"}
        />
        <Field
          ctx={ctx}
          id="phone"
          label={m.phone}
          type="tel"
          inputmode="tel"
          value={form.phone}
          error={errors.phone}
          hint={m.phoneHint}
          autocomplete="tel"
          focus={first === "phone"}
        />
        <Field
          ctx={ctx}
          id="notes"
          label={m.notes}
          value={form.notes}
          error={errors.notes}
          hint={m.notesHint}
          multiline
          focus={first === "notes"}
        />
        <button class="btn big" type="submit">
          {m.confirm}
        </button>
      </form>
    </Layout>
  );
}

export function ConflictPage(props: {
  ctx: PageContext;
  summary: ServiceSummary;
  zone: string;
  form: BookingForm;
  newKey: string;
  alternatives: TimeOption[];
  allTimesHref: string;
  title: string;
  text: string;
}) {
  const { ctx, form } = props;
  const { m, lang } = ctx;
  const hidden: [string, string][] = [
    ["service", form.service],
    ["staff", form.staff],
    ["key", props.newKey],
    ["name", form.name],
    ["email", form.email],
    ["phone", form.phone],
    ["notes", form.notes],
    ["lang", lang],
  ];
  return (
    <Layout ctx={ctx} title={props.title}>
      <Steps m={m} current={3} />
      <h1>{props.title}</h1>
      <div class="alert bad" role="alert">
        {props.text}
      </div>
      <Summary ctx={ctx} zone={props.zone} s={props.summary} />
      <h2 id="alt-h">{m.chooseTime}</h2>
      <p id="tz" class="note" hidden data-msg={m.yourZone("{z}")}></p>
      {props.alternatives.length ? (
        <form method="post" action="/book" aria-labelledby="alt-h">
          {hidden.map(([name, value]) => (
            <input type="hidden" name={name} value={value} />
          ))}
          <ul class="list">
            {props.alternatives.map((t) => (
              <li>
                <button class="item slot" type="submit" name="start" value={iso(t.start)}>
                  <span class="main">
                    <strong data-ms={String(t.start)}>{formatDateTime(lang, props.zone, t.start)}</strong>
                    <span class="meta">{m.bookThis}</span>
                  </span>
                  <Chevron />
                </button>
              </li>
            ))}
          </ul>
        </form>
      ) : (
        <p class="alert info">{m.noAlternatives}</p>
      )}
      <p>
        <a href={props.allTimesHref}>{m.seeAllTimes}</a>
      </p>
    </Layout>
  );
}
