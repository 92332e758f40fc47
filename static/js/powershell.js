// Exchange Online PowerShell in the browser: the console page's prompt (run with
// Enter, new line with Shift+Enter, history with the arrow keys, tables fitted to
// the console's width) and the Copy buttons of the panels' "PowerShell for this
// change". Everything here is an enhancement: without it the console's form posts
// and the page shows the output, and the commands can be selected and copied by
// hand. No inline scripts, no eval.
(function () {
  "use strict";

  // Copy buttons do nothing without this script, so they start hidden.
  function showCopyButtons(root) {
    (root || document).querySelectorAll("[data-copy][hidden]").forEach(function (b) { b.hidden = false; });
  }

  function copied(button) {
    var id = button.getAttribute("data-copy");
    var status = document.querySelector('[data-copy-status="' + id + '"]');
    if (!status) return;
    status.textContent = button.getAttribute("data-copied") || "";
    setTimeout(function () { status.textContent = ""; }, 3000);
  }

  function copyText(button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) return;
    var text = source.textContent;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { copied(button); }, function () { selectAndCopy(source, button); });
    } else {
      selectAndCopy(source, button);
    }
  }

  // selectAndCopy is the fallback outside a secure context: the text is selected,
  // so it can also be copied by hand when the browser refuses.
  function selectAndCopy(source, button) {
    var range = document.createRange();
    range.selectNodeContents(source);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    try {
      if (document.execCommand("copy")) copied(button);
    } catch (e) { /* the selection stays for a manual copy */ }
  }

  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("[data-copy]");
    if (b) {
      e.preventDefault();
      copyText(b);
    }
    var clear = e.target.closest && e.target.closest("[data-ps-clear]");
    if (clear) {
      var out = document.getElementById("ps-output");
      if (out) out.textContent = "";
      var input = document.querySelector("[data-ps-input]");
      if (input) input.focus();
    }
  });

  // incomplete reports whether a command is unfinished, as PowerShell's prompt
  // judges it: an open quote, brace, parenthesis or comment, or a line ending in a
  // backtick, a pipe or a comma. Enter then starts a new line instead of running.
  function incomplete(text) {
    var depth = 0, quote = "", i, c;
    for (i = 0; i < text.length; i++) {
      c = text.charAt(i);
      if (quote === "'") {
        if (c === "'" && text.charAt(i + 1) === "'") { i++; continue; }
        if (c === "'" || c === "\u2018" || c === "\u2019") quote = "";
        continue;
      }
      if (quote === '"') {
        if (c === "`") { i++; continue; }
        if (c === '"' && text.charAt(i + 1) === '"') { i++; continue; }
        if (c === '"' || c === "\u201c" || c === "\u201d") quote = "";
        continue;
      }
      if (c === "`") { i++; continue; }
      if (c === "'" || c === "\u2018" || c === "\u2019") { quote = "'"; continue; }
      if (c === '"' || c === "\u201c" || c === "\u201d") { quote = '"'; continue; }
      if (c === "<" && text.charAt(i + 1) === "#") {
        var end = text.indexOf("#>", i + 2);
        if (end < 0) return true;
        i = end + 1;
        continue;
      }
      if (c === "#") {
        var nl = text.indexOf("\n", i);
        if (nl < 0) break;
        i = nl;
        continue;
      }
      if (c === "{" || c === "(") depth++;
      if ((c === "}" || c === ")") && depth > 0) depth--;
    }
    if (quote || depth > 0) return true;
    return /[`|,]\s*$/.test(text);
  }

  function consoleParts() {
    var form = document.querySelector("[data-ps-form]");
    if (!form) return null;
    return {
      form: form,
      input: form.querySelector("[data-ps-input]"),
      width: form.querySelector("[data-ps-width]"),
      output: document.getElementById("ps-output")
    };
  }

  var history = [];
  var index = 0;
  var draft = "";
  var storeKey = "ps-history";

  function loadHistory() {
    try { history = JSON.parse(sessionStorage.getItem(storeKey) || "[]") || []; } catch (e) { history = []; }
    index = history.length;
  }

  function remember(cmd) {
    if (!cmd.trim() || history[history.length - 1] === cmd) { index = history.length; return; }
    history.push(cmd);
    if (history.length > 200) history = history.slice(history.length - 200);
    index = history.length;
    try { sessionStorage.setItem(storeKey, JSON.stringify(history)); } catch (e) { /* private mode */ }
  }

  function fit(input) {
    var lines = input.value.split("\n").length;
    input.rows = Math.min(Math.max(lines, 2), 12);
  }

  // consoleWidth is how many characters of the output's font fit across it.
  function consoleWidth(output) {
    var probe = document.createElement("span");
    probe.textContent = "0000000000";
    probe.setAttribute("aria-hidden", "true");
    probe.className = "invisible absolute whitespace-pre font-mono text-sm";
    output.appendChild(probe);
    var w = probe.getBoundingClientRect().width / 10;
    probe.remove();
    if (!w) return 120;
    return Math.max(20, Math.floor((output.clientWidth - 32) / w) - 1);
  }

  function setValue(input, text) {
    input.value = text;
    fit(input);
    input.selectionStart = input.selectionEnd = text.length;
  }

  document.addEventListener("keydown", function (e) {
    var p = consoleParts();
    if (!p || e.target !== p.input || e.isComposing) return;
    var input = p.input;
    if (e.key === "Enter" && !e.shiftKey && !e.ctrlKey && !e.altKey && !e.metaKey) {
      if (incomplete(input.value)) return; // a new line, as PowerShell's >> prompt
      e.preventDefault();
      if (p.form.requestSubmit) p.form.requestSubmit(); else p.form.submit();
      return;
    }
    var before = input.value.slice(0, input.selectionStart);
    var after = input.value.slice(input.selectionEnd);
    if (e.key === "ArrowUp" && before.indexOf("\n") < 0 && index > 0) {
      e.preventDefault();
      if (index === history.length) draft = input.value;
      index--;
      setValue(input, history[index]);
    } else if (e.key === "ArrowDown" && after.indexOf("\n") < 0 && index < history.length) {
      e.preventDefault();
      index++;
      setValue(input, index === history.length ? draft : history[index]);
    }
  });

  document.addEventListener("input", function (e) {
    var p = consoleParts();
    if (p && e.target === p.input) fit(p.input);
  });

  // Before the command goes: the console's width and the history.
  document.addEventListener("submit", function (e) {
    var p = consoleParts();
    if (!p || e.target !== p.form) return;
    if (p.width && p.output) p.width.value = String(consoleWidth(p.output));
    remember(p.input.value);
    draft = "";
  }, true);

  // After the output arrived: an empty prompt, the output scrolled to its end.
  document.addEventListener("htmx:afterSwap", function (e) {
    var p = consoleParts();
    if (!p || e.target !== p.output) return;
    setValue(p.input, "");
    p.output.scrollTop = p.output.scrollHeight;
    p.input.focus();
  });

  function init(root) {
    showCopyButtons(root);
    var p = consoleParts();
    if (!p) return;
    document.querySelectorAll("[data-ps-clear][hidden]").forEach(function (b) { b.hidden = false; });
    if (root === document) {
      loadHistory();
      fit(p.input);
      if (p.output && p.output.lastElementChild) p.output.scrollTop = p.output.scrollHeight;
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
  document.addEventListener("htmx:load", function (e) { showCopyButtons(e.target); });
})();
