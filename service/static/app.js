/* vactag page: one ad with highlighted evidence, and a file tagged through the batch API.
   Plain script, no build step, no libraries. Offsets from the API are Python string indices
   (code points), so texts are split with Array.from, not by UTF-16 units. */
"use strict";

const RU = {
  support_type: { technical: "Техническая поддержка", customer: "Клиентская поддержка",
    sales_hybrid: "Поддержка + продажи", not_support: "Не поддержка",
    support: "поддержка (вид не ясен)", selling: "продажи", service: "сервис для клиентов" },
  seniority: { entry: "Начальный уровень", specialist: "Специалист", senior: "Эксперт", lead: "Руководитель" },
  work_format: { remote: "Удалённо", hybrid: "Гибрид", office: "Офис", field: "Разъездная работа" },
  experience: { noExperience: "Без опыта", between1And3: "От 1 до 3 лет", between3And6: "От 3 до 6 лет",
    moreThan6: "Более 6 лет" },
  decided_by: { rule: "правила", model: "модель", fused: "правила и модель согласны" },
  position: { operator: "оператор", specialist: "специалист", engineer: "инженер", manager: "руководитель", other: "другое" },
  schedule: { full_day: "полный день", shift: "сменный", flexible: "гибкий" },
  employment: { full: "полная", part: "частичная", project: "проектная", internship: "стажировка" },
  audience: { external: "внешние клиенты", internal: "сотрудники компании" },
  vector: { infrastructure: "инфраструктура", user: "пользователи", product: "продукт" },
  period: { month: "в месяц", week: "в неделю", day: "в день", shift: "за смену", hour: "в час", year: "в год", project: "за проект" },
  benefits: { health_insurance: "ДМС", meals: "питание", transport: "транспорт", fitness: "спорт", training: "обучение",
    remote_equipment: "техника для работы", bonus: "премии", mobile: "мобильная связь", discounts: "скидки",
    paid_leave: "оплачиваемый отпуск" },
  fact: { line: "Линия поддержки", position: "Должность", schedule: "График", employment: "Занятость",
    official_employment: "Оформление", city: "Город", requirements: "Требования", benefits: "Условия и льготы",
    audience: "Кого поддерживают", vector: "Направление", salary: "Зарплата", experience: "Опыт" },
};
const LABEL_KINDS = [["support_type", "Тип поддержки"], ["seniority", "Уровень"], ["work_format", "Формат работы"]];
const CURRENCY = { RUB: "₽", USD: "$", EUR: "€", KZT: "₸", BYN: "Br", UZS: "сум", KGS: "сом" };
const SUPPORT_ORDER = ["technical", "customer", "sales_hybrid", "not_support"];
const SUPPORT_SHORT = { technical: "Техподдержка", customer: "Клиентская", sales_hybrid: "Поддержка + продажи", not_support: "Не поддержка" };
const SENIORITY_ORDER = ["entry", "specialist", "senior", "lead"];
const CHUNK = 50;
const EXAMPLE = {
  title: "Специалист технической поддержки (1 линия)",
  description: "Крупный интернет-провайдер ищет специалиста в службу поддержки.\n\nОбязанности:\n" +
    "• приём и обработка обращений пользователей по телефону и в чате;\n" +
    "• диагностика неисправностей, настройка роутеров и Wi-Fi;\n• работа с заявками в Jira.\n\n" +
    "Требования:\n• опыт работы в технической поддержке от 1 года;\n• знание Windows, основ TCP/IP.\n\n" +
    "Условия:\n• удалённая работа, график 2/2;\n• официальное трудоустройство по ТК РФ;\n" +
    "• зарплата от 60 000 до 80 000 руб. на руки;\n• ДМС, обучение за счёт компании.\nМосква",
};

