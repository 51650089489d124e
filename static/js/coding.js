// Coding a source: select words with the mouse, find typed words, or move the start and end
// of the passage a word at a time with the keyboard. Offsets count Unicode code points, as
// the server does (Python's str). Without this script the form still works: the server
// finds the passage from its words or from the offsets typed in.
(function () {
  "use strict";

  const container = document.getElementById("source-text");
  const data = document.getElementById("source-text-data");
  if (!container || !data) return;
  const text = JSON.parse(data.textContent);
  const chars = Array.from(text); // one item per code point
  const form = document.getElementById("coding-form");

  // Offsets in UTF-16 units (the DOM's) to code points, and back.
  function toPoints(units) { return Array.from(text.slice(0, units)).length; }
  function toUnits(points) { return chars.slice(0, points).join("").length; }

  // The DOM position `units` UTF-16 units into the container's text.
  function domPosition(units) {
    const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
    let node, seen = 0;
    while ((node = walker.nextNode())) {
      if (seen + node.length >= units) return [node, units - seen];
      seen += node.length;
    }
    return [container, container.childNodes.length];
  }

  // Show the passage `start`–`end` in the text, with the CSS highlight API where it exists.
  function mark(start, end, scroll) {
    if (!(window.CSS && CSS.highlights && window.Highlight)) return;
    CSS.highlights.delete("coding-choice");
    if (start === null || end === null || end <= start) return;
    const range = document.createRange();
    range.setStart.apply(range, domPosition(toUnits(start)));
    range.setEnd.apply(range, domPosition(toUnits(end)));
    CSS.highlights.set("coding-choice", new Highlight(range));
    if (scroll) {
      const box = range.getBoundingClientRect();
      const view = container.getBoundingClientRect();
      if (box.top < view.top || box.bottom > view.bottom) {
        container.scrollTop += box.top - view.top - view.height / 3;
      }
    }
  }

  if (!form) {
    showPassageLinks();
    return;
  }
  form.querySelectorAll(".js-only").forEach(function (el) { el.hidden = false; });
  const startInput = form.querySelector("[name='start']");
  const endInput = form.querySelector("[name='end']");
  const quoteInput = form.querySelector("[name='quote']");
  const occurrenceInput = form.querySelector("[name='occurrence']");
  const preview = document.getElementById("coding-preview");

  function current() {
    const start = startInput.value === "" ? null : parseInt(startInput.value, 10);
    const end = endInput.value === "" ? null : parseInt(endInput.value, 10);
    return [start, end];
  }

  function choose(start, end, fillQuote, scroll) {
    start = Math.max(0, Math.min(start, chars.length));
    end = Math.max(start, Math.min(end, chars.length));
    startInput.value = start;
    endInput.value = end;
    const words = chars.slice(start, end).join("");
    if (fillQuote) quoteInput.value = words;
    if (occurrenceInput) occurrenceInput.value = "";
    describe(start, end, words);
    mark(start, end, scroll);
  }

  function describe(start, end, words) {
    if (start === null || end === null || end <= start) {
      preview.textContent = "nothing yet";
      return;
    }
    const shown = words.length > 160 ? words.slice(0, 75) + " … " + words.slice(-75) : words;
    preview.textContent = "“" + shown + "” (characters " + start + " to " + end + ")";
  }

  // The mouse: a selection inside the text becomes the passage.
  function fromSelection() {
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return;
    const range = selection.getRangeAt(0);
    if (!container.contains(range.commonAncestorContainer)) return;
    const before = document.createRange();
    before.setStart(container, 0);
    before.setEnd(range.startContainer, range.startOffset);
    const startUnits = before.toString().length;
    const endUnits = startUnits + range.toString().length;
    let start = toPoints(startUnits), end = toPoints(endUnits);
    while (start < end && /\s/.test(chars[start])) start += 1;
    while (end > start && /\s/.test(chars[end - 1])) end -= 1;
    if (end > start) choose(start, end, true, false);
  }
  container.addEventListener("mouseup", fromSelection);
  container.addEventListener("keyup", function (event) {
    if (event.shiftKey) fromSelection(); // caret browsing: Shift+arrows select
  });

  // Typing: the typed words no longer match the offsets, so the server (or "Find") places them.
  quoteInput.addEventListener("input", function () {
    startInput.value = "";
    endInput.value = "";
    describe(null, null, "");
    mark(null, null);
  });

  // "Find": each press selects the next place where the typed words appear.
  let lastFound = -1;
  function find() {
    const words = quoteInput.value.trim().split(/\s+/).filter(Boolean);
    if (!words.length) {
      preview.textContent = "Type some words of the passage first.";
      return;
    }
    const escaped = words.map(function (w) { return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); });
    const pattern = new RegExp(escaped.join("\\s+"), "g");
    const found = [];
    let match;
    while ((match = pattern.exec(text)) !== null) {
      found.push([match.index, match.index + match[0].length]);
      pattern.lastIndex = match.index + 1;
    }
    if (!found.length) {
      preview.textContent = "These words are not in the text.";
      mark(null, null);
      return;
    }
    lastFound = (lastFound + 1) % found.length;
    const hit = found[lastFound];
    choose(toPoints(hit[0]), toPoints(hit[1]), false, true);
    if (found.length > 1) {
      preview.textContent += " — occurrence " + (lastFound + 1) + " of " + found.length +
        "; press Find again for the next.";
    }
  }

  // Word steps for the keyboard buttons.
  function isSpace(i) { return /\s/.test(chars[i]); }
  function nextWordStart(i) {
    while (i < chars.length && !isSpace(i)) i += 1;
    while (i < chars.length && isSpace(i)) i += 1;
    return i;
  }
  function previousWordStart(i) {
    i -= 1;
    while (i > 0 && isSpace(i)) i -= 1;
    while (i > 0 && !isSpace(i - 1)) i -= 1;
    return Math.max(0, i);
  }
  function nextWordEnd(i) {
    while (i < chars.length && isSpace(i)) i += 1;
    while (i < chars.length && !isSpace(i)) i += 1;
    return i;
  }
  function previousWordEnd(i) {
    i -= 1;
    while (i > 0 && !isSpace(i - 1)) i -= 1;
    while (i > 0 && isSpace(i - 1)) i -= 1;
    return Math.max(0, i);
  }

  const steps = {
    "start-back": function (s, e) { return [previousWordStart(s), e]; },
    "start-forward": function (s, e) { return [Math.min(nextWordStart(s), e), e]; },
    "end-back": function (s, e) { return [s, Math.max(previousWordEnd(e), s)]; },
    "end-forward": function (s, e) { return [s, nextWordEnd(e)]; },
  };

  form.addEventListener("click", function (event) {
    const button = event.target.closest("[data-coding]");
    if (!button) return;
    const action = button.dataset.coding;
    if (action === "find") {
      find();
      return;
    }
    let [start, end] = current();
    if (start === null || end === null) {
      // Nothing chosen yet: start with the text's first word.
      start = 0;
      while (start < chars.length && isSpace(start)) start += 1;
      end = nextWordEnd(start);
      choose(start, end, true, true);
      return;
    }
    const moved = steps[action](start, end);
    choose(moved[0], moved[1], true, true);
  });

  [startInput, endInput].forEach(function (input) {
    input.addEventListener("change", function () {
      const [start, end] = current();
      if (start !== null && end !== null && end > start) choose(start, end, true, true);
    });
  });

  // Clicking a highlighted passage brings up its card in the list.
  container.addEventListener("click", function (event) {
    const markEl = event.target.closest("mark[data-excerpts]");
    if (!markEl || !window.getSelection().isCollapsed) return;
    const card = document.getElementById("excerpt-" + markEl.dataset.excerpts.split(" ")[0]);
    if (card) { card.scrollIntoView({ block: "nearest" }); card.focus({ preventScroll: true }); }
  });

  showPassageLinks();

  const [start, end] = current();
  if (start !== null && end !== null && end > start) {
    describe(start, end, chars.slice(start, end).join(""));
    mark(start, end, true);
  }

  // "Show in the text": highlight the passage and scroll the text to it.
  function showPassageLinks() {
    document.querySelectorAll("[data-show-passage]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        mark(parseInt(link.dataset.start, 10), parseInt(link.dataset.end, 10), true);
        container.focus({ preventScroll: true });
      });
    });
  }
})();

