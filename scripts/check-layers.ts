/**
 * `npm run lint:deps`: the layer rule of .dependency-cruiser.cjs (file level:
 * direction and no file cycles), then the same at folder level: counting every
 * import between folders of src/ (type-only too), no folder may reach itself.
 */
import { spawnSync } from "node:child_process";

const bin = "node_modules/.bin/depcruise";
const rules = spawnSync(bin, ["src", "--config", ".dependency-cruiser.cjs", "--output-type", "err"], { stdio: "inherit" });
if (rules.status !== 0) process.exit(rules.status ?? 1);

const json = spawnSync(bin, ["src", "--config", ".dependency-cruiser.cjs", "--output-type", "json"], {
  encoding: "utf8",
  maxBuffer: 64 << 20,
});
if (json.status !== 0) {
  console.error(json.stderr);
  process.exit(1);
}
const graph = JSON.parse(json.stdout) as { modules: { source: string; dependencies: { resolved: string }[] }[] };
const folderOf = (path: string) => /^src\/([^/]+)\//.exec(path)?.[1] ?? null;

const edges = new Map<string, Set<string>>();
for (const m of graph.modules) {
  const from = folderOf(m.source);
  if (!from) continue;
  for (const d of m.dependencies) {
    const to = folderOf(d.resolved);
    if (to && to !== from) (edges.get(from) ?? edges.set(from, new Set()).get(from)!).add(to);
  }
}

// Tarjan's strongly connected components: any component of more than one folder is a cycle.
let index = 0;
const order = new Map<string, number>();
const low = new Map<string, number>();
const stack: string[] = [];
const cycles: string[][] = [];
function visit(v: string) {
  order.set(v, index);
  low.set(v, index++);
  stack.push(v);
  for (const w of edges.get(v) ?? []) {
    if (!order.has(w)) {
      visit(w);
      low.set(v, Math.min(low.get(v)!, low.get(w)!));
    } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, order.get(w)!));
  }
  if (low.get(v) === order.get(v)) {
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      component.push(w);
    } while (w !== v);
    if (component.length > 1) cycles.push(component.sort());
  }
}
for (const v of edges.keys()) if (!order.has(v)) visit(v);

if (cycles.length) {
  for (const c of cycles) {
    console.error(`folder cycle: ${c.join(" ⇄ ")}`);
    for (const a of c) for (const b of edges.get(a) ?? []) if (c.includes(b)) console.error(`  src/${a} → src/${b}`);
  }
  process.exit(1);
}
console.log(`no folder cycle (${edges.size} folders of src/)`);
