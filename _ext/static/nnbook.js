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

  /* Search excerpts: Sphinx fetches each result page for its excerpt, which a browser refuses
   * under file://; answer those fetches from window.NNBOOK_PAGE_TEXTS (the pages' article
   * text, _static/nnbook_search_texts.js, loaded by the search page only), over a server too,
   * so excerpts come from the article and not from the navigation. */
  if (window.fetch) {
    var realFetch = window.fetch.bind(window);
    window.fetch = function (resource, init) {
      var texts = window.NNBOOK_PAGE_TEXTS;
      var url = typeof resource === "string" ? resource : (resource && resource.url) || "";
      if (texts) {
        var root = document.documentElement.dataset.content_root || "";
        var key = url.indexOf(root) === 0 ? url.slice(root.length) : url;
        key = key.split("#")[0].split("?")[0];
        if (Object.prototype.hasOwnProperty.call(texts, key)) {
          return Promise.resolve(new Response('<div role="main">' + texts[key] + "</div>",
                                              {headers: {"Content-Type": "text/html"}}));
        }
      }
      return realFetch(resource, init);
    };
  }
})();

/* The theme's table of contents folds a chapter's sub-pages under a <summary> that holds only a
 * chevron icon: give it a name a screen reader can say (axe: summary-name). */
(function () {
  function nameToggles() {
    document.querySelectorAll("summary").forEach(function (s) {
      if (s.textContent.trim() || s.hasAttribute("aria-label")) return;
      var link = s.parentElement && s.parentElement.previousElementSibling;
      var what = link && link.textContent.trim() ? link.textContent.trim() : "this section";
      s.setAttribute("aria-label", "Show or hide the pages of " + what);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", nameToggles);
  } else {
    nameToggles();
  }
})();
