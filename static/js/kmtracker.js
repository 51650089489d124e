// KM Tracker's own behaviour: searchable selects, topic tags and the "New contact" dialog.
// Every page works without it; it only makes data entry quicker.
(function () {
  "use strict";

  // On a phone the on-screen keyboard takes the lower half of the screen: an opening list
  // brings its field to the top, so that the list opens below it in the half left visible.
  const phone = window.matchMedia("(max-width: 575.98px)");
  function clearOfKeyboard() {
    if (phone.matches) this.wrapper.scrollIntoView({ block: "start" });
  }

  function tomSelect(el, options) {
    const select = new TomSelect(el, Object.assign({ onDropdownOpen: clearOfKeyboard }, options));
    // Tom Select's combobox now carries the field's label; the original field stays in the
    // page (unlabelled, out of the tab order) for the form, and would be read out as a
    // second, nameless control.
    el.setAttribute("aria-hidden", "true");
    return select;
  }

  function remoteSelect(el) {
    const url = el.dataset.autocompleteUrl;
    let latest = 0; // the request whose answer is listed; earlier ones are stale
    const select = tomSelect(el, {
      valueField: "value",
      labelField: "text",
      searchField: [],
      // The server already matched and ordered the results.
      score: function () { return function () { return 1; }; },
      plugins: el.multiple ? ["remove_button"] : ["clear_button"],
      preload: "focus",
      maxOptions: 50,
      // An open list would cover what follows the field (the "New contact" button).
      closeAfterSelect: true,
      load: function (query, callback) {
        const select = this;
        const asked = ++latest;
        fetch(url + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
          .then(function (response) { return response.json(); })
          .then(function (json) {
            if (asked !== latest || query !== select.inputValue()) {
              // A slower answer to an earlier search, or to one from before the last pick:
              // listing it would show contacts that do not match, or reopen the list over the
              // form below it.
              const wasOpen = select.isOpen;
              callback();
              if (!wasOpen) select.close();
              return;
            }
            // Only this search's matches: every option scores 1, so older ones would show too;
            // and a search typed again asks again, since its earlier answer is gone.
            select.clearOptions();
            select.loadedSearches = {};
            callback(json.results);
          })
          .catch(function () { callback(); });
      },
      render: {
        // Nobody found: the list (which covers the "New contact" button below the field)
        // offers to add the person searched for.
        no_results: function (data, escape) {
          if (!el.dataset.newContactModal) return '<div class="no-results">No results found</div>';
          return '<div class="no-results">No contact found. ' +
            '<button type="button" class="btn btn-sm btn-outline-primary ms-1" data-bs-toggle="modal" ' +
            'data-bs-target="#' + escape(el.dataset.newContactModal) + '">Add “' + escape(data.input) +
            '” as a new contact</button></div>';
        },
      },
      onItemAdd: function () { latest++; el.dataset.typed = ""; this.setTextboxValue(""); },
    });
    // What was last typed in the search, as typed (Tom Select's own "type" event waits for a
    // pause), for the "New contact" dialog to start from: someone not found is usually the
    // one to add.
    select.control_input.addEventListener("input", function () {
      el.dataset.typed = select.control_input.value;
    });
    return select;
  }

  // A table wider than the screen scrolls sideways inside its .table-responsive box; a box
  // with no link or field in it takes the focus itself, so that the keyboard can scroll it.
  function keyboardScrollable(root) {
    root.querySelectorAll(".table-responsive").forEach(function (box) {
      const scrolls = box.scrollWidth > box.clientWidth;
      if (box.dataset.kmScroll === undefined && box.hasAttribute("tabindex")) return;
      if (scrolls && !box.querySelector("a[href], button, input, select, textarea, [tabindex]")) {
        const caption = box.querySelector("caption");
        box.tabIndex = 0;
        box.dataset.kmScroll = "";
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table");
      } else if (!scrolls && box.dataset.kmScroll !== undefined) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
        delete box.dataset.kmScroll;
      }
    });
  }

  function enhance(root) {
    keyboardScrollable(root);
    root.querySelectorAll("select[data-autocomplete-url]").forEach(function (el) {
      if (!el.tomselect) remoteSelect(el);
    });
    root.querySelectorAll("select[data-tom-select]").forEach(function (el) {
      if (!el.tomselect) tomSelect(el, { plugins: ["remove_button"] });
    });
    root.querySelectorAll("input[name='topics_text']").forEach(function (el) {
      if (!el.tomselect) tomSelect(el, { create: true, delimiter: ",", persist: false, plugins: ["remove_button"] });
    });
    const type = root.querySelector("select[name='activity_type']");
    const category = root.querySelector("select[name='category']");
    if (type && category) {
      const codes = {};
      category.querySelectorAll("option").forEach(function (option) { codes[option.textContent.trim()] = option.value; });
      type.addEventListener("change", function () {
        const group = type.selectedOptions[0] && type.selectedOptions[0].parentElement;
        if (group && group.tagName === "OPTGROUP" && codes[group.label]) category.value = codes[group.label];
      });
    }
  }

  function showErrors(form, errors) {
    form.querySelectorAll(".is-invalid").forEach(function (el) { el.classList.remove("is-invalid"); });
    form.querySelectorAll(".js-error").forEach(function (el) { el.remove(); });
    const prefix = "contact-";
    let first = null;
    Object.keys(errors).forEach(function (name) {
      const input = form.querySelector("[name='" + prefix + name + "']");
      const message = errors[name].map(function (e) { return e.message; }).join(" ");
      const feedback = document.createElement("div");
      feedback.className = "invalid-feedback d-block js-error";
      feedback.id = "js-error-" + name;
      feedback.textContent = message;
      if (input) {
        input.classList.add("is-invalid");
        input.setAttribute("aria-describedby", feedback.id);
        input.closest(".mb-3, div").appendChild(feedback);
        first = first || input;
      } else {
        form.querySelector(".modal-body").prepend(feedback);
      }
    });
    if (first) first.focus();
  }

  function chooseContact(form, contact) {
    const select = document.getElementById(form.dataset.targetSelect);
    if (select && select.tomselect) {
      select.tomselect.addOption(contact);
      select.tomselect.addItem(String(contact.value));
    } else if (select) {
      select.add(new Option(contact.text, contact.value, true, true));
    }
    form.reset();
    showErrors(form, {});
    showDuplicates(form, []);
    bootstrap.Modal.getOrCreateInstance(form.closest(".modal")).hide();
  }

  // The contacts the new one looks like: use one of them, or say it's a different person.
  function showDuplicates(form, duplicates) {
    const different = form.querySelector("[name='contact-different_person']");
    if (different) different.value = "";
    form.querySelectorAll(".js-duplicates").forEach(function (el) { el.remove(); });
    if (!duplicates.length) return;
    const box = document.createElement("div");
    box.className = "alert alert-warning js-duplicates";
    box.setAttribute("role", "alert");
    const intro = document.createElement("p");
    intro.className = "mb-2";
    intro.textContent = "This looks like a contact the team already has:";
    box.appendChild(intro);
    const list = document.createElement("ul");
    list.className = "list-unstyled mb-2";
    duplicates.forEach(function (contact) {
      const item = document.createElement("li");
      item.className = "d-flex flex-wrap gap-2 align-items-center mb-1";
      const label = document.createElement("span");
      label.textContent = contact.text + " (" + contact.why + ")";
      const use = document.createElement("button");
      use.type = "button";
      use.className = "btn btn-sm btn-outline-primary js-use-contact";
      use.textContent = "Use this one";
      use.addEventListener("click", function () { chooseContact(form, contact); });
      item.append(label, use);
      list.appendChild(item);
    });
    box.appendChild(list);
    const anyway = document.createElement("button");
    anyway.type = "button";
    anyway.className = "btn btn-sm btn-outline-secondary js-different-person";
    anyway.textContent = "It's a different person: add it";
    anyway.addEventListener("click", function () {
      if (different) different.value = "1";
      form.requestSubmit();
    });
    box.appendChild(anyway);
    form.querySelector(".modal-body").prepend(box);
  }

  // The dialog opens on the name last typed in the contacts' search (unless a mention hint
  // opened it with the name it found), with the focus in its first field.
  function dialogStart(form) {
    const modal = form.closest(".modal");
    modal.addEventListener("show.bs.modal", function () {
      const select = document.getElementById(form.dataset.targetSelect);
      const name = form.querySelector("[name='contact-name']");
      const typed = select && select.dataset.typed ? select.dataset.typed.trim() : "";
      if (name && typed && !form.dataset.hinted) name.value = typed;
    });
    modal.addEventListener("hidden.bs.modal", function () { delete form.dataset.hinted; });
    modal.addEventListener("shown.bs.modal", function () {
      const first = form.querySelector(".modal-body input:not([type=hidden]), .modal-body select, .modal-body textarea");
      if (first) first.focus();
    });
  }

  function quickAddContact(form) {
    dialogStart(form);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      fetch(form.action, { method: "POST", body: new FormData(form), headers: { Accept: "application/json" } })
        .then(function (response) { return response.json().then(function (json) { return [response.ok, json]; }); })
        .then(function (result) {
          if (!result[0]) {
            const errors = Object.assign({}, result[1].errors || {});
            const duplicates = result[1].duplicates || [];
            if (duplicates.length) delete errors.__all__;
            showErrors(form, errors);
            showDuplicates(form, duplicates);
            return;
          }
          // The next contact added from the dialog is another one: it gets its own token.
          const token = form.querySelector("[name='contact-submission']");
          if (token && result[1].submission) token.value = result[1].submission;
          chooseContact(form, result[1]);
        });
    });
  }

  // The hints beside a text field (activities/partials/mention_hints.html): link a contact the
  // text names, or open the "New contact" dialog with a titled name filled in.
  function choose(select, value, text) {
    if (select.tomselect) {
      select.tomselect.addOption({ value: value, text: text });
      select.tomselect.addItem(value);
    } else {
      const existing = Array.from(select.options).find(function (o) { return o.value === value; });
      if (existing) existing.selected = true;
      else select.add(new Option(text, value, true, true));
    }
  }

  document.addEventListener("click", function (event) {
    const keep = event.target.closest("[data-add-options]");
    if (keep) {
      // The organisations of the chosen contacts (activities/partials/organisation_hints.html).
      const select = document.getElementById(keep.dataset.targetSelect);
      if (select) {
        JSON.parse(keep.dataset.addOptions).forEach(function (option) { choose(select, option.value, option.text); });
      }
      keep.closest("p").textContent = "Added.";
      return;
    }
    const link = event.target.closest("[data-link-contact]");
    if (link) {
      const select = document.getElementById(link.dataset.targetSelect);
      if (select) choose(select, link.dataset.linkContact, link.dataset.contactText);
      const item = link.closest("li");
      item.textContent = "Added: " + link.dataset.contactText;
      return;
    }
    const add = event.target.closest("[data-new-contact-name]");
    if (add) {
      const form = document.getElementById("new-contact-form");
      const name = form && form.querySelector("[name='contact-name']");
      if (name) { name.value = add.dataset.newContactName; form.dataset.hinted = "1"; }
    }
  });

  // The pipeline's "Move to" (activities/partials/pipeline_move.html): the decision date shows
  // only for a status that decides the project; dragging a card onto a column moves it there.
  function decides(select) {
    const option = select.options[select.selectedIndex];
    return option && option.hasAttribute("data-decided");
  }
  function showDecision(form) {
    if (decides(form.elements.status)) form.removeAttribute("data-undecided");
    else form.setAttribute("data-undecided", "");
  }
  function pipeline(root) {
    root.querySelectorAll(".pipeline-move").forEach(showDecision);
  }
  document.addEventListener("change", function (event) {
    const form = event.target.closest(".pipeline-move");
    if (form && event.target.name === "status") showDecision(form);
  });
  let dragged = null;
  document.addEventListener("dragstart", function (event) {
    dragged = event.target.closest && event.target.closest(".pipeline-card");
    if (dragged) event.dataTransfer.setData("text/plain", dragged.dataset.project);
  });
  document.addEventListener("dragover", function (event) {
    const column = dragged && event.target.closest(".pipeline-column");
    if (!column) return;
    event.preventDefault();
    document.querySelectorAll(".drop-target").forEach(function (el) { if (el !== column) el.classList.remove("drop-target"); });
    column.classList.add("drop-target");
  });
  document.addEventListener("drop", function (event) {
    const column = dragged && event.target.closest(".pipeline-column");
    document.querySelectorAll(".drop-target").forEach(function (el) { el.classList.remove("drop-target"); });
    if (!column) return;
    event.preventDefault();
    const form = dragged.querySelector(".pipeline-move");
    dragged = null;
    if (!form || form.elements.status.value === column.dataset.status) return;
    form.elements.status.value = column.dataset.status;
    showDecision(form);
    // A decided project needs its date: ask for it before moving.
    if (decides(form.elements.status) && !form.elements.decided_on.value) form.elements.decided_on.focus();
    else form.requestSubmit();
  });

  // The navigation's search (templates/base.html): an ARIA combobox. What is typed is searched
  // after a pause; the arrow keys move through the results, Enter opens one, Escape closes.
  function globalSearch(input) {
    const list = document.getElementById(input.getAttribute("aria-controls"));
    let timer = null;
    let asked = 0;
    function options() { return Array.from(list.querySelectorAll("[role=option]")); }
    function open(isOpen) {
      input.setAttribute("aria-expanded", isOpen ? "true" : "false");
      list.classList.toggle("show", isOpen);
      if (!isOpen) input.removeAttribute("aria-activedescendant");
    }
    function activate(option) {
      options().forEach(function (o) { o.setAttribute("aria-selected", o === option ? "true" : "false"); });
      if (option) { input.setAttribute("aria-activedescendant", option.id); option.scrollIntoView({ block: "nearest" }); }
    }
    function search() {
      const term = input.value.trim();
      const mine = ++asked;
      if (!term) { list.innerHTML = ""; open(false); return; }
      fetch(input.dataset.searchUrl + "?q=" + encodeURIComponent(term), { headers: { "HX-Request": "true" } })
        .then(function (response) { return response.text(); })
        .then(function (html) {
          if (mine !== asked) return; // an answer to an earlier search
          list.innerHTML = html;
          open(true);
        });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 250);
    });
    input.addEventListener("keydown", function (event) {
      const all = options();
      const current = all.findIndex(function (o) { return o.getAttribute("aria-selected") === "true"; });
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (!all.length) return;
        open(true);
        const step = event.key === "ArrowDown" ? 1 : -1;
        activate(all[(current + step + all.length) % all.length]);
      } else if (event.key === "Enter" && current >= 0) {
        event.preventDefault();
        window.location.href = all[current].querySelector("a").href;
      } else if (event.key === "Escape") {
        if (list.classList.contains("show")) { event.preventDefault(); open(false); }
        else input.value = "";
      }
    });
    input.addEventListener("blur", function () {
      // Later than a click on a result, which must still land.
      setTimeout(function () { if (!input.closest("form").contains(document.activeElement)) open(false); }, 200);
    });
  }

  // A list's address keeps only the filters that are set: empty fields are not sent.
  function dropEmpty(params) {
    Array.from(params.keys ? params.keys() : Object.keys(params)).forEach(function (key) {
      const value = params.get ? params.get(key) : params[key];
      if (value === "") { if (params.delete) params.delete(key); else delete params[key]; }
    });
  }
  document.addEventListener("formdata", function (event) {
    if (event.target.matches(".filter-form")) dropEmpty(event.formData);
  });
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.elt.matches && event.detail.elt.matches(".filter-form")) dropEmpty(event.detail.parameters);
  });

  document.addEventListener("DOMContentLoaded", function () {
    enhance(document);
    pipeline(document);
    const search = document.getElementById("global-search-input");
    if (search) globalSearch(search);
    const contactForm = document.getElementById("new-contact-form");
    if (contactForm) quickAddContact(contactForm);
  });
  document.body && document.body.addEventListener("htmx:afterSwap", function (event) { enhance(event.target); pipeline(event.target); });
  let resizing = false;
  window.addEventListener("resize", function () {
    if (resizing) return;
    resizing = true;
    requestAnimationFrame(function () { resizing = false; keyboardScrollable(document); });
  });
})();