let rulesById = {};
const $ = (sel, root = document) => root.querySelector(sel);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k === "style") node.setAttribute("style", v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

const pct = (x) => `${Math.round(x * 100)}\u00a0%`;
/** Russian plural: plural(5, ["строка", "строки", "строк"]) → "строк". */
function plural(n, [one, few, many]) {
  const d = n % 10, h = n % 100;
  if (d === 1 && h !== 11) return one;
  if (d >= 2 && d <= 4 && (h < 12 || h > 14)) return few;
  return many;
}
const VACANCIES = ["вакансия", "вакансии", "вакансий"];
const fmtNum = (n) => new Intl.NumberFormat("ru-RU").format(n);

// --- API --------------------------------------------------------------------------------------------

function headers() {
  const h = { "Content-Type": "application/json", Accept: "application/json" };
  const key = $("#api-key").value.trim();
  if (key) h["X-API-Key"] = key;
  return h;
}

async function api(path, body) {
  const init = body === undefined ? { headers: headers() } : { method: "POST", headers: headers(), body: JSON.stringify(body) };
  const res = await fetch(path, init);
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  if (!res.ok) {
    const detail = data && (data.detail || data.title) || text || res.statusText;
    const err = new Error(res.status === 401 ? "Нужен ключ API: откройте «Ключ API» вверху страницы." : `Ошибка ${res.status}: ${detail}`);
    err.status = res.status;
    throw err;
  }
  return data;
}

async function loadRules() {
  try {
    const data = await api("/v1/rules");
    rulesById = data.rules || {};
  } catch { rulesById = {}; }
}

// --- hh.ru JSON and HTML → text -----------------------------------------------------------------------

const BLOCK = new Set("P BR DIV LI UL OL H1 H2 H3 H4 H5 H6 TR TD TH TABLE SECTION ARTICLE HEADER FOOTER BLOCKQUOTE PRE HR DD DT DL".split(" "));

function htmlToText(html) {
  const doc = new DOMParser().parseFromString(html, "text/html");
  const out = [];
  const walk = (node) => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) out.push(child.nodeValue.replace(/\s+/g, " "));
      else if (child.nodeType === Node.ELEMENT_NODE) {
        const tag = child.tagName;
        if (tag === "SCRIPT" || tag === "STYLE" || tag === "TEMPLATE") continue;
        if (BLOCK.has(tag)) out.push("\n");
        if (tag === "LI") out.push("• ");
        walk(child);
        if (BLOCK.has(tag)) out.push("\n");
      }
    }
  };
  walk(doc.body);
  return out.join("").split("\n").map((l) => l.trim()).join("\n").replace(/\n{3,}/g, "\n\n").trim();
}

/** A pasted hh.ru vacancy (or {title, description}) → {title, description} as plain text; null if not one. */
function parseVacancyJson(raw) {
  const s = raw.trim();
  if (!s.startsWith("{")) return null;
  let obj;
  try { obj = JSON.parse(s); } catch { return null; }
  if (!obj || typeof obj !== "object") return null;
  const title = obj.name ?? obj.title;
  const desc = obj.description ?? obj.branded_description ?? "";
  if (typeof title !== "string" && typeof desc !== "string") return null;
  return { title: typeof title === "string" ? title : "", description: typeof desc === "string" ? htmlToText(desc) : "",
           id: obj.id !== undefined ? String(obj.id) : null };
}

function takeVacancyJson() {
  const d = $("#description");
  const v = parseVacancyJson(d.value) || parseVacancyJson($("#title").value);
  if (!v) return false;
  $("#title").value = v.title;
  d.value = v.description;
  $("#one-note").textContent = `Распознан JSON вакансии hh.ru${v.id ? ` (id ${v.id})` : ""}: название взято из «name», ` +
    "описание из «description» переведено из HTML в текст.";
  return true;
}

// --- evidence spans → nested marks ---------------------------------------------------------------------

/** Colour group of one evidence item: the label it voted for (support type) or the field it belongs to. */
function groupOf(kind, ev) {
  if (kind === "support_type") return RU.support_type[ev.label] ? ev.label : "support";
  if (kind === "salary") return "salary";
  if (["seniority", "work_format", "experience"].includes(kind)) return kind;
  return "fact";
}

function collectEvidence(result) {
  const items = [];
  const add = (kind, ev) => items.push({ ...ev, kind, group: groupOf(kind, ev) });
  for (const [kind] of LABEL_KINDS) for (const ev of result[kind].evidence) add(kind, ev);
  if (result.experience) for (const ev of result.experience.evidence) add("experience", ev);
  for (const [name, fact] of Object.entries(result.facts)) if (fact) for (const ev of fact.evidence) add(name === "salary" ? "salary" : name, ev);
  return items;
}

