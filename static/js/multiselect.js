// Multi-select lists of the Exchange admin center's pickers ([data-multiselect]: a
// grid with aria-multiselectable whose rows each hold a checkbox), selected as in
// the real EAC's lists: a click on a row selects that row alone, Shift+click selects
// the range from the last clicked row, Ctrl/Cmd+click toggles one row. With the
// keyboard, the arrow keys (and Home/End) move between rows, Space toggles,
// Shift+arrow extends the selection, Ctrl/Cmd+A selects every row. A click on the
// checkbox itself toggles it, as a checkbox does. The checkboxes are the selection:
// the form posts them, and without this script they work alone.
// No inline scripts, no eval: the Content-Security-Policy allows only files.
(function () {
  "use strict";

  var GRID = "[data-multiselect]";

  function rows(grid) {
    return Array.prototype.filter.call(grid.querySelectorAll('[role="row"]'), function (r) {
      return !!box(r);
    });
  }

  function box(row) {
    return row.querySelector('input[type="checkbox"]');
  }

  function sync(row) {
    var b = box(row);
    if (b) row.setAttribute("aria-selected", b.checked ? "true" : "false");
  }

  function set(row, on) {
    var b = box(row);
    if (!b || b.disabled || b.checked === on) return;
    b.checked = on;
    sync(row);
    // Other scripts (Select all, the discard question) see the change.
    b.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // One checkbox of the grid is in the tab order: the one of the current row.
  function current(grid, list, i, focus) {
    list.forEach(function (r, j) { box(r).tabIndex = j === i ? 0 : -1; });
    grid.msCurrent = i;
    if (focus) box(list[i]).focus();
  }

  function selectRange(list, from, to, keep) {
    var lo = Math.min(from, to), hi = Math.max(from, to);
    list.forEach(function (r, j) {
      if (j >= lo && j <= hi) set(r, true);
      else if (!keep) set(r, false);
    });
  }

  function init(root) {
    (root || document).querySelectorAll(GRID).forEach(function (grid) {
      if (grid.msReady) return;
      grid.msReady = true;
      var list = rows(grid);
      list.forEach(sync);
      if (list.length > 0) current(grid, list, 0, false);
    });
  }

  document.addEventListener("click", function (e) {
    var row = e.target.closest && e.target.closest(GRID + ' [role="row"]');
    if (!row) return;
    var grid = row.closest(GRID);
    var list = rows(grid);
    var i = list.indexOf(row);
    if (i < 0) return;
    var b = box(row);
    if (e.target === b) {
      // The checkbox toggles itself; Shift+click on it extends from the anchor.
      if (e.shiftKey && grid.msAnchor != null) selectRange(list, grid.msAnchor, i, true);
      else grid.msAnchor = i;
      sync(row);
      current(grid, list, i, false);
      return;
    }
    // A click on the name would toggle the checkbox through its label.
    e.preventDefault();
    if (e.shiftKey && grid.msAnchor != null) {
      selectRange(list, grid.msAnchor, i, e.ctrlKey || e.metaKey);
    } else if (e.ctrlKey || e.metaKey) {
      set(row, !b.checked);
      grid.msAnchor = i;
    } else {
      list.forEach(function (r, j) { set(r, j === i); });
      grid.msAnchor = i;
    }
    current(grid, list, i, true);
  });

  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (!t.matches || !t.matches(GRID + ' [role="row"] input[type="checkbox"]')) return;
    var grid = t.closest(GRID);
    var list = rows(grid);
    var i = list.indexOf(t.closest('[role="row"]'));
    if (i < 0) return;
    var next = -1;
    switch (e.key) {
      case "ArrowDown": next = Math.min(i + 1, list.length - 1); break;
      case "ArrowUp": next = Math.max(i - 1, 0); break;
      case "Home": next = 0; break;
      case "End": next = list.length - 1; break;
      case "a":
      case "A":
        if (e.ctrlKey || e.metaKey) {
          e.preventDefault();
          list.forEach(function (r) { set(r, true); });
        }
        return;
      case " ":
        if (e.shiftKey && grid.msAnchor != null) {
          e.preventDefault();
          selectRange(list, grid.msAnchor, i, e.ctrlKey || e.metaKey);
        } else {
          grid.msAnchor = i; // the checkbox toggles itself
        }
        return;
      default:
        return;
    }
    e.preventDefault();
    if (e.shiftKey) {
      if (grid.msAnchor == null) grid.msAnchor = i;
      selectRange(list, grid.msAnchor, next, e.ctrlKey || e.metaKey);
    }
    current(grid, list, next, true);
  });

  document.addEventListener("change", function (e) {
    var row = e.target.closest && e.target.closest(GRID + ' [role="row"]');
    if (row) sync(row);
  });

  // A page with staged changes (people added or removed, not saved) asks before a
  // link takes the admin away from them: Cancel, the navigation, the breadcrumb.
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a[href]");
    if (!a || e.defaultPrevented || document.querySelector("[data-pane]")) return;
    var href = a.getAttribute("href") || "";
    if (href.charAt(0) === "#") return;
    var staged = document.querySelector("form [data-staged]");
    if (staged && !window.confirm(staged.getAttribute("data-discard-message"))) e.preventDefault();
  });

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSettle", function () { init(document); });
})();
