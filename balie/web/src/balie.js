// The console works without JavaScript; this file only adds what a page
// gains from it: live progress of a case, tooltips that Escape dismisses,
// and forms that cannot be sent twice.

function refreshRegions() {
  for (const region of document.querySelectorAll("[data-refresh-url]")) {
    const url = region.getAttribute("data-refresh-url");
    const every = Number(region.getAttribute("data-refresh-ms")) || 2000;
    let rounds = 0;
    const tick = async () => {
      if (region.hasAttribute("data-final") || rounds++ > 150) return;
      try {
        const resp = await fetch(url, { headers: { "X-Balie-Fragment": "1" }, credentials: "same-origin" });
        if (resp.ok) {
          const html = await resp.text();
          const next = document.createElement("div");
          next.innerHTML = html;
          const fresh = next.firstElementChild;
          if (fresh) {
            region.innerHTML = fresh.innerHTML;
            if (fresh.hasAttribute("data-final")) region.setAttribute("data-final", "");
          }
        }
      } catch (_) {
        // A failed poll is tried again at the next tick.
      }
      setTimeout(tick, every);
    };
    setTimeout(tick, every);
  }
}

function dismissableTooltips() {
  document.addEventListener("keydown", (e) => {
    if (e.key !== "Escape") return;
    const v = document.activeElement;
    if (v && v.classList.contains("balie-value")) v.classList.add("balie-value--dismissed");
  });
  document.addEventListener("focusout", (e) => {
    if (e.target.classList && e.target.classList.contains("balie-value")) e.target.classList.remove("balie-value--dismissed");
  });
}

function singleSubmit() {
  document.addEventListener("submit", (e) => {
    const form = e.target;
    if (form.hasAttribute("data-sent")) {
      e.preventDefault();
      return;
    }
    form.setAttribute("data-sent", "");
    for (const b of form.querySelectorAll("button[type=submit]")) b.setAttribute("aria-busy", "true");
  });
}

refreshRegions();
dismissableTooltips();
singleSubmit();