/** Group evidence by identical (field, start, end), then keep spans that nest; a span crossing a kept one is
 *  dropped from the text (it stays in the list under the text). Returns {field: [tree nodes]}, dropped. */
function spanForest(items) {
  const bySpan = new Map();
  for (const ev of items) {
    if (ev.end <= ev.start) continue;
    const key = `${ev.field}:${ev.start}:${ev.end}`;
    if (!bySpan.has(key)) bySpan.set(key, { field: ev.field, start: ev.start, end: ev.end, text: ev.text, evs: [], children: [] });
    bySpan.get(key).evs.push(ev);
  }
  const forest = { title: [], description: [] };
  const dropped = [];
  for (const field of ["title", "description"]) {
    const spans = [...bySpan.values()].filter((s) => s.field === field)
      .sort((a, b) => a.start - b.start || b.end - a.end);
    const stack = [];
    for (const s of spans) {
      while (stack.length && stack[stack.length - 1].end <= s.start) stack.pop();
      const parent = stack[stack.length - 1];
      if (parent && s.end > parent.end) { dropped.push(s); continue; } // crosses its parent
      (parent ? parent.children : forest[field]).push(s);
      stack.push(s);
    }
  }
  return { forest, dropped };
}

function markFor(span, chars) {
  const main = span.evs.slice().sort((a, b) => (b.weight ?? 0) - (a.weight ?? 0))[0];
  const group = main.group;
  const names = span.evs.map((e) => e.rule);
  const m = el("mark", {
    class: `ev g-${group}`, tabindex: 0, "data-field": span.field, "data-start": span.start, "data-end": span.end,
    "data-rules": names.join(" "), "aria-describedby": "tip",
    style: `--bg-c: var(--c-${group}); --edge: var(--e-${group})`,
  });
  m._evs = span.evs;
  fillRange(m, chars, span.start, span.end, span.children);
  return m;
}

function fillRange(parent, chars, start, end, children) {
  let pos = start;
  for (const c of children) {
    if (c.start > pos) parent.append(chars.slice(pos, c.start).join(""));
    parent.append(markFor(c, chars));
    pos = c.end;
  }
  if (end > pos) parent.append(chars.slice(pos, end).join(""));
}

function highlighted(text, roots, cls) {
  const chars = Array.from(text);
  const block = el("div", { class: `text-block ${cls}` });
  fillRange(block, chars, 0, chars.length, roots);
  return block;
}

// --- tooltip ------------------------------------------------------------------------------------------

function whyOf(ev) {
  const r = rulesById[ev.rule];
  if (r) return r.why;
  if (ev.rule === "experience.years") return "Требование к опыту, найденное разбором лет (parser experience).";
  if (ev.rule.startsWith("salary.")) return "Разбор зарплаты: сумма, валюта, до или после налогов.";
  const [fact, id] = ev.rule.split(".");
  return `Словарь факта «${RU.fact[fact] || fact}»: ${id}.`;
}

function kindName(ev) {
  const k = LABEL_KINDS.find(([key]) => key === ev.kind);
  if (k) return `${k[1]} → ${RU[ev.kind][ev.label] || ev.label || "—"}`;
  return RU.fact[ev.kind] || ev.kind;
}

function showTip(mark) {
  const tip = $("#tip");
  tip.replaceChildren(...mark._evs.map((ev) => el("p", {},
    el("span", { class: "rule", text: ev.rule }), ` · ${kindName(ev)}`, ev.weight != null ? ` · вес ${ev.weight}` : "",
    el("br"), whyOf(ev))));
  tip.hidden = false;
  const r = mark.getBoundingClientRect();
  const w = tip.offsetWidth;
  const left = Math.max(8, Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - w - 8));
  tip.style.left = `${left}px`;
  tip.style.top = `${window.scrollY + r.bottom + 6}px`;
}

function hideTip() { $("#tip").hidden = true; }

