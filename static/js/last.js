// The LAST panel's timer: minutes and seconds since the panel opened, counted from the time
// the page carries, so a reload keeps counting. The rest of the panel works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("[data-last-timer]");
  if (!box) return;
  const output = box.querySelector("[role=timer]");
  const opened = Date.parse(box.dataset.opened);
  // A server clock ahead of this one must not show a negative time: count from now instead.
  const start = Number.isNaN(opened) || opened > Date.now() ? Date.now() : opened;
  if (box.dataset.keepAddress !== undefined) {
    const address = new URL(window.location.href);
    address.searchParams.set("opened", box.dataset.opened);
    window.history.replaceState(null, "", address);
  }
  const two = (n) => String(n).padStart(2, "0");
  const tick = () => {
    const seconds = Math.max(0, Math.floor((Date.now() - start) / 1000));
    output.textContent = `${two(Math.floor(seconds / 60))}:${two(seconds % 60)}`;
  };
  tick();
  box.hidden = false;
  window.setInterval(tick, 1000);
});
