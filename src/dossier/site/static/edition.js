// "Copier le lien" on each initiative: copies the address of its anchor. Without a clipboard
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
    label.textContent = "Lien copié";
    link.dataset.copied = "";
    setTimeout(() => { label.textContent = text; delete link.dataset.copied; }, 2000);
  }, () => { location.hash = link.hash; });
});