function bindTips(root) {
  root.addEventListener("mouseover", (e) => { const m = e.target.closest("mark.ev"); if (m) showTip(m); });
  root.addEventListener("mouseout", (e) => { if (e.target.closest("mark.ev")) hideTip(); });
  root.addEventListener("focusin", (e) => { if (e.target.matches("mark.ev")) showTip(e.target); });
  root.addEventListener("focusout", hideTip);
}
document.addEventListener("keydown", (e) => { if (e.key === "Escape") hideTip(); });

// --- one ad -------------------------------------------------------------------------------------------

function salaryText(v) {
  const cur = CURRENCY[v.currency] || v.currency || "";
  const parts = [];
  if (v.from != null) parts.push(`от ${fmtNum(v.from)}`);
  if (v.to != null) parts.push(`до ${fmtNum(v.to)}`);
  let s = `${parts.join(" ")} ${cur}`.trim();
  if (v.gross === false) s += " на руки"; else if (v.gross === true) s += " до вычета налогов";
  if (v.period) s += ` ${RU.period[v.period] || v.period}`;
  return s;
}

function factRows(result) {
  const f = result.facts;
  const rows = [];
  const row = (name, value, conf) => rows.push([RU.fact[name], value, conf]);
  if (f.salary) row("salary", el("span", { class: "salary", id: "salary-value", text: salaryText(f.salary.value) }), f.salary.confidence);
  if (result.experience) {
    const e = result.experience;
    row("experience", `${RU.experience[e.id] || e.id}${e.required ? "" : " (желателен)"}`, null);
  }
  if (f.line) row("line", `${f.line.value}-я линия`, f.line.confidence);
  if (f.position) row("position", RU.position[f.position.value] || f.position.value, f.position.confidence);
  if (f.schedule) row("schedule", `${RU.schedule[f.schedule.value] || f.schedule.value}${f.schedule.days ? ` (${f.schedule.days.join(", ")})` : ""}`, f.schedule.confidence);
  if (f.employment) row("employment", RU.employment[f.employment.value] || f.employment.value, f.employment.confidence);
  if (f.official_employment) row("official_employment", f.official_employment.value ? "официальное" : "неофициальное", f.official_employment.confidence);
  if (f.city) row("city", f.city.value, f.city.confidence);
  if (f.audience) row("audience", RU.audience[f.audience.value] || f.audience.value, f.audience.confidence);
  if (f.vector) row("vector", RU.vector[f.vector.value] || f.vector.value, f.vector.confidence);
  if (f.requirements) {
    const r = f.requirements.value;
    const bits = [];
    if (r.higher_education) bits.push("высшее образование");
    if (r.languages && r.languages.length) bits.push(`языки: ${r.languages.join(", ")}`);
    if (r.skills && r.skills.length) bits.push(`навыки: ${r.skills.join(", ")}`);
    if (bits.length) row("requirements", bits.join("; "), f.requirements.confidence);
  }
  if (f.benefits && f.benefits.value.length) row("benefits", f.benefits.value.map((b) => RU.benefits[b] || b).join(", "), f.benefits.confidence);
  return rows;
}

function labelCard(kind, title, res) {
  const group = kind === "support_type" ? res.label : kind;
  return el("div", { class: "label-card", "data-kind": kind, "data-label": res.label, "data-confidence": res.confidence,
      style: `--edge: var(--e-${group})` },
    el("p", { class: "kind", text: title }),
    el("p", { class: "value", text: RU[kind][res.label] || res.label }),
    el("div", { class: "bar", role: "meter", "aria-valuemin": 0, "aria-valuemax": 100,
      "aria-valuenow": Math.round(res.confidence * 100), "aria-label": `Уверенность: ${pct(res.confidence)}` },
      el("span", { style: `width: ${(res.confidence * 100).toFixed(1)}%` })),
    el("div", { class: "meta" },
      el("span", {}, "уверенность ", el("b", { class: "conf", text: pct(res.confidence) })),
      el("span", { class: "decided", "data-decided-by": res.decided_by, text: `решили: ${RU.decided_by[res.decided_by] || res.decided_by}` })),
    res.reason ? el("p", { class: "reason", text: res.reason }) : null);
}

