// The API reference at /docs: renders /openapi.json (same origin, nothing
// fetched from anywhere else) with plain DOM calls.

/** Builds an element; string children become text (never HTML). */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value !== undefined && value !== false) node.setAttribute(key, value === true ? "" : value);
  }
  node.append(...children.flat(Infinity).filter((c) => c !== undefined && c !== null && c !== false));
  return node;
}

/** The little Markdown the document uses: paragraphs, `code` and **bold**. */
function inline(text) {
  return text.split(/(`[^`]+`|\*\*[^*]+\*\*)/).map((part) => {
    if (/^`[^`]+`$/.test(part)) return el("code", {}, part.slice(1, -1));
    if (/^\*\*[^*]+\*\*$/.test(part)) return el("strong", {}, part.slice(2, -2));
    return part;
  });
}
const markdown = (text = "") => text.split(/\n\n+/).map((p) => el("p", {}, inline(p)));

let doc;
const refName = (ref) => ref.split("/").pop();
const resolve = (schema) => (schema?.$ref ? doc.components.schemas[refName(schema.$ref)] : schema);
const slug = (text) => text.toLowerCase().replace(/[^a-z0-9]+/g, "-");

/** A short description of a schema's type and rules, with links to named schemas. */
function typeOf(schema = {}) {
  if (schema.$ref) return el("a", { href: `#schema-${refName(schema.$ref)}` }, refName(schema.$ref));
  if (schema.oneOf) return joined(schema.oneOf.map(typeOf), " or ");
  if (schema.allOf) return joined(schema.allOf.map(typeOf), " and ");
  if (schema.const !== undefined) return el("code", {}, JSON.stringify(schema.const));
  if (schema.enum) return ["one of ", joined(schema.enum.map((v) => el("code", {}, String(v))), ", ")];
  if (schema.type === "array") return ["list of ", typeOf(schema.items)];
  if (schema.type === "object" && schema.additionalProperties && !schema.properties) {
    return ["map of ", typeOf(schema.propertyNames ?? { type: "string" }), " to ", typeOf(schema.additionalProperties)];
  }
  const rules = [];
  if (schema.minLength !== undefined || schema.maxLength !== undefined) {
    rules.push(`${schema.minLength ?? 0}–${schema.maxLength ?? "∞"} characters`);
  }
  if (schema.pattern) rules.push(el("code", {}, schema.pattern));
  if (schema.format) rules.push(schema.format);
  return [schema.type ?? "any", rules.length ? [" (", joined(rules, ", "), ")"] : ""];
}
const joined = (items, separator) => items.flatMap((item, i) => (i ? [separator, item] : [item]));

/** The fields of an object schema as a table (or its type, for anything else). */
function fields(schema) {
  const object = resolve(schema);
  if (!object?.properties) return el("p", {}, typeOf(schema));
  const required = new Set(object.required ?? []);
  const properties = Object.entries(object.properties);
  const notes = properties.some(([, p]) => p.description);
  const rows = properties.map(([name, property]) =>
    el("tr", {}, el("td", {}, el("code", {}, name)), el("td", {}, typeOf(property)), el("td", {}, required.has(name) ? "required" : "optional"), notes && el("td", {}, inline(property.description ?? ""))),
  );
  const extra = object.additionalProperties === false ? "Other fields are refused." : "";
  const head = el("tr", {}, el("th", { scope: "col" }, "field"), el("th", { scope: "col" }, "type"), el("th", { scope: "col" }, "presence"), notes && el("th", { scope: "col" }, "notes"));
  return [
    el("table", {}, el("thead", {}, head), el("tbody", {}, rows)),
    extra && el("p", { class: "muted" }, extra),
  ];
}

function body(content) {
  const [type, media] = Object.entries(content)[0];
  const alternatives = media.schema.oneOf ?? [media.schema];
  return [
    el("p", { class: "muted" }, el("code", {}, type), alternatives.length > 1 ? ", one of:" : ""),
    alternatives.map((s) => [s.$ref && alternatives.length > 1 ? el("h5", {}, typeOf(s)) : "", fields(s)]),
  ];
}

const BADGES = [
  [(op) => op.security?.some((s) => "bearerAuth" in s), "bearer token"],
  [(op) => op.tags?.includes("Admin"), "admin group"],
  [(op) => op["x-step-up"], "step-up"],
  [(op) => op.security?.some((s) => "refreshCookie" in s), "refresh cookie"],
];

