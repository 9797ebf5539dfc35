// The page side of `dossier preview`: follow /events, reload on a new draft, and show the
// printed pages in a panel that the draft's own CSS cannot reach (a shadow root). The
// panel's markup and styles come in <template id="dossier-preview-panel"> beside this script,
// its words in the user's language in <script id="dossier-preview-words"> (JSON).
(() => {
  const me = document.currentScript;
  const words = JSON.parse(document.getElementById("dossier-preview-words").textContent);
  // The form for n things: the server gives the forms for 0, 1 and more (the language's rule).
  const plural = (forms, n) => forms[Math.min(n, 2)].replace("{count}", n);
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
  other.textContent = mode === "pages" ? words.draft : words.fullSize;
  other.href = mode === "pages" ? "/" : "/pages";
  other.title = mode === "pages" ? words.backToDraft : words.showFullSize;

  const style = document.createElement("style");
  // The panel sits beside the draft on a wide screen; on a narrow one it opens over it, closed at first.
  const wide = window.matchMedia("(min-width: 900px)").matches;
  style.textContent = "@media (min-width: 900px) { html.dossier-preview-open body { margin-right: 340px !important; } }";
  document.head.append(style);
  const setOpen = (open, remember = true) => {
    panel.hidden = !open;
    $(".show").hidden = open;
    document.documentElement.classList.toggle("dossier-preview-open", open);
    if (remember) localStorage.setItem(panelKey, open ? "open" : "closed");
  };
  if (mode === "pages") {
    panel.classList.add("full");
    $(".hide").hidden = true;
  } else {
    setOpen(wide ? localStorage.getItem(panelKey) !== "closed" : localStorage.getItem(panelKey) === "open", false);
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
        img.alt = words.pageAlt.replace("{number}", i + 1);
        return img;
      }));
      panel.dataset.pagesDraft = pages.draft;
    }
    count.textContent = pages ? plural(words.pages, pages.count) : "";
    let name, text;
    if (!state.ok) {
      [name, text] = ["stale", pages ? words.staleErrors : words.noPagesErrors];
    } else if (state.printing) {
      [name, text] = ["printing", pages ? words.printingNew : words.printing];
    } else if (state.print_error) {
      [name, text] = ["failed", words.failed + "\n" + state.print_error];
    } else if (pages && pages.draft === state.draft) {
      const warned = pages.warnings.length ? plural(words.warnings, pages.warnings.length) : "";
      const seconds = pages.seconds.toFixed(1).replace(".", words.decimal);
      [name, text] = ["ready", words.printed.replace("{seconds}", seconds) + warned];
      status.title = pages.warnings.join("\n");
    } else {
      [name, text] = ["stale", words.older];
    }
    panel.dataset.state = name;
    status.textContent = text;
    list.classList.toggle("old", name !== "ready");
  };

  const events = new EventSource("/events");
  events.onmessage = (event) => show(JSON.parse(event.data));
  events.onopen = () => { live.textContent = words.live; live.classList.remove("off"); };
  events.onerror = () => { live.textContent = words.disconnected; live.classList.add("off"); };
})();