const LEGEND = [["technical", "техподдержка"], ["customer", "клиентская"], ["sales_hybrid", "продажи + поддержка"],
  ["support", "поддержка вообще"], ["selling", "продажи"], ["service", "сервис"], ["not_support", "не поддержка"],
  ["seniority", "уровень"], ["work_format", "формат работы"], ["experience", "опыт"], ["salary", "зарплата"], ["fact", "прочие факты"]];

function renderResult(req, result) {
  const items = collectEvidence(result);
  const { forest, dropped } = spanForest(items);
  const used = new Set(items.map((e) => e.group));
  const labels = el("div", { class: "labels" },
    LABEL_KINDS.map(([k, t]) => labelCard(k, t, result[k])));
  const facts = el("dl", { class: "facts" }, factRows(result).flatMap(([name, value, conf]) => [
    el("dt", { text: name }), el("dd", {}, value, conf != null ? el("span", { class: "hint", text: ` · ${pct(conf)}` }) : null)]));
  const left = el("div", {},
    el("section", { class: "card", "aria-labelledby": "h-labels" }, el("h3", { id: "h-labels", text: "Метки" }), labels),
    el("section", { class: "card", "aria-labelledby": "h-facts" }, el("h3", { id: "h-facts", text: "Факты" }),
      facts.childElementCount ? facts : el("p", { class: "hint", text: "В тексте нет зарплаты и других фактов." })));
  const legend = el("ul", { class: "legend", "aria-label": "Цвета подсветки" },
    LEGEND.filter(([g]) => used.has(g)).map(([g, name]) => el("li", {},
      el("span", { class: "swatch", style: `background: var(--c-${g}); border-color: var(--e-${g})`, "aria-hidden": "true" }), name)));
  const right = el("section", { class: "card", "aria-labelledby": "h-text" },
    el("h3", { id: "h-text", text: "Текст с доказательствами" }),
    el("p", { class: "hint", text: "Наведите курсор на подсветку или перейдите к ней клавишей Tab, чтобы увидеть правило и его обоснование." }),
    legend,
    el("p", { class: "text-label", text: "Название" }),
    highlighted(req.title, forest.title, "title-text"),
    el("p", { class: "text-label", text: "Описание" }),
    req.description ? highlighted(req.description, forest.description, "description-text")
      : el("p", { class: "hint", text: "Описание пустое." }),
    dropped.length ? el("p", { class: "hint", text: `Ещё ${dropped.length} фрагм. пересекают другие и не подсвечены: ` +
      dropped.map((s) => `«${s.text}» (${s.evs.map((e) => e.rule).join(", ")})`).join("; ") }) : null);
  const wrap = el("div", { class: "result", id: "result" }, left, right);
  bindTips(wrap);
  return wrap;
}

function showError(out, text) {
  out.replaceChildren(el("p", { class: "error", role: "alert", text }));
}

// Runs `work` with the button disabled and the output marked busy; a failure is shown in the output.
async function whileBusy(btn, out, work) {
  btn.disabled = true;
  out.setAttribute("aria-busy", "true");
  try {
    await work();
  } catch (err) {
    showError(out, err.message);
  } finally {
    btn.disabled = false;
    out.setAttribute("aria-busy", "false");
  }
}

async function classifyOne(event) {
  event.preventDefault();
  takeVacancyJson();
  const out = $("#one-result");
  const req = { title: $("#title").value, description: $("#description").value, format: "auto" };
  if (!req.title.trim() && !req.description.trim()) {
    showError(out, "Введите название или текст вакансии.");
    $("#title").focus();
    return;
  }
  if (!req.title.trim()) req.title = req.description.trim().split("\n")[0].slice(0, 200) || " ";
  await whileBusy($("#one-submit"), out, async () => {
    const result = await api("/v1/classify", req);
    out.replaceChildren(el("h2", { class: "visually-hidden", text: "Результат" }), renderResult(req, result));
    window.lastResult = result;
  });
}

// --- batch --------------------------------------------------------------------------------------------

function parseCsv(text) {
  const rows = [];
  let row = [], cell = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') { if (text[i + 1] === '"') { cell += '"'; i++; } else quoted = false; }
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") { row.push(cell); cell = ""; }
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(cell); rows.push(row); row = []; cell = "";
    } else cell += ch;
  }
  if (cell !== "" || row.length) { row.push(cell); rows.push(row); }
  return rows.filter((r) => r.some((c) => c.trim() !== ""));
}

