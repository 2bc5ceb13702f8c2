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
