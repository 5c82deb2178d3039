/**
 * /admin/settings/services/resources (admin and above): rooms, chairs,
 * equipment, on src/catalogue/resources.* (a resource with bookings is not
 * deleted: the API's 409 is shown as a sentence, deactivating is offered).
 *
 *   GET  /admin/settings/services/resources             list + add form
 *   POST /admin/settings/services/resources             add
 *   GET  /admin/settings/services/resources/:id         edit form
 *   POST /admin/settings/services/resources/:id         save
 *   POST /admin/settings/services/resources/:id/delete
 */
import { Hono } from "hono";
import { ResourceCreateSchema, ResourceUpdateSchema } from "../catalogue/resources.routes";
import * as Resources from "../catalogue/resources.service";
import { Conflict } from "../domain/errors";
import {
  allRows,
  CATALOGUE_PATH,
  CatalogueFrame,
  catalogueScope,
  errorsFor,
  Field,
  type FieldErrors,
  text,
  type Values,
  wholeNumber,
} from "./catalogue.view";
import { type ServicesMessages, servicesMessages } from "./i18n/services";
import { adminHtml, CsrfField } from "./layout";
import { type AdminContext, type AdminEnv, formOf, requirePageRole } from "./session";

export const resourcePages = new Hono<AdminEnv>();

const PATH = `${CATALOGUE_PATH}/resources`;
const ID = ":id{[0-9a-fA-F-]{36}}";

const errorWords = (w: ServicesMessages) => ({
  name: w.errors.resourceName,
  type: w.errors.resourceType,
  capacity: w.errors.resourceCapacity,
});

function ResourceFields({ w, values, errors }: { w: ServicesMessages; values: Values; errors: FieldErrors }) {
  const r = w.resources;
  const v = { values, errors };
  return (
    <>
      <div class="cols">
        <Field id="name" label={r.name} required maxlength={120} {...v} />
        <Field id="type" label={r.type} hint={r.typeHint} required maxlength={40} ltr {...v} />
        <Field id="capacity" label={r.capacity} type="number" inputmode="numeric" min={1} max={500} {...v} />
      </div>
      <div class="check">
        <input type="checkbox" id="is_active" name="is_active" value="1" checked={values.is_active === "1"} />
        <label for="is_active">{r.active}</label>
      </div>
    </>
  );
}

function valuesOf(form: Record<string, unknown>): Values {
  return {
    name: text(form.name),
    type: text(form.type),
    capacity: text(form.capacity),
    is_active: text(form.is_active) === "1" ? "1" : "",
  };
}

const bodyOf = (v: Values) => {
  const body: Record<string, unknown> = { name: v.name, type: v.type, is_active: v.is_active === "1" };
  const capacity = wholeNumber(v.capacity!);
  if (capacity !== undefined) body.capacity = capacity;
  return body;
};

async function listPage(
  c: AdminContext,
  view: { notice?: string | null; problem?: string | null; values?: Values; errors?: FieldErrors } = {},
  status: 200 | 409 | 422 = 200,
) {
  const req = c.get("admin");
  const w = servicesMessages(req.lang);
  const r = w.resources;
  const rows = await allRows((q) => Resources.listResources(catalogueScope(c), q), "type,name");
  const errors = view.errors ?? {};
  return adminHtml(
    c,
    <CatalogueFrame
      req={req}
      w={w}
      section="resources"
      title={r.title}
      notice={view.notice}
      problem={view.problem ?? (Object.keys(errors).length ? w.fixErrors : null)}
    >
      <div class="stack">
        <p class="note">{r.hint}</p>
        {rows.length ? (
          <ul class="items">
            {rows.map((x) => (
              <li class="item" id={`resource-${x.id}`}>
                <div class="item-main">
                  <b dir="auto">{x.name}</b>
                  <span class={`badge ${x.is_active ? "on" : "off"}`}>{x.is_active ? r.active : r.inactive}</span>
                  <ul class="meta">
                    <li>
                      {r.type}: <bdi>{x.type}</bdi>
                    </li>
                    <li>
                      {r.capacity}: {x.capacity}
                    </li>
                  </ul>
                </div>
                <div class="item-actions">
                  <a class="btn ghost small" href={`${PATH}/${x.id}`} aria-label={w.list.about(r.edit, x.name)}>
                    {r.edit}
                  </a>
                  <form method="post" action={`${PATH}/${x.id}/delete`}>
                    <CsrfField token={req.session!.csrf} />
                    <button type="submit" class="btn ghost small" aria-label={w.list.about(r.delete, x.name)}>
                      {r.delete}
                    </button>
                  </form>
                </div>
              </li>
            ))}
          </ul>
        ) : (
          <p class="card note">{r.empty}</p>
        )}
        <form method="post" action={PATH} class="form" novalidate>
          <CsrfField token={req.session!.csrf} />
          <fieldset class="card">
            <legend>{r.newTitle}</legend>
            <ResourceFields w={w} values={view.values ?? { capacity: "1", is_active: "1" }} errors={errors} />
            <div class="actions">
              <button type="submit" class="btn">
                {r.add}
              </button>
            </div>
          </fieldset>
        </form>
      </div>
    </CatalogueFrame>,
    status,
  );
}