function parseFile(name, text) {
  text = text.replace(/^\ufeff/, "");
  const items = [];
  const looksJson = /\.(jsonl|ndjson|json)$/i.test(name) || text.trimStart().startsWith("{") || text.trimStart().startsWith("[");
  if (looksJson) {
    const t = text.trim();
    let objs;
    if (t.startsWith("[")) objs = JSON.parse(t);
    else objs = t.split(/\r?\n/).filter((l) => l.trim()).map((l, i) => {
      try { return JSON.parse(l); } catch { throw new Error(`строка ${i + 1}: не JSON`); }
    });
    for (const o of objs) {
      const isHh = o.name !== undefined && o.title === undefined;
      items.push({ id: o.id != null ? String(o.id) : null, title: String((isHh ? o.name : o.title) ?? ""),
        description: String(o.description ?? "") });
    }
  } else {
    const rows = parseCsv(text);
    const head = rows.shift().map((h) => h.trim().toLowerCase());
    const col = (n) => head.indexOf(n);
    const ti = col("title") >= 0 ? col("title") : col("name");
    if (ti < 0) throw new Error("в CSV нет столбца title");
    for (const r of rows) items.push({ id: col("id") >= 0 ? r[col("id")] || null : null, title: r[ti] ?? "",
      description: col("description") >= 0 ? r[col("description")] ?? "" : "" });
  }
  return items.map((it, i) => ({ ...it, id: it.id ?? String(i + 1), format: "auto" }));
}

function salaryMonthlyRub(r) {
  const s = r.facts && r.facts.salary;
  if (!s) return null;
  const v = s.value;
  if (v.currency && v.currency !== "RUB") return null;
  if (v.period && v.period !== "month") return null;
  if (v.from != null && v.to != null) return (v.from + v.to) / 2;
  return v.from ?? v.to ?? null;
}