// The theme picker: typing narrows the list of themes (a group stays while one of its
// themes matches, or its own name does); Enter ticks the first theme shown, Escape clears.
(function () {
  "use strict";

  const search = document.getElementById("theme-search");
  const list = document.getElementById("theme-options");
  if (!search || !list) return;
  const count = document.getElementById("theme-search-count");

  function shown() {
    return Array.from(list.querySelectorAll(".form-check")).filter(function (el) { return !el.hidden; });
  }

  function narrow() {
    const words = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    list.querySelectorAll(".theme-group").forEach(function (group) {
      const name = group.querySelector(".theme-group-name").textContent.toLowerCase();
      let any = false;
      group.querySelectorAll(".form-check").forEach(function (option) {
        const label = (name + " " + option.textContent).toLowerCase();
        const match = words.every(function (word) { return label.indexOf(word) >= 0; });
        option.hidden = !match;
        any = any || match;
      });
      group.hidden = !any;
    });
    const n = shown().length;
    count.textContent = words.length ? n + (n === 1 ? " theme" : " themes") + " shown" : "";
  }

  search.addEventListener("input", narrow);
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault(); // never sends the form from here
      const first = shown()[0];
      if (first) {
        const box = first.querySelector("input");
        box.checked = !box.checked;
        count.textContent = first.textContent.trim() + (box.checked ? " ticked" : " unticked");
      }
    } else if (event.key === "Escape" && search.value) {
      event.preventDefault();
      search.value = "";
      narrow();
    }
  });
})();
