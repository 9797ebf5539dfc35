// The search page (recherche.html): lunr.js over window.dossierSearch, the index search-index.*.js
// sets (a script, not JSON: it loads from disk too). The query is folded as site/search.py folds
// the text (lower case, no accents, letters and digits only); each word must match, as a prefix.
// ?q=… in the address fills the box, so a search can be linked; results update as one types.
(() => {
  const data = window.dossierSearch;
  const form = document.getElementById("search-form");
  const input = document.getElementById("search-input");
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  if (!data || !window.lunr || !form) return;
  const index = lunr.Index.load(data.index);
  const fold = (text) => text.toLowerCase().replace(/œ/g, "oe").replace(/æ/g, "ae")
    .normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^0-9a-z]+/g, " ").trim();

  const search = (text) => {
    const words = fold(text).split(" ").filter((word) => word.length > 0);
    if (words.length === 0) return [];
    return index.query((query) => {
      for (const word of words) {
        query.term(word, { presence: lunr.Query.presence.REQUIRED, wildcard: lunr.Query.wildcard.TRAILING });
      }
    });
  };

  const show = (text) => {
    const results = search(text);
    list.replaceChildren(...results.slice(0, 50).map(({ ref }) => {
      const doc = data.docs[ref];
      const item = document.createElement("li");
      item.className = "result";
      const link = document.createElement("a");
      link.href = doc.href;
      link.textContent = doc.title;
      const title = document.createElement("p");
      title.className = "result-title";
      title.append(link);
      const where = document.createElement("p");
      where.className = "result-where";
      where.textContent = doc.where;
      item.append(title, where);
      if (doc.snippet) {
        const snippet = document.createElement("p");
        snippet.className = "result-snippet";
        snippet.textContent = doc.snippet;
        item.append(snippet);
      }
      return item;
    }));
    const template = text.trim() === "" ? "" : results.length === 0 ? status.dataset.none
      : results.length === 1 ? status.dataset.one : status.dataset.many;
    status.textContent = template.replace("%(count)s", String(results.length)).replace("%(query)s", text.trim());
  };

  const initial = new URLSearchParams(location.search).get("q");
  if (initial) input.value = initial;
  show(input.value);
  input.addEventListener("input", () => show(input.value));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    show(input.value);
    const address = new URL(location.href);
    address.searchParams.set("q", input.value);
    history.replaceState(null, "", address);
  });
})();
