/**
 * /admin/settings/services (admin and above): the services by category, their
 * order, activation, and the create/edit form, on the same services and zod
 * schemas as the JSON API (src/catalogue/services.*, categories.*).
 *
 *   GET  /admin/settings/services               the list, grouped by category in display order
 *   GET  /admin/settings/services/new           the empty form
 *   POST /admin/settings/services               create
 *   GET  /admin/settings/services/:id           the form of one service
 *   POST /admin/settings/services/:id           save it
 *   POST /admin/settings/services/:id/move      direction=up|down inside its category
 *   POST /admin/settings/services/:id/active    active=1|0
 */
import { Hono } from "hono";
import * as Categories from "../catalogue/categories.service";
import { MoveSchema } from "../catalogue/common";
import * as Resources from "../catalogue/resources.service";
import { ServiceCreateSchema, ServiceUpdateSchema } from "../catalogue/services.routes";
import * as Services from "../catalogue/services.service";
import * as Staff from "../catalogue/staff.service";
import { InvalidInput } from "../domain/errors";
import type { TenantScope } from "../tenancy/scope";
import {
  allRows,
  CATALOGUE_PATH,
  catalogueScope,
  errorsFor,
  type FieldErrors,
  listOf,
  text,
  type Values,
  wholeNumber,
} from "./catalogue.view";
import { type ServicesMessages, servicesMessages } from "./i18n/services";
import { adminHtml } from "./layout";
import { ServiceFormPage, ServiceListPage } from "./services.pages";
import { type AdminContext, type AdminEnv, formOf, requirePageRole } from "./session";

export const servicePages = new Hono<AdminEnv>();

const ID = ":id{[0-9a-fA-F-]{36}}";
const words = (c: AdminContext) => servicesMessages(c.get("admin").lang);

const NOTICES = ["created", "saved", "moved", "activated", "deactivated"] as const;
const noticeOf = (c: AdminContext, w: ServicesMessages) => {
  const done = c.req.query("done") as (typeof NOTICES)[number] | undefined;
  return done && NOTICES.includes(done) ? w.notices[done] : null;
};

/** The form with repeated fields as lists (the staff checkboxes); the shell's CSRF check already read it as a form. */
const withRepeats = (c: AdminContext) => c.req.parseBody({ all: true }) as Promise<Record<string, unknown>>;

const categoriesOf = (s: TenantScope) => allRows((q) => Categories.listCategories(s, q), "position,name");

/** A price typed in major units ("150", "150,50", "150.5") → minor units; "" → none; anything else NaN (refused). */
function priceMinor(v: string): number | undefined {
  if (v === "") return undefined;
  const m = /^(\d{1,7})(?:[.,](\d{1,2}))?$/.exec(v.replace(/\s/g, ""));
  if (!m) return Number.NaN;
  return Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
}

/** "150" or "150.50": how a stored price reads back in the form. */
const priceText = (minor: number) => (minor % 100 === 0 ? String(minor / 100) : (minor / 100).toFixed(2));

const FORM_FIELDS = [
  "name",
  "description",
  "category_id",
  "duration_min",
  "price",
  "buffer_before_min",
  "buffer_after_min",
  "capacity",
  "required_resource_type",
] as const;

function formValues(form: Record<string, unknown>): Values {
  const values: Values = {};
  for (const key of FORM_FIELDS) values[key] = text(form[key]);
  values.is_active = text(form.is_active) === "1" ? "1" : "";
  return values;
}

/** The API body the form stands for; a required number left empty becomes NaN so the schema names it. */
function serviceBody(values: Values, staffIds: string[]) {
  const body: Record<string, unknown> = {
    name: values.name,
    description: values.description,
    category_id: values.category_id || null,
    duration_min: wholeNumber(values.duration_min!) ?? Number.NaN,
    price_minor: priceMinor(values.price!),
    buffer_before_min: wholeNumber(values.buffer_before_min!),
    buffer_after_min: wholeNumber(values.buffer_after_min!),
    capacity: wholeNumber(values.capacity!),
    required_resource_type: values.required_resource_type || null,
    is_active: values.is_active === "1",
    staff_ids: staffIds,
  };
  for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
  return body;
}

const fieldErrors = (w: ServicesMessages, paths: string[]): FieldErrors => errorsFor(paths, w.errors, { price_minor: "price" });

async function renderForm(
  c: AdminContext,
  view: { values: Values; staffIds: string[]; errors?: FieldErrors; editing?: { id: string; name: string } },
  status: 200 | 422 = 200,
) {
  const s = catalogueScope(c);
  const [categories, staff, resources] = await Promise.all([
    categoriesOf(s),
    allRows((q) => Staff.listStaff(s, q), "display_name"),
    allRows((q) => Resources.listResources(s, q), "type"),
  ]);
  const w = words(c);
  return adminHtml(
    c,
    <ServiceFormPage
      req={c.get("admin")}
      w={w}
      editing={view.editing}
      values={view.values}
      staffIds={view.staffIds}
      errors={view.errors ?? {}}
      categories={categories}
      staff={staff}
      resourceTypes={[...new Set(resources.map((r) => r.type))]}
      notice={noticeOf(c, w)}
    />,
    status,
  );
}

