// The editing view of `dossier preview` (/edit): a form made from the manifest's JSON Schema.
// Titles are the labels, descriptions the help, "x-widget" picks Markdown, date, colour and image
// controls; a field added to the model appears here without new code. Structural edits (add,
// duplicate, delete, move) are recorded as operations, so the server moves a card's own lines
// (comments and all); the form's data then says every value. Words come from the server (JSON).
(() => {
  "use strict";
  const words = JSON.parse(document.getElementById("dossier-edit-words").textContent);
  const token = document.querySelector('meta[name="dossier-token"]').content;
  const form = document.querySelector("form.numero");
  const $ = (selector) => document.querySelector(selector);
  const SKIP = ["publication", "pages"];  // edited in the YAML file only (said in a note)
  const ENTRY = {practices: "theme", initiatives: "initiative"};
  let schema = null, data = {}, digest = "", folder = "", ops = [], undo = [], problems = [], remarks = [];

  const clone = (value) => JSON.parse(JSON.stringify(value));
  const key = (path) => JSON.stringify(path);
  const idOf = (path) => "f-" + path.join("-").replace(/[^\w-]/g, "_");
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (m, name) => (name in values ? values[name] : m));
  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") node.textContent = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : value);
    }
    node.append(...children.filter((child) => child !== null && child !== undefined));
    return node;
  };

  async function api(method, url, body, raw) {
    const headers = {"X-Dossier-Token": token};
    if (body !== undefined && !raw) headers["Content-Type"] = "application/json";
    const response = await fetch(url, {method, headers,
      body: body === undefined ? undefined : (raw ? body : JSON.stringify(body))});
    return {status: response.status, body: await response.json().catch(() => ({error: String(response.status)}))};
  }

  // ---- the schema ---------------------------------------------------------------------
  function resolve(node) {
    let optional = false, s = node;
    if (s.anyOf) {
      const kept = s.anyOf.filter((member) => member.type !== "null");
      optional = kept.length < s.anyOf.length;
      s = {...kept[0], title: node.title, description: node.description};
    }
    if (s.$ref) {
      const def = schema.$defs[s.$ref.split("/").pop()];
      s = {...def, title: s.title || def.title, description: s.description || def.description};
    }
    return {s, optional};
  }
  function template(node) {
    const {s} = resolve(node);
    if (s.type === "object") {
      const value = {};
      for (const name of s.required || []) value[name] = template(s.properties[name]);
      return value;
    }
    if (s.type === "array") return s.minItems ? [template(s.items)] : [];
    if (s.type === "integer") return 1;
    if (s.type === "boolean") return false;
    return "";
  }

  // ---- data at a path -----------------------------------------------------------------
  const getAt = (path) => path.reduce((node, part) => (node == null ? undefined : node[part]), data);
  function setAt(path, value) {
    let node = data;
    path.slice(0, -1).forEach((part, i) => {
      if (node[part] == null) node[part] = typeof path[i + 1] === "number" ? [] : {};
      node = node[part];
    });
    if (value === undefined) delete node[path[path.length - 1]];
    else node[path[path.length - 1]] = value;
  }
  function changed() { status(words.unsaved); }

  // ---- structural edits (recorded for the server), with undo ----------------------------
  function structural(op, mutate, toast) {
    undo.push({data: clone(data), ops: ops.length});
    mutate();
    ops.push(op);
    changed();
    render();
    if (toast) showToast(toast);
  }
  function undoLast() {
    const last = undo.pop();
    if (!last) return;
    data = last.data;
    ops.length = last.ops;
    $(".toast").hidden = true;
    render();
  }

  // ---- rendering ------------------------------------------------------------------------
  function render() {
    const focused = document.activeElement && document.activeElement.id;
    form.replaceChildren();
    const root = schema.properties;
    for (const [name, prop] of Object.entries(root)) {
      if (!SKIP.includes(name)) form.append(field(name, prop, [name], (schema.required || []).includes(name)));
    }
    form.append(el("p", {class: "note", text: fill(words.notInForm, {fields: SKIP.join(", ")})}));
    showMessages();
    if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
  }

  function field(name, node, path, required) {
    const {s, optional} = resolve(node);
    const value = getAt(path);
    if (s.type === "array") return list(name, s, path);
    if (s.type === "object") {
      const box = el("fieldset", {"data-path": key(path)}, el("legend", {text: s.title || name}));
      for (const [child, prop] of Object.entries(s.properties || {})) {
        box.append(field(child, prop, [...path, child], (s.required || []).includes(child)));
      }
      return box;
    }
    const id = idOf(path);
    const help = s.description ? el("p", {class: "help", id: id + "-help", text: s.description}) : null;
    const label = el("label", {for: id, text: (s.title || name) + (required && !optional ? " (" + words.required + ")" : "")});
    const wrap = el("div", {class: "field", "data-path": key(path)});
    const attrs = {id, name: path.join("."), "aria-describedby": help ? id + "-help" : null, "data-path": key(path)};
    const store = (raw) => {
      setAt(path, raw === "" && (optional || !required) ? undefined : raw);
      changed();
    };
    if (s.type === "boolean") {
      const box = el("input", {...attrs, type: "checkbox", checked: value === true,
        onchange: (e) => { setAt(path, e.target.checked ? true : undefined); changed(); }});
      wrap.append(el("div", {}, box, " ", label), help);
      return wrap;
    }
    let input;
    const widget = s["x-widget"];
    if (s.enum) {
      input = el("select", {...attrs, onchange: (e) => store(e.target.value)},
        ...(optional || !required ? [el("option", {value: "", text: words.noValue})] : []),
        ...s.enum.map((option) => el("option", {value: option, text: option, selected: option === value})));
    } else if (s.type === "integer") {
      input = el("input", {...attrs, type: "number", inputmode: "numeric", min: s.minimum, max: s.maximum,
        value: value ?? "", oninput: (e) => store(e.target.value === "" ? "" : Number(e.target.value))});
    } else if (widget === "markdown") {
      input = el("textarea", {...attrs, rows: 6, oninput: (e) => store(e.target.value.replace(/\r\n?/g, "\n"))});
      input.value = value ?? "";
      wrap.append(label, help, input, el("p", {class: "help", text: words.markdownHelp}));
      return wrap;
    } else if (widget === "date" && !(typeof value === "string" && /^\d{4}-\d{2}$/.test(value))) {
      input = el("input", {...attrs, type: "date", value: value ?? "", onchange: (e) => store(e.target.value)});
    } else if (widget === "colour") {
      const text = el("input", {...attrs, type: "text", value: value ?? "", placeholder: "#1b4f72", pattern: "#[0-9a-fA-F]{6}",
        oninput: (e) => { store(e.target.value.trim()); if (/^#[0-9a-fA-F]{6}$/.test(e.target.value)) picker.value = e.target.value; }});
      const picker = el("input", {type: "color", value: /^#[0-9a-fA-F]{6}$/.test(value || "") ? value : "#123a5a",
        "aria-label": s.title || name, oninput: (e) => { text.value = e.target.value; store(e.target.value); }});
      wrap.classList.add("colour");
      wrap.append(label, help, el("div", {}, picker, text));
      return wrap;
    } else {
      input = el("input", {...attrs, type: "text", value: value ?? "", oninput: (e) => store(e.target.value)});
    }
    wrap.append(label, help, input);
    if (widget === "image") wrap.append(...imageControls(path, value, s.title || name));
    return wrap;
  }

  function imageControls(path, value, title) {
    const id = idOf(path) + "-file";
    const parts = [];
    if (value) parts.push(el("img", {class: "preview-image", src: "/" + folder + value, alt: ""}));
    const file = el("input", {type: "file", id, accept: "image/jpeg,image/png,image/webp", class: "file",
      onchange: (e) => e.target.files[0] && upload(path, e.target.files[0])});
    parts.push(el("label", {for: id, class: "help", text: words.upload + " (" + title + ")"}), file);
    return parts;
  }

  async function upload(path, file) {
    status(words.uploading);
    const response = await api("POST", "/edit/upload?name=" + encodeURIComponent(file.name), file, true);
    if (response.status !== 200) { status(words.error + " " + response.body.error); return; }
    const stored = response.body;
    setAt(path, stored.name);
    changed();
    render();
    status(fill(words.uploaded, {name: stored.name, width: stored.width, height: stored.height,
      w: stored.print_mm[0], h: stored.print_mm[1]}));
    // Alt text at once: the field beside the image (alt, cover_alt).
    const last = path[path.length - 1];
    const altPath = [...path.slice(0, -1), last === "image" ? "alt" : last.replace(/_image$/, "_alt")];
    const alt = document.getElementById(idOf(altPath));
    if (alt && alt !== document.getElementById(idOf(path))) {
      alt.setAttribute("aria-describedby", (alt.getAttribute("aria-describedby") || "") + " " + idOf(altPath) + "-ask");
      alt.before(el("p", {class: "message remark", id: idOf(altPath) + "-ask", text: words.describe}));
      alt.focus();
    }
  }

  function list(name, s, path) {
    const items = getAt(path) || [];
    const {s: item} = resolve(s.items);
    const box = el("fieldset", {"data-path": key(path)}, el("legend", {text: s.title || name}));
    if (s.description) box.append(el("p", {class: "help", text: s.description}));
    const addLabel = words.add[name] || words.add.other;
    if (item.type !== "object") {  // texts: one input each
      items.forEach((value, i) => {
        const itemPath = [...path, i];
        const input = field(name, s.items, itemPath, true);
        const remove = el("button", {type: "button", text: words.delete,
          "aria-label": words.delete + " — " + (value || (s.title || name) + " " + (i + 1)),
          onclick: () => structural({op: "delete", path: itemPath}, () => items.splice(i, 1), words.deleted)});
        input.append(el("div", {class: "tools"}, remove));
        box.append(input);
      });
    } else {
      items.forEach((value, i) => box.append(entry(name, s, item, path, i, items)));
    }
    box.append(el("button", {type: "button", class: "add", text: addLabel, onclick: () => {
      const value = template(s.items);
      structural({op: "insert", path: [...path, items.length], value: clone(value)}, () => {
        if (!getAt(path)) setAt(path, []);
        getAt(path).push(value);
      });
      const added = form.querySelector(`[data-path='${key([...path, items.length])}'] input, [data-path='${key([...path, items.length])}'] textarea`);
      if (added) added.focus();
    }}));
    return box;
  }

  function entry(name, s, item, path, i, items) {
    const itemPath = [...path, i];
    const value = items[i] || {};
    const kind = ENTRY[name];
    const named = value.theme || value.title || value.organisation || value.source || "";
    let legend = fill(kind ? words[kind] : words.entry, {number: i + 1});
    if (named) legend += " « " + named + " »";
    const box = el("fieldset", {"data-path": key(itemPath)}, el("legend", {text: legend}));
    const tool = (text, action, disabled) => el("button", {type: "button", text, "aria-label": text + " — " + legend,
      disabled: disabled || null, onclick: action});
    const move = (to) => structural({op: "move", from: itemPath, to: [...path, to]}, () => {
      const [moved] = items.splice(i, 1);
      items.splice(to, 0, moved);
    });
    const tools = el("div", {class: "tools"},
      tool(words.moveUp, () => move(i - 1), i === 0),
      tool(words.moveDown, () => move(i + 1), i === items.length - 1),
      tool(words.duplicate, () => structural({op: "duplicate", path: itemPath}, () => items.splice(i + 1, 0, clone(items[i])))),
      tool(words.delete, () => structural({op: "delete", path: itemPath}, () => items.splice(i, 1), words.deleted)));
    if (name === "initiatives" && path[0] === "practices" && (data.practices || []).length > 1) {
      const theme = path[1];
      const select = el("select", {"aria-label": words.moveTarget + " — " + legend},
        ...data.practices.map((t, n) => (n === theme ? null : el("option", {value: n, text: fill(words.theme, {number: n + 1}) +
          (t.theme ? " « " + t.theme + " »" : "")}))));
      tools.append(select, tool(words.moveTo, () => {
        const target = Number(select.value);
        const targetList = data.practices[target].initiatives || (data.practices[target].initiatives = []);
        structural({op: "move", from: itemPath, to: ["practices", target, "initiatives", targetList.length]}, () => {
          const [moved] = items.splice(i, 1);
          targetList.push(moved);
        });
      }));
    }
    box.append(tools);
    for (const [child, prop] of Object.entries(item.properties || {})) {
      box.append(field(child, prop, [...itemPath, child], (item.required || []).includes(child)));
    }
    return box;
  }

  // ---- messages next to their fields ------------------------------------------------------
  function showMessages() {
    const summary = $(".problems");
    const listed = summary.querySelector("ul");
    listed.replaceChildren();
    const all = [...problems.map((p) => ({...p, remark: false})), ...remarks.map((p) => ({...p, remark: true}))];
    all.forEach((problem, n) => {
      let path = problem.path || [], target = null;
      while (path.length && !(target = form.querySelector(`[data-path='${key(path)}']`))) path = path.slice(0, -1);
      const text = (problem.where ? problem.where + " : " : "") + problem.message + (problem.line ? " (" + problem.file + ":" + problem.line + ")" : "");
      const id = "message-" + n;
      if (target) {
        const message = el("p", {class: "message" + (problem.remark ? " remark" : ""), id, text: problem.message});
        const control = target.matches("input, textarea, select") ? target : target.querySelector(":scope > input, :scope > textarea, :scope > select, :scope > div > input");
        if (target.tagName === "FIELDSET") target.querySelector("legend").after(message); else target.append(message);
        if (control) control.setAttribute("aria-describedby", ((control.getAttribute("aria-describedby") || "") + " " + id).trim());
        if (control && !problem.remark) control.setAttribute("aria-invalid", "true");
      }
      listed.append(el("li", {}, target ? el("a", {href: "#" + id, text}) : text));
    });
    $("#problems-title").textContent = problems.length ? words.problems : (remarks.length ? words.remarks : words.noProblems);
    summary.hidden = all.length === 0;
  }

  function showToast(text) {
    const toast = $(".toast");
    toast.querySelector("span").textContent = text;
    toast.hidden = false;
    clearTimeout(showToast.timer);
    showToast.timer = setTimeout(() => { toast.hidden = true; }, 10000);
  }
  const status = (text) => { $(".status").textContent = text; };

  // ---- loading and saving -----------------------------------------------------------------
  function load(state) {
    schema = state.schema;
    data = state.data || {};
    digest = state.digest;
    folder = state.manifest.replace(/[^/]*$/, "");
    problems = state.problems || [];
    remarks = [];  // those of the previous version: check runs again
    document.body.dataset.checked = "";
    ops = [];
    undo = [];
    render();
    history(state.history || []);
    $(".conflict").hidden = true;
  }
  function history(entries) {
    $(".history ul").replaceChildren(...entries.map((entry) => el("li", {},
      el("span", {text: entry.when + (entry.refused ? " (" + words.refused + ")" : "")}),
      el("button", {type: "button", text: words.restore, "aria-label": words.restore + " — " + entry.when,
        onclick: async () => handle(await api("POST", "/edit/restore", {name: entry.name, base: digest}))}))));
  }
  async function refreshRemarks() {
    const response = await api("GET", "/edit/remarks");
    remarks = response.status === 200 ? response.body.remarks : [];
    showMessages();
    document.body.dataset.checked = "yes";
  }
  function handle(response) {
    if (response.status === 200) {
      load(response.body);
      status(response.body.merged ? words.savedMerged : words.saved);
      refreshRemarks();
    } else if (response.status === 409) {
      const conflict = $(".conflict");
      conflict.querySelector(".ours").textContent = response.body.ours;
      conflict.querySelector(".disk").textContent = response.body.disk;
      conflict.hidden = false;
      conflict.dataset.digest = response.body.digest;
      conflict.ours = response.body.ours;
      status(words.conflict);
      conflict.querySelector(".reload").focus();
    } else {
      status(words.error + " " + (response.body.error || response.status));
    }
  }
  async function save() {
    status(words.saving);
    handle(await api("POST", "/edit/save", {base: digest, ops, data}));
  }

  $("#heading").textContent = words.heading;
  $(".save").textContent = words.save;
  $(".draft").textContent = words.draft;
  $("#conflict-title").textContent = words.conflict;
  $(".conflict .yours").textContent = words.yours;
  $(".conflict .theirs").textContent = words.theirs;
  $(".conflict .reload").textContent = words.reload;
  $(".conflict .keep").textContent = words.keepMine;
  $("#history-title").textContent = words.history;
  $(".toast button").textContent = words.undo;
  $(".toast button").addEventListener("click", undoLast);
  $(".save").addEventListener("click", save);
  form.addEventListener("submit", (e) => { e.preventDefault(); save(); });
  document.addEventListener("keydown", (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key === "s") { e.preventDefault(); save(); }
  });
  $(".conflict .reload").addEventListener("click", async () => {
    const response = await api("GET", "/edit/state");
    if (response.status === 200) load(response.body);
  });
  $(".conflict .keep").addEventListener("click", async () => {
    const conflict = $(".conflict");
    handle(await api("POST", "/edit/save", {base: conflict.dataset.digest, text: conflict.ours}));
  });
  api("GET", "/edit/state").then((response) => {
    if (response.status === 200) { load(response.body); refreshRemarks(); } else status(words.error + " " + response.status);
  });
})();
