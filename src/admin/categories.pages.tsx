/**
 * /admin/settings/services/categories (admin and above): add, rename, order
 * and delete service categories, on src/catalogue/categories.* (the API's
 * rule kept: deleting a category leaves its services, uncategorised).
 *
 *   GET  /admin/settings/services/categories
 *   POST /admin/settings/services/categories               add
 *   POST /admin/settings/services/categories/:id           rename
 *   POST /admin/settings/services/categories/:id/move      direction=up|down
 *   POST /admin/settings/services/categories/:id/delete
 */
import { Hono } from "hono";
import { CategoryCreateSchema, CategoryUpdateSchema } from "../catalogue/categories.routes";
import * as Categories from "../catalogue/categories.service";
import { MoveSchema } from "../catalogue/common";
import * as Services from "../catalogue/services.service";
import { Conflict } from "../domain/errors";
import { allRows, CATALOGUE_PATH, CatalogueFrame, catalogueScope, Field, text } from "./catalogue.view";
import { type ServicesMessages, servicesMessages } from "./i18n/services";
import { adminHtml, CsrfField } from "./layout";
import { type AdminContext, type AdminEnv, formOf, requirePageRole } from "./session";

export const categoryPages = new Hono<AdminEnv>();

const PATH = `${CATALOGUE_PATH}/categories`;
const ID = ":id{[0-9a-fA-F-]{36}}";

interface View {
  notice?: string | null;
  /** The add form's value and error. */
  added?: { name: string; error?: string };
  /** A refused rename: which row, what was typed, why. */
  renamed?: { id: string; name: string; error: string };
}

async function render(c: AdminContext, view: View = {}, status: 200 | 409 | 422 = 200) {
  const req = c.get("admin");
  const w = servicesMessages(req.lang);
  const k = w.categories;
  const s = catalogueScope(c);
  const [categories, services] = await Promise.all([
    allRows((q) => Categories.listCategories(s, q), "position,name"),
    allRows((q) => Services.listServices(s, q)),
  ]);
  const csrf = req.session!.csrf;
  const problem = view.added?.error || view.renamed ? w.fixErrors : null;
  return adminHtml(
    c,
    <CatalogueFrame req={req} w={w} section="categories" title={k.title} notice={view.notice} problem={problem}>
      <div class="stack">
        <p class="note">
          {k.hint} {k.deleteHint}
        </p>
        {categories.length ? (
          <ul class="items">
            {categories.map((cat, i) => {
              const refused = view.renamed?.id === cat.id ? view.renamed : undefined;
              const n = services.filter((x) => x.category_id === cat.id).length;
              const base = `${PATH}/${cat.id}`;
              return (
                <li class="item" id={`category-${cat.id}`}>
                  <form method="post" action={base} class="inline item-main" novalidate>
                    <CsrfField token={csrf} />
                    <Field
                      id={`name-${cat.id}`}
                      name="name"
                      label={k.name}
                      hint={k.services(n)}
                      maxlength={80}
                      required
                      values={{ name: refused?.name ?? cat.name }}
                      errors={refused ? { name: refused.error } : {}}
                    />
                    <button type="submit" class="btn ghost small">
                      {k.rename}
                    </button>
                  </form>
                  <div class="item-actions">
                    <form method="post" action={`${base}/move`}>
                      <CsrfField token={csrf} />
                      <input type="hidden" name="direction" value="up" />
                      <button type="submit" class="btn ghost small" disabled={i === 0} aria-label={w.list.about(w.list.moveUp, cat.name)}>
                        ↑ {w.list.moveUp}
                      </button>
                    </form>
                    <form method="post" action={`${base}/move`}>
                      <CsrfField token={csrf} />
                      <input type="hidden" name="direction" value="down" />
                      <button
                        type="submit"
                        class="btn ghost small"
                        disabled={i === categories.length - 1}
                        aria-label={w.list.about(w.list.moveDown, cat.name)}
                      >
                        ↓ {w.list.moveDown}
                      </button>
                    </form>
                    <form method="post" action={`${base}/delete`}>
                      <CsrfField token={csrf} />
                      <button type="submit" class="btn ghost small" aria-label={w.list.about(k.delete, cat.name)}>
                        {k.delete}
                      </button>
                    </form>
                  </div>
                </li>
              );
            })}
          </ul>
        ) : (
          <p class="card note">{k.empty}</p>
        )}
        <form method="post" action={PATH} class="card inline" novalidate>
          <CsrfField token={csrf} />
          <Field
            id="new-category"
            name="name"
            label={k.newName}
            maxlength={80}
            required
            values={{ name: view.added?.name ?? "" }}
            errors={view.added?.error ? { name: view.added.error } : {}}
          />
          <button type="submit" class="btn">
            {k.add}
          </button>
        </form>
      </div>
    </CatalogueFrame>,
    status,
  );
}