servicePages.get("/settings/services", requirePageRole("admin"), async (c) => {
  const s = catalogueScope(c);
  const [categories, services] = await Promise.all([categoriesOf(s), allRows((q) => Services.listServices(s, q), "position,name")]);
  const w = words(c);
  return adminHtml(c, <ServiceListPage req={c.get("admin")} w={w} categories={categories} services={services} notice={noticeOf(c, w)} />);
});

servicePages.get("/settings/services/new", requirePageRole("admin"), (c) =>
  renderForm(c, {
    values: { duration_min: "30", price: "0", buffer_before_min: "0", buffer_after_min: "0", capacity: "1", is_active: "1" },
    staffIds: [],
  }),
);

servicePages.post("/settings/services", requirePageRole("admin"), async (c) => {
  const form = await withRepeats(c);
  const values = formValues(form);
  const staffIds = listOf(form.staff_ids);
  const w = words(c);
  const parsed = ServiceCreateSchema.safeParse(serviceBody(values, staffIds));
  if (!parsed.success) {
    return renderForm(
      c,
      {
        values,
        staffIds,
        errors: fieldErrors(
          w,
          parsed.error.issues.map((i) => i.path.join(".")),
        ),
      },
      422,
    );
  }
  try {
    const created = await Services.createService(catalogueScope(c), parsed.data);
    return c.redirect(`${CATALOGUE_PATH}?done=created#service-${created.id}`, 303);
  } catch (e) {
    if (e instanceof InvalidInput)
      return renderForm(
        c,
        {
          values,
          staffIds,
          errors: fieldErrors(
            w,
            e.fields.map((f) => f.field),
          ),
        },
        422,
      );
    throw e;
  }
});

servicePages.get(`/settings/services/${ID}`, requirePageRole("admin"), async (c) => {
  const row = await Services.getService(catalogueScope(c), c.req.param("id"));
  const values: Values = {
    name: row.name,
    description: row.description,
    category_id: row.category_id ?? "",
    duration_min: String(row.duration_min),
    price: priceText(row.price_minor),
    buffer_before_min: String(row.buffer_before_min),
    buffer_after_min: String(row.buffer_after_min),
    capacity: String(row.capacity),
    required_resource_type: row.required_resource_type ?? "",
    is_active: row.is_active ? "1" : "",
  };
  return renderForm(c, { values, staffIds: row.staff_ids ?? [], editing: { id: row.id, name: row.name } });
});

servicePages.post(`/settings/services/${ID}`, requirePageRole("admin"), async (c) => {
  const id = c.req.param("id");
  const form = await withRepeats(c);
  const values = formValues(form);
  const staffIds = listOf(form.staff_ids);
  const w = words(c);
  const s = catalogueScope(c);
  // Only a refused form needs the stored name (the title); another business's id is a 404 either way.
  const again = async (paths: string[]) => {
    const row = await Services.getService(s, id);
    return renderForm(c, { values, staffIds, errors: fieldErrors(w, paths), editing: { id, name: row.name } }, 422);
  };
  const parsed = ServiceUpdateSchema.safeParse(serviceBody(values, staffIds));
  if (!parsed.success) return again(parsed.error.issues.map((i) => i.path.join(".")));
  try {
    await Services.updateService(s, id, parsed.data);
  } catch (e) {
    if (e instanceof InvalidInput) return again(e.fields.map((f) => f.field));
    throw e;
  }
  return c.redirect(`${CATALOGUE_PATH}?done=saved#service-${id}`, 303);
});

servicePages.post(`/settings/services/${ID}/move`, requirePageRole("admin"), async (c) => {
  const id = c.req.param("id");
  const parsed = MoveSchema.safeParse({ direction: text((await formOf(c)).direction) });
  // The buttons only send up or down; anything else is a hand-made post, answered with the list as it is.
  if (!parsed.success) return c.redirect(CATALOGUE_PATH, 303);
  await Services.moveService(catalogueScope(c), id, parsed.data.direction);
  return c.redirect(`${CATALOGUE_PATH}?done=moved#service-${id}`, 303);
});

servicePages.post(`/settings/services/${ID}/active`, requirePageRole("admin"), async (c) => {
  const id = c.req.param("id");
  const active = text((await formOf(c)).active) === "1";
  await Services.updateService(catalogueScope(c), id, { is_active: active });
  return c.redirect(`${CATALOGUE_PATH}?done=${active ? "activated" : "deactivated"}#service-${id}`, 303);
});
