// The page side of `dossier preview`: follow /events, reload on a new draft, and show the
// printed pages in a panel that the draft's own CSS cannot reach (a shadow root). The
// panel's markup and styles come in <template id="dossier-preview-panel"> beside this script.
(() => {
  const me = document.currentScript;
  const mode = me.dataset.mode, draft = me.dataset.draft;
  const panelKey = "dossier-preview:panel";
  const host = document.createElement("dossier-preview");
  host.dataset.mode = mode;
  host.dataset.draft = draft;
  const root = host.attachShadow({mode: "open"});
  root.append(document.getElementById("dossier-preview-panel").content.cloneNode(true));
  document.body.append(host);
  const $ = (s) => root.querySelector(s);
  const panel = $("aside"), list = $(".list"), status = $(".status"), count = $(".count"), live = $(".live");
  const other = $(".other");
  other.textContent = mode === "pages" ? "draft" : "full size";
  other.href = mode === "pages" ? "/" : "/pages";
  other.title = mode === "pages" ? "Back to the HTML draft" : "Show the pages full size";

  const style = document.createElement("style");
  style.textContent = "html.dossier-preview-open body { margin-right: 340px !important; }";
  document.head.append(style);
  const setOpen = (open) => {
    panel.hidden = !open;
    $(".show").hidden = open;
    document.documentElement.classList.toggle("dossier-preview-open", open);
    localStorage.setItem(panelKey, open ? "open" : "closed");
  };
  if (mode === "pages") {
    panel.classList.add("full");
    $(".hide").hidden = true;
  } else {
    setOpen(localStorage.getItem(panelKey) !== "closed");
    $(".hide").onclick = () => setOpen(false);
    $(".show").onclick = () => setOpen(true);
  }

  const show = (state) => {
    if (mode !== "pages" && state.draft !== draft) {
      location.reload();  // browsers keep the scroll position on a reload
      return;
    }
    const pages = state.pages;
    if (pages && panel.dataset.pagesDraft !== pages.draft) {
      list.replaceChildren(...pages.images.map((src, i) => {
        const img = document.createElement("img");
        img.src = src;
        img.alt = "page " + (i + 1);
        return img;
      }));
      panel.dataset.pagesDraft = pages.draft;
    }
    count.textContent = pages ? pages.count + (pages.count === 1 ? " page" : " pages") : "";
    let name, text;
    if (!state.ok) {
      [name, text] = ["stale", pages ? "The manifest has errors: these are the last pages printed."
                                     : "The manifest has errors: nothing printed yet."];
    } else if (state.printing) {
      [name, text] = ["printing", pages ? "Printing the new draft… (showing the previous pages)" : "Printing…"];
    } else if (state.print_error) {
      [name, text] = ["failed", "Printing failed:\n" + state.print_error];
    } else if (pages && pages.draft === state.draft) {
      const warned = pages.warnings.length ? ` · ${pages.warnings.length} WeasyPrint warning(s)` : "";
      [name, text] = ["ready", `Printed in ${pages.seconds.toFixed(1)} s${warned}`];
      status.title = pages.warnings.join("\n");
    } else {
      [name, text] = ["stale", "These pages are of an older draft."];
    }
    panel.dataset.state = name;
    status.textContent = text;
    list.classList.toggle("old", name !== "ready");
  };

  const events = new EventSource("/events");
  events.onmessage = (event) => show(JSON.parse(event.data));
  events.onopen = () => { live.textContent = "live"; live.classList.remove("off"); };
  events.onerror = () => { live.textContent = "disconnected"; live.classList.add("off"); };
})();