/** The refused name's message: taken (409 from the unique index) or not a name. */
const nameError = (w: ServicesMessages, e: unknown) => (e instanceof Conflict ? w.errors.categoryTaken : w.errors.categoryName);

categoryPages.get("/settings/services/categories", requirePageRole("admin"), (c) => {
  const w = servicesMessages(c.get("admin").lang);
  const done = c.req.query("done");
  const deleted = c.req.query("uncategorised");
  const notice =
    done === "created"
      ? w.notices.categoryCreated
      : done === "saved"
        ? w.notices.categorySaved
        : done === "moved"
          ? w.notices.moved
          : done === "deleted"
            ? w.categories.deletedWith(Number(deleted) || 0)
            : null;
  return render(c, { notice });
});

categoryPages.post("/settings/services/categories", requirePageRole("admin"), async (c) => {
  const w = servicesMessages(c.get("admin").lang);
  const name = text((await formOf(c)).name);
  const parsed = CategoryCreateSchema.safeParse({ name });
  if (!parsed.success) return render(c, { added: { name, error: w.errors.categoryName } }, 422);
  try {
    await Categories.createCategory(catalogueScope(c), parsed.data);
  } catch (e) {
    if (e instanceof Conflict) return render(c, { added: { name, error: nameError(w, e) } }, 409);
    throw e;
  }
  return c.redirect(`${PATH}?done=created`, 303);
});

categoryPages.post(`/settings/services/categories/${ID}`, requirePageRole("admin"), async (c) => {
  const w = servicesMessages(c.get("admin").lang);
  const id = c.req.param("id");
  const name = text((await formOf(c)).name);
  const s = catalogueScope(c);
  const parsed = CategoryUpdateSchema.safeParse({ name });
  if (!parsed.success) {
    await Categories.getCategory(s, id); // another business's id: 404, not a form
    return render(c, { renamed: { id, name, error: w.errors.categoryName } }, 422);
  }
  try {
    await Categories.updateCategory(s, id, parsed.data);
  } catch (e) {
    if (e instanceof Conflict) return render(c, { renamed: { id, name, error: nameError(w, e) } }, 409);
    throw e;
  }
  return c.redirect(`${PATH}?done=saved#category-${id}`, 303);
});

categoryPages.post(`/settings/services/categories/${ID}/move`, requirePageRole("admin"), async (c) => {
  const id = c.req.param("id");
  const parsed = MoveSchema.safeParse({ direction: text((await formOf(c)).direction) });
  if (!parsed.success) return c.redirect(PATH, 303);
  await Categories.moveCategory(catalogueScope(c), id, parsed.data.direction);
  return c.redirect(`${PATH}?done=moved#category-${id}`, 303);
});

categoryPages.post(`/settings/services/categories/${ID}/delete`, requirePageRole("admin"), async (c) => {
  const s = catalogueScope(c);
  const id = c.req.param("id");
  // How many services lose their category, for the notice (the API's rule: they stay, uncategorised).
  const { rows } = await Services.listServices(s, { category_id: id, page_size: 1 });
  await Categories.deleteCategory(s, id);
  return c.redirect(`${PATH}?done=deleted&uncategorised=${rows[0]?.total_count ?? 0}`, 303);
});