function median(xs) {
  if (!xs.length) return null;
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function summarize(results) {
  const ok = results.filter((r) => !r.error);
  const bySupport = Object.fromEntries(SUPPORT_ORDER.map((k) => [k, 0]));
  for (const r of ok) bySupport[r.support_type.label] = (bySupport[r.support_type.label] || 0) + 1;
  const withSalary = ok.filter((r) => r.facts.salary).length;
  const bySeniority = {};
  for (const k of SENIORITY_ORDER) {
    const xs = ok.filter((r) => r.seniority.label === k).map(salaryMonthlyRub).filter((x) => x != null);
    bySeniority[k] = { n: ok.filter((r) => r.seniority.label === k).length, salaries: xs.length, median: median(xs) };
  }
  return { total: results.length, ok: ok.length, errors: results.length - ok.length, bySupport, withSalary, bySeniority };
}

function barChart(counts, total) {
  const W = 430, rowH = 32, labelW = 168, H = SUPPORT_ORDER.length * rowH + 10;
  const max = Math.max(1, ...Object.values(counts));
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-labelledby", "chart-title");
  const t = document.createElementNS(ns, "title");
  t.id = "chart-title";
  t.textContent = "Вакансии по типу поддержки: " + SUPPORT_ORDER.map((k) => `${RU.support_type[k]} — ${counts[k]}`).join(", ");
  svg.append(t);
  SUPPORT_ORDER.forEach((k, i) => {
    const y = 5 + i * rowH;
    const w = Math.round(((W - labelW - 70) * counts[k]) / max);
    const mk = (tag, attrs, text) => {
      const n = document.createElementNS(ns, tag);
      for (const [a, v] of Object.entries(attrs)) n.setAttribute(a, v);
      if (text !== undefined) n.textContent = text;
      svg.append(n);
    };
    mk("text", { x: labelW - 8, y: y + 20, "text-anchor": "end", "font-size": 13, fill: "#1a1d23" }, SUPPORT_SHORT[k]);
    mk("rect", { x: labelW, y: y + 4, width: Math.max(w, 1), height: 22, rx: 3, style: `fill: var(--e-${k})` });
    const share = total ? Math.round((100 * counts[k]) / total) : 0;
    mk("text", { x: labelW + Math.max(w, 1) + 6, y: y + 20, "font-size": 13, fill: "#1a1d23" }, `${counts[k]} (${share} %)`);
  });
  return svg;
}

function renderSummary(results, fileName) {
  const s = summarize(results);
  const stat = (label, value, id) => el("li", {}, el("b", { id, text: value }), label);
  const stats = el("ul", { class: "stats" },
    stat(`${plural(s.total, VACANCIES)} в файле`, fmtNum(s.total), "stat-total"),
    stat("размечено", fmtNum(s.ok), "stat-ok"),
    stat("с ошибкой", fmtNum(s.errors), "stat-errors"),
    stat("указана зарплата", s.ok ? `${Math.round((100 * s.withSalary) / s.ok)}\u00a0%` : "—", "stat-salary-share"));
  const supportTable = el("table", { id: "support-table" },
    el("caption", { text: "Тип поддержки" }),
    el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "Тип" }), el("th", { scope: "col", class: "num", text: "Вакансий" }),
      el("th", { scope: "col", class: "num", text: "Доля" }))),
    el("tbody", {}, SUPPORT_ORDER.map((k) => el("tr", { "data-label": k },
      el("th", { scope: "row", text: RU.support_type[k] }),
      el("td", { class: "num count", text: s.bySupport[k] }),
      el("td", { class: "num", text: s.ok ? `${Math.round((100 * s.bySupport[k]) / s.ok)}\u00a0%` : "—" })))));
  const salaryTable = el("table", { id: "salary-table" },
    el("caption", { text: "Медиана зарплаты по уровню, ₽ в месяц" }),
    el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "Уровень" }), el("th", { scope: "col", class: "num", text: "Всего" }),
      el("th", { scope: "col", class: "num" }, el("abbr", { title: "С указанной зарплатой в рублях за месяц", text: "С з/п" })),
      el("th", { scope: "col", class: "num", text: "Медиана" }))),
    el("tbody", {}, SENIORITY_ORDER.map((k) => el("tr", { "data-label": k },
      el("th", { scope: "row", text: RU.seniority[k] }),
      el("td", { class: "num count", text: s.bySeniority[k].n }),
      el("td", { class: "num", text: s.bySeniority[k].salaries }),
      el("td", { class: "num median", text: s.bySeniority[k].median == null ? "—" : fmtNum(Math.round(s.bySeniority[k].median)) })))));
  const jsonl = results.map((r) => JSON.stringify(r)).join("\n") + "\n";
  const url = URL.createObjectURL(new Blob([jsonl], { type: "application/x-ndjson" }));
  const base = (fileName || "vacancies").replace(/\.[^.]+$/, "");
  const download = el("a", { href: url, download: `${base}.vactag.jsonl`, id: "batch-download", class: "button-link" },
    `Скачать результаты (JSONL, ${fmtNum(results.length)} ${plural(results.length, ["строка", "строки", "строк"])})`);
  const preview = el("table", { id: "rows-table" },
    el("caption", { text: results.length > 100 ? `Вакансии: первые 100 из ${fmtNum(results.length)}` : `Все вакансии (${results.length})` }),
    el("thead", {}, el("tr", {}, ["id", "Тип поддержки", "Уровень", "Формат", "Зарплата"].map((h) => el("th", { scope: "col", text: h })))),
    el("tbody", {}, results.slice(0, 100).map((r) => r.error
      ? el("tr", {}, el("td", { text: r.id ?? "" }), el("td", { colspan: 4, text: `ошибка: ${r.error.detail || r.error.title}` }))
      : el("tr", {}, el("td", { text: r.id ?? "" }), el("td", { text: RU.support_type[r.support_type.label] }),
        el("td", { text: RU.seniority[r.seniority.label] }), el("td", { text: RU.work_format[r.work_format.label] }),
        el("td", { text: r.facts.salary ? salaryText(r.facts.salary.value) : "—" })))));
  return el("div", { id: "summary" },
    el("section", { class: "card", "aria-labelledby": "h-sum" }, el("h2", { id: "h-sum", text: "Сводка" }), stats,
      el("div", { class: "summary-grid" }, el("div", { class: "scroll" }, supportTable),
        el("figure", { class: "chart" }, barChart(s.bySupport, s.ok),
          el("figcaption", { class: "hint", text: "Число вакансий по типу поддержки" }))),
      el("div", { class: "scroll salary-wrap" }, salaryTable),
      el("p", {}, download),
      el("p", { class: "hint", text: "Медиана — по зарплатам в рублях за месяц; для вилки берётся середина." })),
    el("section", { class: "card scroll" }, preview));
}

