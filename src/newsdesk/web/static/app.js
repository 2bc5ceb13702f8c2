// newsdesk: keyboard shortcuts and small conveniences. Every page works without this file.
(function () {
  "use strict";
  var selected = -1;

  function items() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-nav-item]"));
  }

  function select(index) {
    var all = items();
    if (!all.length) return;
    index = Math.max(0, Math.min(all.length - 1, index));
    if (all[selected]) all[selected].classList.remove("selected");
    selected = index;
    all[selected].classList.add("selected");
    all[selected].scrollIntoView({ block: "nearest" });
    var link = all[selected].querySelector("[data-open]");
    if (link) link.focus({ preventScroll: true });
  }

  function open() {
    var item = items()[selected];
    var link = item && item.querySelector("[data-open]");
    if (link) window.location.href = link.getAttribute("href");
  }

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  function toggleHelp() {
    var dialog = document.getElementById("help-dialog");
    if (!dialog || typeof dialog.showModal !== "function") {
      window.location.href = "/help";
      return;
    }
    if (dialog.open) dialog.close(); else dialog.showModal();
  }

  // A story's entries show their clipping when opened: it is read once from the address in the
  // entry's data-clipping (an HTML fragment of this site). Without this, the entry's link leads to
  // the article's page, which shows the same clipping.
  function loadClipping(details) {
    var slot = details.querySelector(":scope > [data-clipping]");
    if (!slot || slot.getAttribute("data-state")) return;
    slot.setAttribute("data-state", "loading");
    fetch(slot.getAttribute("data-clipping"), { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        slot.innerHTML = html;
        slot.setAttribute("data-state", "loaded");
      })
      .catch(function () {
        slot.removeAttribute("data-state"); // the link to the article's page stays; opening again retries
      });
  }

  document.addEventListener("toggle", function (event) {
    var target = event.target;
    if (target && target.tagName === "DETAILS" && target.open) loadClipping(target);
  }, true);

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    switch (event.key) {
      case "j": select(selected + 1); break;
      case "k": select(selected - 1); break;
      case "o": open(); break;
      case "Enter": if (selected >= 0) open(); else return; break;
      case "/": var box = document.getElementById("q"); if (box) box.focus(); break;
      case "?": toggleHelp(); break;
      default: return;
    }
    event.preventDefault();
  });

  document.addEventListener("DOMContentLoaded", function () {
    var selects = document.querySelectorAll("select[data-autosubmit]");
    Array.prototype.forEach.call(selects, function (element) {
      element.addEventListener("change", function () { element.form.submit(); });
    });
  });
})();
