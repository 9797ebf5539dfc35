// "Copier le lien" on each initiative: copies the address of its anchor, and says so for two
// seconds with the link's data-copied-text (in the publication's language). Without a clipboard
// (or without this script) the link still leads to the anchor, whose address can be copied.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-copy-link]");
  if (!link || !navigator.clipboard) return;
  event.preventDefault();
  const address = new URL(link.getAttribute("href"), location.href).href;
  history.replaceState(null, "", link.hash);
  navigator.clipboard.writeText(address).then(() => {
    const label = link.firstChild;
    const text = label.textContent;
    label.textContent = link.dataset.copiedText;
    link.dataset.copied = "";
    setTimeout(() => { label.textContent = text; delete link.dataset.copied; }, 2000);
  }, () => { location.hash = link.hash; });
});

// The sommaire's drawer (a <details> in the bar) closes once a link in it is followed, and on Escape.
document.addEventListener("click", (event) => {
  const link = event.target.closest(".drawer-panel a");
  if (link) link.closest("details").open = false;
});
document.addEventListener("keydown", (event) => {
  const drawer = document.getElementById("drawer");
  if (event.key === "Escape" && drawer && drawer.open) {
    drawer.open = false;
    drawer.querySelector("summary").focus();
  }
});