async function classifyFile(event) {
  event.preventDefault();
  const out = $("#batch-result");
  const file = $("#batch-file").files[0];
  if (!file) {
    showError(out, "Выберите файл JSONL или CSV.");
    $("#batch-file").focus();
    return;
  }
  let items;
  try { items = parseFile(file.name, await file.text()); } catch (err) {
    showError(out, `Не удалось прочитать файл: ${err.message}`);
    return;
  }
  if (!items.length) {
    showError(out, "В файле нет вакансий.");
    return;
  }
  const prog = $("#batch-progress");
  $("#batch-progress-wrap").hidden = false;
  prog.max = items.length; prog.value = 0;
  out.replaceChildren(el("p", { class: "note", text: `Размечаю ${items.length} ${plural(items.length, VACANCIES)}…` }));
  const results = [];
  await whileBusy($("#batch-submit"), out, async () => {
    for (let i = 0; i < items.length; i += CHUNK) {
      const part = await api("/v1/classify/batch", items.slice(i, i + CHUNK));
      results.push(...part);
      prog.value = results.length;
      $("#batch-progress-text").textContent = `${results.length} из ${items.length}`;
    }
    out.replaceChildren(renderSummary(results, file.name));
    window.lastBatch = results;
  });
}

// --- tabs ---------------------------------------------------------------------------------------------

function selectTab(tab, focus = true) {
  for (const t of document.querySelectorAll('[role="tab"]')) {
    const on = t === tab;
    t.setAttribute("aria-selected", String(on));
    t.tabIndex = on ? 0 : -1;
    document.getElementById(t.getAttribute("aria-controls")).hidden = !on;
  }
  if (focus) tab.focus();
  hideTip();
  history.replaceState(null, "", tab.id === "tab-batch" ? "#batch" : "#");
}

function initTabs() {
  const tabs = [...document.querySelectorAll('[role="tab"]')];
  tabs.forEach((t, i) => {
    t.addEventListener("click", () => selectTab(t));
    t.addEventListener("keydown", (e) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[e.key];
      if (step) { e.preventDefault(); selectTab(tabs[(i + step + tabs.length) % tabs.length]); }
      else if (e.key === "Home") { e.preventDefault(); selectTab(tabs[0]); }
      else if (e.key === "End") { e.preventDefault(); selectTab(tabs[tabs.length - 1]); }
    });
  });
  if (location.hash === "#batch") selectTab($("#tab-batch"), false);
}

document.addEventListener("DOMContentLoaded", () => {
  const key = $("#api-key");
  key.value = sessionStorage.getItem("vactag-key") || "";
  key.addEventListener("change", () => { sessionStorage.setItem("vactag-key", key.value.trim()); loadRules(); });
  initTabs();
  loadRules();
  $("#one-form").addEventListener("submit", classifyOne);
  $("#batch-form").addEventListener("submit", classifyFile);
  $("#batch-file").addEventListener("change", (e) => {
    const f = e.target.files[0];
    $("#batch-file-name").textContent = f ? `${f.name} (${fmtNum(Math.ceil(f.size / 1024))} КБ)` : "файл не выбран";
  });
  $("#description").addEventListener("paste", () => setTimeout(takeVacancyJson, 0));
  $("#one-example").addEventListener("click", () => {
    $("#title").value = EXAMPLE.title; $("#description").value = EXAMPLE.description;
    $("#one-note").textContent = "Вставлен пример объявления.";
  });
  $("#one-clear").addEventListener("click", () => {
    $("#title").value = ""; $("#description").value = ""; $("#one-note").textContent = "";
    $("#one-result").replaceChildren(); $("#title").focus();
  });
});
