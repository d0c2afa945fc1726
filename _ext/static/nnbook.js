/* nnbook: keyboard access to what scrolls (issue 11). Added to every page by _ext/nnbook_offline.py.
 * A display equation wider than the column scrolls sideways; only such an equation becomes a
 * tab stop (so a keyboard can scroll it), formulas that fit stay out of the tab order. */
(function () {
  function markScrollable() {
    document.querySelectorAll("div.math").forEach(function (el) {
      var wide = el.scrollWidth > el.clientWidth + 1;
      if (wide && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
        el.setAttribute("role", "region");
        el.setAttribute("aria-label", "equation (scrolls sideways)");
        el.classList.add("nnbook-scrolls");
      } else if (!wide && el.classList.contains("nnbook-scrolls")) {
        el.removeAttribute("tabindex");
        el.removeAttribute("role");
        el.removeAttribute("aria-label");
        el.classList.remove("nnbook-scrolls");
      }
    });
  }
  function whenTypeset() {
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
      MathJax.startup.promise.then(markScrollable);
    } else {
      markScrollable();
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { setTimeout(whenTypeset, 0); });
  } else {
    setTimeout(whenTypeset, 0);
  }
  window.addEventListener("load", whenTypeset);
  window.addEventListener("resize", markScrollable);
})();