async function editPage(c: AdminContext, id: string, view: { values?: Values; errors?: FieldErrors } = {}, status: 200 | 422 = 200) {
  const req = c.get("admin");
  const w = servicesMessages(req.lang);
  const r = w.resources;
  const row = await Resources.getResource(catalogueScope(c), id);
  const values = view.values ?? {
    name: row.name,
    type: row.type,
    capacity: String(row.capacity),
    is_active: row.is_active ? "1" : "",
  };
  const errors = view.errors ?? {};
  return adminHtml(
    c,
    <CatalogueFrame
      req={req}
      w={w}
      section="resources"
      title={r.editTitle(row.name)}
      problem={Object.keys(errors).length ? w.fixErrors : null}
    >
      <form method="post" action={`${PATH}/${id}`} class="form" novalidate>
        <CsrfField token={req.session!.csrf} />
        <fieldset class="card">
          <legend>{r.editTitle(row.name)}</legend>
          <ResourceFields w={w} values={values} errors={errors} />
        </fieldset>
        <div class="actions">
          <button type="submit" class="btn">
            {r.save}
          </button>
          <a class="btn ghost" href={PATH}>
            {r.cancel}
          </a>
        </div>
      </form>
    </CatalogueFrame>,
    status,
  );
}

resourcePages.get("/settings/services/resources", requirePageRole("admin"), (c) => {
  const n = servicesMessages(c.get("admin").lang).notices;
  const done = c.req.query("done");
  const notice =
    done === "created" ? n.resourceCreated : done === "saved" ? n.resourceSaved : done === "deleted" ? n.resourceDeleted : null;
  return listPage(c, { notice });
});

resourcePages.post("/settings/services/resources", requirePageRole("admin"), async (c) => {
  const w = servicesMessages(c.get("admin").lang);
  const values = valuesOf(await formOf(c));
  const parsed = ResourceCreateSchema.safeParse(bodyOf(values));
  if (!parsed.success) {
    return listPage(
      c,
      {
        values,
        errors: errorsFor(
          parsed.error.issues.map((i) => i.path.join(".")),
          errorWords(w),
        ),
      },
      422,
    );
  }
  await Resources.createResource(catalogueScope(c), parsed.data);
  return c.redirect(`${PATH}?done=created`, 303);
});

resourcePages.get(`/settings/services/resources/${ID}`, requirePageRole("admin"), (c) => editPage(c, c.req.param("id")));

resourcePages.post(`/settings/services/resources/${ID}`, requirePageRole("admin"), async (c) => {
  const w = servicesMessages(c.get("admin").lang);
  const id = c.req.param("id");
  const values = valuesOf(await formOf(c));
  const parsed = ResourceUpdateSchema.safeParse(bodyOf(values));
  if (!parsed.success) {
    return editPage(
      c,
      id,
      {
        values,
        errors: errorsFor(
          parsed.error.issues.map((i) => i.path.join(".")),
          errorWords(w),
        ),
      },
      422,
    );
  }
  await Resources.updateResource(catalogueScope(c), id, parsed.data);
  return c.redirect(`${PATH}?done=saved#resource-${id}`, 303);
});

resourcePages.post(`/settings/services/resources/${ID}/delete`, requirePageRole("admin"), async (c) => {
  try {
    await Resources.deleteResource(catalogueScope(c), c.req.param("id"));
  } catch (e) {
    // The API's rule: a resource with bookings stays (409); say so in the page's words.
    if (e instanceof Conflict) return listPage(c, { problem: servicesMessages(c.get("admin").lang).errors.resourceInUse }, 409);
    throw e;
  }
  return c.redirect(`${PATH}?done=deleted`, 303);
});
