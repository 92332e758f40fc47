// Behaviour the server-rendered pages cannot express in HTML alone: focus handling of
// the properties pane, keyboard support for tabs, and toasts. Everything here is an
// enhancement; every link and form also works without it. No inline scripts, no eval:
// the Content-Security-Policy allows only this file and htmx.
(function () {
  "use strict";

  // The phone layout hides the navigation behind the menu button only when this
  // script runs to open it (static/css/input.css).
  document.documentElement.classList.add("js");

  var opener = null; // the element that opened the pane, focused again on close
  var listURL = null; // the list address to return to when the pane closes
  var lastTrigger = null; // the element that started the last htmx request

  function pane() {
    return document.querySelector("[data-pane]");
  }

  // While the pane is open everything behind it is inert, as behind any modal
  // dialog: out of the tab order and the accessibility tree.
  function syncInert() {
    var open = !!pane();
    document.querySelectorAll("[data-behind-pane]").forEach(function (el) {
      el.inert = open;
      if (open) el.setAttribute("aria-hidden", "true"); else el.removeAttribute("aria-hidden");
    });
  }

  function focusPane(preferTab) {
    var p = pane();
    if (!p) return;
    if (preferTab) {
      var tab = p.querySelector('[role="tab"][aria-selected="true"]');
      if (tab) { tab.focus(); return; }
    }
    var heading = p.querySelector("#pane-title");
    if (heading) heading.focus();
  }

  function closePane() {
    var p = pane();
    if (!p) return;
    var userID = p.getAttribute("data-user-id");
    var target = listURL || p.getAttribute("data-close-url") || "/users";
    var container = document.getElementById("pane");
    if (container) container.innerHTML = "";
    syncInert();
    history.pushState({}, "", target);
    // A list whose rows a panel can change (member counts) is read again, so it
    // is current once the pane is gone.
    var results = document.querySelector("[data-refresh-on-close]");
    if (results && window.htmx) htmx.ajax("GET", target, { target: results, swap: "innerHTML" });
    listURL = null;
    var back = opener && document.contains(opener) ? opener
      : document.querySelector('a[data-user-id="' + userID + '"]') || document.getElementById("main");
    opener = null;
    if (back) back.focus();
  }

  function focusable(root) {
    return Array.prototype.filter.call(
      root.querySelectorAll('a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])'),
      function (el) { return el.offsetParent !== null; }
    );
  }

  function showToast(message, kind) {
    var region = document.getElementById("toasts");
    if (!region || !message) return;
    var t = document.createElement("div");
    t.className = kind === "error"
      ? "toast pointer-events-auto rounded-md border border-red-300 bg-white px-4 py-3 text-sm text-red-900 shadow-lg"
      : "toast pointer-events-auto rounded-md border border-green-200 bg-white px-4 py-3 text-sm shadow-lg";
    t.textContent = message; // never markup: toasts may repeat what people typed
    region.appendChild(t);
    setTimeout(function () { t.remove(); }, 8000);
  }

  document.addEventListener("click", function (e) {
    var link = e.target.closest('a[hx-target="#pane"]');
    if (link && !pane()) {
      opener = link;
      listURL = location.pathname + location.search;
    }
  });

  // A selection staged in a picker (people ticked, or added and not yet saved) is
  // not thrown away by Close, Back or Escape without asking.
  function discardQuestion() {
    var p = pane();
    if (!p) return "";
    var staged = p.querySelector("[data-staged]");
    if (staged) return staged.getAttribute("data-discard-message");
    var pickers = p.querySelectorAll("[data-picker]");
    for (var i = 0; i < pickers.length; i++) {
      if (pickers[i].querySelector('input[type="checkbox"]:checked:not(:disabled)')) return pickers[i].getAttribute("data-discard-message");
    }
    return "";
  }

  function mayLeave() {
    var q = discardQuestion();
    return !q || window.confirm(q);
  }

  document.addEventListener("htmx:confirm", function (e) {
    var elt = e.detail.elt;
    if (elt && elt.closest && (elt.closest("[data-pane-header]") || elt.closest("[data-cancel]")) && !mayLeave()) e.preventDefault();
  });

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form.hasAttribute("data-pane-close")) {
      e.preventDefault();
      if (mayLeave()) closePane();
      return;
    }
    var current = form.querySelector("[data-current-url]");
    if (current) current.value = location.pathname + location.search;
  });

  // A disclosure button (the classic pane's Mail settings) shows and hides the
  // element its aria-controls names; Enter and Space work as on any button.
  document.addEventListener("click", function (e) {
    var btn = e.target.closest && e.target.closest("[data-disclosure]");
    if (!btn) return;
    var region = document.getElementById(btn.getAttribute("aria-controls"));
    if (!region) return;
    var open = btn.getAttribute("aria-expanded") !== "true";
    btn.setAttribute("aria-expanded", open ? "true" : "false");
    region.hidden = !open;
  });

  // A disclosure inside [data-popup] (More actions) floats over the page: Escape
  // or a click elsewhere closes it, Escape giving focus back to its button.
  function closePopups(except, focusBack) {
    document.querySelectorAll("[data-popup] [data-disclosure][aria-expanded='true']").forEach(function (btn) {
      if (except && btn.closest("[data-popup]").contains(except)) return;
      btn.setAttribute("aria-expanded", "false");
      var region = document.getElementById(btn.getAttribute("aria-controls"));
      if (region) region.hidden = true;
      if (focusBack) btn.focus();
    });
  }
  document.addEventListener("click", function (e) { closePopups(e.target, false); });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape" || !document.querySelector("[data-popup] [data-disclosure][aria-expanded='true']")) return;
    closePopups(null, true);
    e.stopPropagation();
  }, true);

  // The menu button (below 1024 px) opens and closes the navigation: a disclosure,
  // so its state is aria-expanded; Escape or a click elsewhere closes it.
  function navToggle() { return document.querySelector("[data-nav-toggle]"); }
  function setNav(open, focusBack) {
    var btn = navToggle();
    var nav = document.getElementById("side-nav");
    if (!btn || !nav) return;
    btn.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) {
      nav.setAttribute("data-open", "");
      var first = nav.querySelector('[aria-current="page"]') || nav.querySelector("a");
      if (first) first.focus();
    } else {
      nav.removeAttribute("data-open");
      if (focusBack) btn.focus();
    }
  }
  document.addEventListener("click", function (e) {
    var btn = e.target.closest && e.target.closest("[data-nav-toggle]");
    if (btn) { setNav(btn.getAttribute("aria-expanded") !== "true", false); return; }
    var nav = document.getElementById("side-nav");
    if (nav && nav.hasAttribute("data-open") && !nav.contains(e.target)) setNav(false, false);
  });
  document.addEventListener("keydown", function (e) {
    var nav = document.getElementById("side-nav");
    if (e.key === "Escape" && nav && nav.hasAttribute("data-open")) {
      e.preventDefault();
      e.stopImmediatePropagation();
      setNav(false, true);
    }
  }, true);

  // Add a user: the display name follows first and last name until edited by hand.
  document.addEventListener("input", function (e) {
    var t = e.target;
    if (t.id === "add-display") { t.setAttribute("data-edited", t.value !== "" ? "true" : ""); return; }
    if (t.id !== "add-first" && t.id !== "add-last") return;
    var display = document.getElementById("add-display");
    if (!display || display.getAttribute("data-edited") === "true") return;
    var first = document.getElementById("add-first").value.trim();
    var last = document.getElementById("add-last").value.trim();
    display.value = (first + " " + last).trim();
  });

  // Add a shared mailbox: the Email alias follows the name (lower case, accents and
  // spaces dropped, as the server does) until edited by hand; the live check runs.
  function aliasFromName(name) {
    return name.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/ß/g, "ss").replace(/ø/g, "o").replace(/æ/g, "ae")
      .replace(/[^a-z0-9._-]/g, "").replace(/\.{2,}/g, ".").replace(/^[._-]+|[._-]+$/g, "").slice(0, 64);
  }
  document.addEventListener("input", function (e) {
    var t = e.target;
    var alias = document.querySelector('[data-alias-from="' + t.id + '"]');
    if (alias && alias.getAttribute("data-edited") !== "true") {
      alias.value = aliasFromName(t.value);
      alias.dispatchEvent(new Event("input", { bubbles: true }));
    } else if (t.hasAttribute && t.hasAttribute("data-alias-from") && e.isTrusted) {
      t.setAttribute("data-edited", t.value !== "" ? "true" : "");
    }
  });

  // Manage email forwarding: picking a suggested person, group or contact puts its
  // address in the field, whose live check then says what it is.
  document.addEventListener("click", function (e) {
    var pick = e.target.closest && e.target.closest("[data-fill-address]");
    if (!pick) return;
    var field = document.getElementById(pick.getAttribute("data-fill-target"));
    if (!field) return;
    field.value = pick.getAttribute("data-fill-address");
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.focus();
  });

  // "Select all" ticks every row of the page; a row change updates it.
  document.addEventListener("change", function (e) {
    var t = e.target;
    if (t.matches && t.matches("[data-select-all]")) {
      var form = t.closest("form");
      if (form) form.querySelectorAll("[data-row-select]").forEach(function (box) { box.checked = t.checked; });
    } else if (t.matches && t.matches("[data-row-select]")) {
      var f = t.closest("form");
      var all = f && f.querySelector("[data-select-all]");
      if (all) {
        var boxes = f.querySelectorAll("[data-row-select]");
        all.checked = Array.prototype.every.call(boxes, function (b) { return b.checked; });
      }
    }
  });

  document.addEventListener("keydown", function (e) {
    var p = pane();
    if (!p) return;
    if (e.key === "Escape") {
      e.preventDefault();
      if (mayLeave()) closePane();
      return;
    }
    if (e.key === "Tab") {
      var items = focusable(p);
      if (items.length === 0) return;
      var first = items[0], last = items[items.length - 1];
      if (e.shiftKey && (document.activeElement === first || !p.contains(document.activeElement))) {
        e.preventDefault(); last.focus();
      } else if (!e.shiftKey && (document.activeElement === last || !p.contains(document.activeElement))) {
        e.preventDefault(); first.focus();
      }
      return;
    }
    var tab = e.target.closest('[role="tab"]');
    if (tab && (e.key === "ArrowRight" || e.key === "ArrowLeft" || e.key === "Home" || e.key === "End")) {
      var tabs = Array.prototype.slice.call(tab.parentElement.querySelectorAll('[role="tab"]'));
      var i = tabs.indexOf(tab);
      var next = e.key === "ArrowRight" ? tabs[(i + 1) % tabs.length]
        : e.key === "ArrowLeft" ? tabs[(i - 1 + tabs.length) % tabs.length]
        : e.key === "Home" ? tabs[0] : tabs[tabs.length - 1];
      e.preventDefault();
      next.click();
    }
  });

  document.addEventListener("htmx:beforeRequest", function (e) {
    lastTrigger = e.detail.elt;
  });

  // The swap and this event run in one task, so nothing sees the page in between.
  document.addEventListener("htmx:afterSwap", syncInert);

  document.addEventListener("htmx:afterSettle", function (e) {
    var p = pane();
    if (p) p.setAttribute("data-ready", "true"); // htmx has processed the new panel
    if (e.detail.target && e.detail.target.id === "pane") {
      focusPane(lastTrigger && lastTrigger.getAttribute("role") === "tab");
    }
    // Add a group: each step's heading gets focus, so the new step is read out;
    // after a search for owners, the search box keeps it.
    if (e.detail.target && e.detail.target.id === "group-wizard") {
      var first = document.querySelector("#group-wizard [data-autofocus]") || document.getElementById("wizard-heading");
      if (first) first.focus();
    }
  });

  document.addEventListener("toast", function (e) {
    showToast(e.detail && e.detail.message);
  });

  // The server's own message in an error reply (the error page's text), read as
  // text: DOMParser runs no scripts and the result is never inserted as markup.
  function serverMessage(xhr) {
    if (!xhr || !xhr.responseText) return "";
    try {
      var el = new DOMParser().parseFromString(xhr.responseText, "text/html").querySelector("[data-error-message]");
      return el ? el.textContent.trim() : "";
    } catch (_) {
      return "";
    }
  }

  // A refused request (403, 404, 413, 429, ...) is said where the person is looking:
  // in the open panel, above the form they used, as well as in a toast. Replies that
  // carry a panel (409 stale, 422 invalid) are swapped in and never get here.
  document.addEventListener("htmx:responseError", function (e) {
    var xhr = e.detail.xhr;
    if (xhr && xhr.status === 401) { location.assign("/signin"); return; }
    var region = document.getElementById("toasts");
    var msg = serverMessage(xhr) || (region ? region.getAttribute("data-error-message") : "Something went wrong.");
    var id = xhr && xhr.getResponseHeader("X-Request-Id");
    var text = id ? msg + " (" + id + ")" : msg;
    var elt = e.detail.elt;
    var p = pane();
    if (p && elt && p.contains(elt)) {
      var host = elt.closest("form") || p.querySelector("#pane-title");
      var box = p.querySelector("[data-request-error]");
      if (!box) {
        box = document.createElement("div");
        box.setAttribute("role", "alert");
        box.setAttribute("data-request-error", "");
        box.className = "mb-3 rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900";
      }
      box.textContent = text;
      if (host && host.tagName === "FORM") host.insertBefore(box, host.firstChild);
      else if (host) host.insertAdjacentElement("afterend", box);
    }
    showToast(text, "error");
  });

  document.addEventListener("htmx:sendError", function () {
    var region = document.getElementById("toasts");
    showToast(region ? region.getAttribute("data-offline-message") : "The server can't be reached.", "error");
  });

  // A pane opened from a shared link or a reload gets focus like one opened by a click.
  document.addEventListener("DOMContentLoaded", function () {
    syncInert();
    var p = pane();
    if (p) p.setAttribute("data-ready", "true");
    focusPane(false);
    document.querySelectorAll("#toasts .toast").forEach(function (t) {
      setTimeout(function () { t.remove(); }, 8000);
    });
  });
})();