function operation(path, method, op) {
  const params = op.parameters ?? [];
  const successes = Object.entries(op.responses).filter(([status]) => status < 400);
  const failures = Object.entries(op.responses).filter(([status]) => status >= 400);
  return el(
    "section",
    { class: "op", id: `op-${op.operationId}`, "aria-labelledby": `op-${op.operationId}-title` },
    el("h3", { id: `op-${op.operationId}-title` }, el("span", { class: `method ${method}` }, method.toUpperCase()), " ", el("code", {}, path)),
    el("p", { class: "summary" }, op.summary, " ", el("span", { class: "muted" }, `(${op.operationId})`)),
    el("p", { class: "badges" }, BADGES.filter(([has]) => has(op)).map(([, label]) => el("span", { class: `badge ${slug(label)}` }, label))),
    markdown(op.description),
    params.length > 0 && [
      el("h4", {}, "Parameters"),
      el("table", {}, el("tbody", {}, params.map((p) => el("tr", {}, el("td", {}, el("code", {}, p.name)), el("td", {}, p.in), el("td", {}, typeOf(p.schema)), el("td", {}, p.required ? "required" : "optional"))))),
    ],
    op.requestBody && [el("h4", {}, `Request body${op.requestBody.required ? "" : " (optional)"}`), body(op.requestBody.content)],
    el("h4", {}, "Answers"),
    successes.map(([status, response]) => [
      el("h5", {}, el("span", { class: "status ok" }, status), " ", inline(response.description)),
      response.headers && el("p", { class: "muted" }, "Headers: ", joined(Object.keys(response.headers).map((h) => el("code", {}, h)), ", ")),
      response.content && body(response.content),
    ]),
    el("h4", {}, "Errors (problem+json)"),
    el(
      "table",
      { class: "errors" },
      el("tbody", {}, failures.map(([status, response]) => el("tr", {}, el("td", {}, el("span", { class: "status fail" }, status)), el("td", {}, joined((response.content["application/problem+json"].schema.allOf[1].properties.code.enum ?? []).map((c) => el("code", {}, c)), " ")), el("td", {}, inline(response.description))))),
    ),
  );
}

function render() {
  document.getElementById("api-version").textContent = doc.info.version;
  document.getElementById("openapi-version").textContent = doc.openapi;
  const main = document.getElementById("main");
  const nav = document.getElementById("nav");
  const byTag = new Map(doc.tags.map((t) => [t.name, { tag: t, ops: [] }]));
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) byTag.get(op.tags[0]).ops.push([path, method, op]);
  }
  const schemes = doc.components.securitySchemes;
  const sections = [
    el("section", { "aria-labelledby": "overview" }, el("h2", { id: "overview" }, "Overview"), markdown(doc.info.description)),
    el("section", { "aria-labelledby": "auth" }, el("h2", { id: "auth" }, "Authentication"), Object.entries(schemes).map(([name, s]) => [el("h3", {}, name), markdown(s.description)])),
    [...byTag.values()].map(({ tag, ops }) => el("section", { "aria-labelledby": `tag-${slug(tag.name)}` }, el("h2", { id: `tag-${slug(tag.name)}` }, tag.name), markdown(tag.description), ops.map(([p, m, op]) => operation(p, m, op)))),
    el("section", { "aria-labelledby": "schemas" }, el("h2", { id: "schemas" }, "Schemas"), Object.entries(doc.components.schemas).map(([name, s]) => el("div", { class: "schema", id: `schema-${name}` }, el("h3", {}, name), markdown(s.description), fields({ $ref: `#/components/schemas/${name}` })))),
  ];
  main.replaceChildren(...sections.flat());
  nav.replaceChildren(
    el("ul", {}, [...byTag.values()].map(({ tag, ops }) => el("li", {}, el("a", { href: `#tag-${slug(tag.name)}` }, tag.name), el("ul", {}, ops.map(([p, m, op]) => el("li", {}, el("a", { href: `#op-${op.operationId}` }, el("span", { class: `method ${m}` }, m.toUpperCase()), " ", p))))))),
    el("p", {}, el("a", { href: "#schemas" }, "Schemas")),
  );
  if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
}

try {
  const res = await fetch("/openapi.json");
  if (!res.ok) throw new Error(`status ${res.status}`);
  doc = await res.json();
  render();
} catch {
  document.getElementById("status").textContent = "The OpenAPI document could not be loaded. Reload the page to try again.";
}
